# End-to-end tests of `benchtrack run`, `import`, `log` and `chart` against their
# documented behaviour (tests/fixtures/cli/check_run.sh): interruption by SIGINT, SIGTERM
# and SIGKILL leaves no process and no temporary file, results are kept when storing fails,
# exit statuses for full stdout and bad input, and output paths that never follow a
# symbolic link or overwrite the database.
add_executable(btk_fixture_sleepy ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/cli/sleepy.c)
target_link_libraries(btk_fixture_sleepy PRIVATE benchtrack_main)
target_compile_options(btk_fixture_sleepy PRIVATE -O2)
add_executable(btk_fixture_longname ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/cli/longname.c)
target_link_libraries(btk_fixture_longname PRIVATE benchtrack_main)
if(TARGET benchtrack)
  foreach(case signals keep-results stdout-full bad-input db-symlink report-paths
               report-interrupt chart-paths long-name)
    add_test(NAME e2e.cli.${case}
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/cli/check_run.sh
                     $<TARGET_FILE:benchtrack> $<TARGET_FILE:btk_fixture_sleepy> ${case}
                     $<TARGET_FILE:btk_fixture_longname>)
    set_tests_properties(e2e.cli.${case} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                         TIMEOUT 180 LABELS "no-valgrind")
  endforeach()
endif()

# The `levels` warning end to end: a binary with a benchmark at two speeds in alternate
# processes (tests/fixtures/levels/check_levels.sh).
add_executable(btk_fixture_levels ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/levels/levels_bench.c)
target_link_libraries(btk_fixture_levels PRIVATE benchtrack_main)
target_compile_options(btk_fixture_levels PRIVATE -O2)
add_test(NAME harness.levels-warning
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/levels/check_levels.sh
                 $<TARGET_FILE:btk_fixture_levels>)
# Timing-based: alone (a neighbour sharing the CPU blurs the two levels), not under valgrind.
set_tests_properties(harness.levels-warning PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                     TIMEOUT 120 LABELS "no-valgrind" RUN_SERIAL TRUE)
