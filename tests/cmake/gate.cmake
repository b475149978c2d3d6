# ci/gate.sh in a temporary repository whose benchmarks link this build's libbenchtrack
# (tests/fixtures/gate/check_gate.sh): a pull request that adds the benchmark target, with
# CMake and with a build command; a 40 % slowdown found through a build command, the summary
# naming commits, not temporary paths.
if(TARGET benchtrack)
  foreach(case new-cmake new-command slower)
    add_test(NAME ci.gate.${case}
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/gate/check_gate.sh
                     $<TARGET_FILE:benchtrack> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR} ${case})
    set_tests_properties(ci.gate.${case} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                         TIMEOUT 300 LABELS "no-sanitize;no-valgrind")
  endforeach()
  # the 40 % slowdown must be found: alone, not beside another test (under ctest -j2 on 2 cores a
  # neighbour's load made it inconclusive)
  set_tests_properties(ci.gate.slower PROPERTIES RUN_SERIAL TRUE)
endif()
