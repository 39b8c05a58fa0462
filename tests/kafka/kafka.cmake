# Kafka (issue 17), on librdkafka's mock cluster in separate processes, driven by kcat
# (both installed by scripts/install-deps.sh): seg-kafka-mock itself, then `seg serve`
# instances killed, stopped, joined, fenced and compared with one `seg run`.
# Included from tests/CMakeLists.txt.
add_test(NAME kafka.mock_smoke
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/mock_smoke.sh $<TARGET_FILE:seg-kafka-mock>)
add_test(NAME kafka.serve_cluster
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/serve_cluster.sh $<TARGET_FILE:seg> $<TARGET_FILE:seg-kafka-mock>
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(kafka.mock_smoke PROPERTIES LABELS kafka TIMEOUT 120)
set_tests_properties(kafka.serve_cluster PROPERTIES LABELS "kafka;heavy" TIMEOUT 400)
