# End-to-end tests of counts and CPU time as metrics of their own (docs/statistics.md §10):
# counting runs compared by threshold, identities, nondeterminism, time/count
# disagreement, --metric cpu, Google Benchmark's cpu_time, show's interval over processes, regressions --metric
# instructions|cpu, --metric cycles (compare, history, regressions; refused by chart and
# report). Fixtures are made from
# tests/data/json/valid/counting.json and make_results.py by tests/fixtures/metrics/variant.py.
find_program(BTK_PYTHON3 python3)
if(BTK_PYTHON3 AND TARGET benchtrack)
  foreach(case count-same count-tiny count-regressed count-identity count-nondet disagree
               cpu-metric cpu-missing gbench-cpu show-interval history chart-cpu
               report-cpu regressions-counts regressions-cpu
               report-counts cycles-clock cycles-misread cycles-auto cycles-regressed cycles-missing
               cycles-history)
    add_test(NAME e2e.metrics.${case}
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/metrics/e2e_metrics.sh
                     $<TARGET_FILE:benchtrack> ${CMAKE_SOURCE_DIR} ${case})
    set_tests_properties(e2e.metrics.${case} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                         TIMEOUT 120 SKIP_RETURN_CODE 77)
  endforeach()
endif()
