# Hostile inputs for `seg check` and `seg fmt --check` (tests/bad_input/run.sh): empty
# and blank files, random bytes, 1 MiB lines, 100 000-deep nesting, invalid UTF-8,
# NUL bytes, CRLF, missing paths. Include from tests/CMakeLists.txt:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/bad_input/bad_input.cmake)
add_test(NAME cli.bad_input
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run.sh $<TARGET_FILE:seg>)
set_tests_properties(cli.bad_input PROPERTIES LABELS "cli;bad_input" TIMEOUT 900)
