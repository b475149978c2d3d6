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
# The output formats are part of the benchtrack executable: their unit test compiles them
# in, with the CLI's shared helpers (escaping for the terminal) and option parser.
if(TARGET test_regressions_out)
  target_sources(test_regressions_out PRIVATE ${CMAKE_SOURCE_DIR}/compare/cli/regressions_out.c
                 ${CMAKE_SOURCE_DIR}/compare/cli/common.c ${CMAKE_SOURCE_DIR}/compare/cli/opt.c)
endif()
