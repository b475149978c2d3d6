# benchtrack regressions over a synthetic history imported into a temporary repository
# (tests/fixtures/regressions/check_regressions.sh): windows, exit statuses, every format's
# escaping of hostile names and subjects, --improvements, acknowledgements.
if(TARGET benchtrack)
  add_test(NAME e2e.regressions
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/regressions/check_regressions.sh
                   $<TARGET_FILE:benchtrack> ${CMAKE_SOURCE_DIR})
  set_tests_properties(e2e.regressions PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                       TIMEOUT 300 LABELS "no-valgrind")
endif()
