# `benchtrack export`: hostile names through OpenMetrics (checked by Prometheus's promtool,
# which ci/setup.sh installs; skipped where it is absent), CSV and JSON.
if(TARGET benchtrack)
  add_test(NAME e2e.export
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/export/check_export.sh
                   $<TARGET_FILE:benchtrack>)
  set_tests_properties(e2e.export PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}" TIMEOUT 120
                       SKIP_RETURN_CODE 77)
endif()
