# Unit tests of the runtime layer; included from tests/CMakeLists.txt.
add_executable(seg_unit_runtime unit/doctest_main.cpp
               ${CMAKE_CURRENT_LIST_DIR}/test_builtins.cpp)
target_link_libraries(seg_unit_runtime PRIVATE seg_builtins doctest::doctest)
seg_set_warnings(seg_unit_runtime)
add_test(NAME unit.runtime COMMAND seg_unit_runtime)
set_tests_properties(unit.runtime PROPERTIES LABELS unit)
