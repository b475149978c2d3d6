# Report tests: the synthetic-run builder from bench/self is shared with the speed benchmark.
# test_report also drives headless Chromium (skipped when absent) and gnuplot as children.
if(TARGET test_report)
  target_sources(test_report PRIVATE ${CMAKE_SOURCE_DIR}/bench/self/report_synth.c)
  target_include_directories(test_report PRIVATE ${CMAKE_SOURCE_DIR}/bench/self)
  set_tests_properties(unit.report PROPERTIES TIMEOUT 600)
endif()

# Without gnuplot in PATH, chart and report say which package to install and exit 2; the
# other commands are unaffected (they never look for gnuplot).
foreach(cmd "chart trend sort/1024 -o x.svg" "report -o out")
  string(REGEX REPLACE " .*" "" name "${cmd}")
  add_test(NAME cli.${name}.no_gnuplot
    COMMAND /bin/sh -c "out=$(PATH=/nonexistent \"$0\" ${cmd} 2>&1); echo \"$out exit=$?\""
            $<TARGET_FILE:benchtrack>)
  set_tests_properties(cli.${name}.no_gnuplot PROPERTIES
    PASS_REGULAR_EXPRESSION "benchtrack: gnuplot not found in PATH.*gnuplot-nox.* exit=2")
endforeach()
add_test(NAME cli.log.without_gnuplot
  COMMAND /bin/sh -c "out=$(PATH=/nonexistent \"$0\" log --db /nonexistent/x.db 2>&1); echo \"$out exit=$?\""
          $<TARGET_FILE:benchtrack>)
set_tests_properties(cli.log.without_gnuplot PROPERTIES
  FAIL_REGULAR_EXPRESSION "gnuplot")
