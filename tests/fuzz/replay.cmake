# Smoke test for the fuzz target in the normal build (no libFuzzer, no clang needed):
# replays fuzz_check.cpp's entry point over the seed corpus and the committed
# regressions. Include from tests/CMakeLists.txt:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/fuzz/replay.cmake)
set(SEG_FUZZ_DIR ${PROJECT_SOURCE_DIR}/tests/fuzz)
add_executable(seg_fuzz_replay ${SEG_FUZZ_DIR}/fuzz_check.cpp ${SEG_FUZZ_DIR}/replay_main.cpp)
target_link_libraries(seg_fuzz_replay PRIVATE seg_compiler)
seg_set_warnings(seg_fuzz_replay)
add_test(NAME fuzz.replay
         COMMAND seg_fuzz_replay ${PROJECT_SOURCE_DIR}/examples ${PROJECT_SOURCE_DIR}/stdlib
                 ${PROJECT_SOURCE_DIR}/tests)
set_tests_properties(fuzz.replay PROPERTIES LABELS fuzz)

# The bundle/IR reader target, replayed over seeds made from this build's bundles.
add_executable(seg_fuzz_bundle_replay ${SEG_FUZZ_DIR}/fuzz_bundle.cpp ${SEG_FUZZ_DIR}/replay_main.cpp)
target_link_libraries(seg_fuzz_bundle_replay PRIVATE seg_bundle seg_ir)
seg_set_warnings(seg_fuzz_bundle_replay)
add_test(NAME fuzz.bundle_replay
         COMMAND bash ${SEG_FUZZ_DIR}/bundle_seeds.sh $<TARGET_FILE:seg> $<TARGET_FILE:seg_fuzz_bundle_replay>
                 ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/bundle_seeds)
set_tests_properties(fuzz.bundle_replay PROPERTIES LABELS "fuzz;bundle")

# The checkpoint reader and the rule-change migration (issue 5), replayed over seeds
# written by this build's seg.
add_executable(seg_fuzz_checkpoint_replay ${SEG_FUZZ_DIR}/fuzz_checkpoint.cpp ${SEG_FUZZ_DIR}/replay_main.cpp)
target_link_libraries(seg_fuzz_checkpoint_replay PRIVATE seg_compiler seg_runtime)
target_compile_definitions(seg_fuzz_checkpoint_replay PRIVATE SEG_FUZZ_RULES_DIR="${SEG_FUZZ_DIR}/checkpoint")
seg_set_warnings(seg_fuzz_checkpoint_replay)
add_test(NAME fuzz.checkpoint_replay
         COMMAND bash ${SEG_FUZZ_DIR}/checkpoint_seeds.sh $<TARGET_FILE:seg> $<TARGET_FILE:seg_fuzz_checkpoint_replay>
                 ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/checkpoint_seeds)
set_tests_properties(fuzz.checkpoint_replay PROPERTIES LABELS "fuzz;bundle")
