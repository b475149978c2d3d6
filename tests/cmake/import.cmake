# End-to-end limits of `benchtrack import` (docs/json-format.md, "Limits"): each case runs
# the real executable on an over-limit input in a temporary directory and must print the
# documented one-line error and exit 2 (tests/cmake/import_limit.sh checks both). Endless
# input (/dev/zero) must stop at the size limit, well within the timeout.
set(BTK_IMPORT_LIMIT_SH ${CMAKE_SOURCE_DIR}/tests/cmake/import_limit.sh)
foreach(case dev_zero long_name many_benchmarks duplicate)
  add_test(NAME import.limit_${case}
           COMMAND bash ${BTK_IMPORT_LIMIT_SH} ${CMAKE_BINARY_DIR}/benchtrack ${case}
                   ${CMAKE_SOURCE_DIR})
  set_tests_properties(import.limit_${case} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                       TIMEOUT 60 LABELS "no-valgrind")
endforeach()
