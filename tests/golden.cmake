# Golden suites: one ctest per case file, run by tests/run_golden.sh.
set(SEG_GOLDEN_RUNNER ${CMAKE_CURRENT_SOURCE_DIR}/run_golden.sh)

function(seg_golden_suite dir mode pattern label)
  file(GLOB cases CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/${pattern})
  foreach(case ${cases})
    get_filename_component(name ${case} NAME_WE)
    add_test(NAME ${dir}.${name} COMMAND bash ${SEG_GOLDEN_RUNNER} $<TARGET_FILE:seg> ${mode} ${case})
    set_tests_properties(${dir}.${name} PROPERTIES LABELS "golden;${label}")
  endforeach()
endfunction()

seg_golden_suite(diagnostics check "*.seg" diagnostics)
seg_golden_suite(parse parse "*.seg" parse)
seg_golden_suite(format fmt "*.seg" format)
seg_golden_suite(cli cli "*.cmd" cli)
seg_golden_suite(ir ir "*.seg" ir)
seg_golden_suite(seg_test test "*.seg" seg_test)
# Lints: the full output of each rule's main firing case and its clean fix.
seg_golden_suite(lint/cases lint "SEG1??_fires.seg" lint)
seg_golden_suite(lint/cases lint "SEG1??_clean.seg" lint)
