option(SEG_BUILD_TESTS "Build the test suite" ON)
option(SEG_WERROR "Treat warnings as errors" OFF)
option(SEG_SANITIZE "Build with AddressSanitizer and UBSan" OFF)
option(SEG_FUZZ "Build libFuzzer targets (needs clang)" OFF)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "" FORCE)
endif()

# Applied to every seg target through seg_set_warnings().
function(seg_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wshadow=local)
  endif()
  if(SEG_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(SEG_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
