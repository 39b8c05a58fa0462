# All dependencies come from Debian bookworm packages (scripts/install-deps.sh).
find_package(pegtl 3.2 REQUIRED CONFIG)
find_package(fmt REQUIRED CONFIG)
find_package(nlohmann_json 3.10 REQUIRED CONFIG)
find_package(CLI11 REQUIRED CONFIG)
if(SEG_BUILD_TESTS)
  find_package(doctest REQUIRED CONFIG)
endif()
