# Report tests: the synthetic-run builder from bench/self is shared with the speed benchmark.
# test_report also drives headless Chromium (skipped when absent) and gnuplot as children.
if(TARGET test_report)
  target_sources(test_report PRIVATE ${CMAKE_SOURCE_DIR}/bench/self/report_synth.c)
  target_include_directories(test_report PRIVATE ${CMAKE_SOURCE_DIR}/bench/self)
  set_tests_properties(unit.report PROPERTIES TIMEOUT 600)
endif()
