# `seg report` (issue 18, RUNTIME.md §9). The human and JSON goldens and the error cases
# are tests/cli/report_*.cmd over the out folders in tests/report/data/; here the tests
# that need more than one command.

# --state DIR reads the --out the state recorded: the same report as --out, and clear
# errors for a folder that is not a state.
add_test(NAME report.state COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report/state.sh $<TARGET_FILE:seg>
                                   ${PROJECT_SOURCE_DIR})
set_tests_properties(report.state PROPERTIES LABELS "report;cli" TIMEOUT 300)

# The HTML page in headless Chromium: self-contained, no console message, every chart
# present, a non-blank screenshot (SEG_REPORT_SCREENSHOT=PATH keeps a copy: docs/report.png).
add_test(NAME report.html_browser COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report/html_browser.sh $<TARGET_FILE:seg>
                                          ${PROJECT_SOURCE_DIR})
set_tests_properties(report.html_browser PROPERTIES LABELS "report;browser;heavy" TIMEOUT 300 SKIP_RETURN_CODE 77)
