# seg-kafka-mock (cli/kafka_mock/) driven by kcat: tests/kafka/mock_smoke.sh (skips, 77,
# without kcat). Include from tests/CMakeLists.txt:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/kafka/kafka.cmake)
add_test(NAME kafka.mock_smoke
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/mock_smoke.sh $<TARGET_FILE:seg-kafka-mock>)
set_tests_properties(kafka.mock_smoke PROPERTIES LABELS kafka TIMEOUT 120 SKIP_RETURN_CODE 77)
