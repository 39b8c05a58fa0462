# Unit tests of the runtime layer; included from tests/CMakeLists.txt.
add_executable(seg_unit_runtime unit/doctest_main.cpp
               ${CMAKE_CURRENT_LIST_DIR}/test_builtins.cpp)
target_link_libraries(seg_unit_runtime PRIVATE seg_builtins doctest::doctest)
seg_set_warnings(seg_unit_runtime)
add_test(NAME unit.runtime COMMAND seg_unit_runtime)
set_tests_properties(unit.runtime PROPERTIES LABELS unit)

find_package(RocksDB REQUIRED CONFIG)  # test_durable_state plants foreign and newer stores

# The interpreter and engine, driven from rule sources (needs the compiler to build
# bundles, so it is its own executable).
add_executable(seg_unit_engine unit/doctest_main.cpp ${CMAKE_CURRENT_LIST_DIR}/test_engine.cpp
               ${CMAKE_CURRENT_LIST_DIR}/test_migration.cpp ${CMAKE_CURRENT_LIST_DIR}/test_time.cpp
               ${CMAKE_CURRENT_LIST_DIR}/test_durable_state.cpp ${CMAKE_CURRENT_LIST_DIR}/test_lift.cpp
               ${CMAKE_CURRENT_LIST_DIR}/test_ad_platform.cpp)
target_link_libraries(seg_unit_engine PRIVATE seg_compiler seg_runtime doctest::doctest RocksDB::rocksdb-shared)
seg_set_warnings(seg_unit_engine)
add_test(NAME unit.engine COMMAND seg_unit_engine)
set_tests_properties(unit.engine PROPERTIES LABELS unit)
