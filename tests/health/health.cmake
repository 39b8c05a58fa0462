# Audience health (RUNTIME.md §9): measures end to end under every engine, their
# statistics checked against scipy (Debian's python3-scipy).
foreach(engine ${SEG_ENGINES})
  add_test(NAME health.measure.${engine}
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/measure.sh $<TARGET_FILE:seg>)
  set_tests_properties(health.measure.${engine} PROPERTIES LABELS "health;e2e;${engine}"
                       ENVIRONMENT "SEG_RUN_ARGS=${SEG_ENGINE_ARGS_${engine}}")
endforeach()

# Drift: seg health against local size endpoints (inside, near, far, down), and seg report
# reading the recorded history.
add_test(NAME health.drift COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/drift.sh $<TARGET_FILE:seg>)
set_tests_properties(health.drift PROPERTIES LABELS "health;connectors")
