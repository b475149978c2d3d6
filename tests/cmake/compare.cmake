# End-to-end tests of `benchtrack compare` and `benchtrack ab`.
# They drive the real binary in temporary git repositories; the runs come from
# tests/fixtures/compare/make_results.py (synthetic samples with known effects).
find_program(BTK_PYTHON3 python3)
if(BTK_PYTHON3 AND TARGET benchtrack)
  foreach(case slowdown same unknown-ref no-runs machines budget usage ab-slow ab-same ab-store
               ab-errors dirty builds ab-builds long-names run-ids-outside-git
               history-unknown report-run-id per-call-budget
               report-config sample-lengths core-states shared-aside levels)
    add_test(NAME e2e.compare.${case}
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/compare/e2e_compare.sh
                     $<TARGET_FILE:benchtrack> ${case})
    set_tests_properties(e2e.compare.${case} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                         TIMEOUT 120 SKIP_RETURN_CODE 77)
  endforeach()
endif()

# A real benchmark binary at two work factors (tests/fixtures/compare/work_bench.c): the
# base and 20% slower in benchmark `work`, for the end-to-end tests below.
foreach(work 100 120)
  add_executable(fixture_work_${work} ${CMAKE_SOURCE_DIR}/tests/fixtures/compare/work_bench.c)
  target_link_libraries(fixture_work_${work} PRIVATE benchtrack_main)
  target_compile_definitions(fixture_work_${work} PRIVATE BTK_FIXTURE_WORK=${work})
  target_compile_options(fixture_work_${work} PRIVATE -O2)
endforeach()
if(TARGET benchtrack)
  foreach(case real-slowdown real-same confirm)
    add_test(NAME e2e.compare.${case}
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/compare/e2e_compare.sh
                     $<TARGET_FILE:benchtrack> ${case} $<TARGET_FILE_DIR:fixture_work_100>)
    # Timing-based: a sanitizer or valgrind build distorts the work factor's share of the
    # time, and the test drives ~20 benchmark processes.
    set_tests_properties(e2e.compare.${case} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                         TIMEOUT 300 LABELS "no-sanitize;no-valgrind")
  endforeach()
  # The wrong-binary and missing-identity refusals run nothing: no timing in them.
  add_test(NAME e2e.compare.confirm-errors
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/compare/e2e_compare.sh
                   $<TARGET_FILE:benchtrack> confirm-errors $<TARGET_FILE_DIR:fixture_work_100>)
  set_tests_properties(e2e.compare.confirm-errors PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                       TIMEOUT 300)
  # The slowdown must be found: alone, not beside another test (under ctest -j2 on 2 cores a
  # neighbour's load widened the interval to +/-16 % and the verdict read inconclusive).
  set_tests_properties(e2e.compare.real-slowdown e2e.compare.confirm PROPERTIES RUN_SERIAL TRUE)
endif()

# The step protocol (docs/benchmark-binary.md#step-protocol) with real harness binaries
# that log the order their processes start in (tests/fixtures/compare/order_bench.c).
foreach(side old new)
  add_executable(fixture_order_${side} ${CMAKE_SOURCE_DIR}/tests/fixtures/compare/order_bench.c)
  target_link_libraries(fixture_order_${side} PRIVATE benchtrack_main)
  if(side STREQUAL "new")
    target_compile_definitions(fixture_order_${side} PRIVATE BTK_FIXTURE_NEW=1)
  endif()
endforeach()
if(TARGET benchtrack AND BTK_PYTHON3)
  foreach(case ab-step step-protocol)
    add_test(NAME e2e.compare.${case}
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/compare/e2e_compare.sh
                     $<TARGET_FILE:benchtrack> ${case} $<TARGET_FILE_DIR:fixture_order_old>)
    set_tests_properties(e2e.compare.${case} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                         TIMEOUT 300)
  endforeach()
endif()

# The Monte-Carlo rates of the run-noise rule (tests/unit/test_runnoise_rates.c) cost about
# 4 CPU seconds; under valgrind that is minutes for memory paths that unit.compare and
# unit.runnoise already run under it.
set_tests_properties(unit.runnoise_rates PROPERTIES LABELS "no-valgrind" TIMEOUT 300)
