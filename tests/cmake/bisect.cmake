# benchtrack bisect in a temporary repository whose benchmark links this build's
# libbenchtrack (tests/fixtures/bisect/check_bisect.sh): the culprit of a 30 % slowdown
# found past a commit that does not build, the user's checkout untouched; an interrupted
# bisection (SIGTERM while measuring, SIGINT while building) leaves no process and no
# worktree.
if(TARGET benchtrack)
  foreach(case culprit interrupt interrupt-build)
    add_test(NAME e2e.bisect.${case}
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/bisect/check_bisect.sh
                     $<TARGET_FILE:benchtrack> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR} ${case})
    set_tests_properties(e2e.bisect.${case} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                         TIMEOUT 300 LABELS "no-sanitize;no-valgrind")
  endforeach()
  # the 30 % slowdown must be found: alone, not beside another test (under ctest -j2 on 2 cores a
  # neighbour's load made it inconclusive)
  set_tests_properties(e2e.bisect.culprit PROPERTIES RUN_SERIAL TRUE)
endif()
