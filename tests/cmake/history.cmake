# History that names the commit, end to end (tests/fixtures/history/check_history.sh), in
# temporary repositories whose benchmark links this build's libbenchtrack:
#  - proof: 40 commits with a 50 % slowdown at commit 23; run --commits records them,
#    regressions names exactly commit 23 (exit 1), bisect names it with its number of
#    builds, the report lists it;
#  - levels: the proof with each process at one of two levels 1.35x apart at random (the
#    noise of CI's host of 2026-12-03, made on purpose by the fixture benchmark);
#  - range: run --commits --every, skipping what is recorded, a commit that does not build,
#    bad arguments;
#  - interrupt: SIGINT during run --commits leaves nothing behind; a rerun continues.
# Not under the sanitizers: the fixture benchmark links the plain static library.
if(TARGET benchtrack)
  foreach(case proof levels range interrupt)
    add_test(NAME e2e.history.${case}
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/history/check_history.sh
                     $<TARGET_FILE:benchtrack> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR} ${case})
    set_tests_properties(e2e.history.${case} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                         TIMEOUT 600 LABELS "no-sanitize;no-valgrind")
  endforeach()
  # The proof times a step commit by commit: alone, not beside another test.
  set_tests_properties(e2e.history.proof e2e.history.levels PROPERTIES RUN_SERIAL TRUE)
endif()
