# End-to-end tests of `benchtrack compare` and `benchtrack ab` (owner: compare issue).
# They drive the real binary in temporary git repositories; the runs come from
# tests/fixtures/compare/make_results.py (synthetic samples with known effects).
find_program(BTK_PYTHON3 python3)
if(BTK_PYTHON3 AND TARGET benchtrack)
  foreach(case slowdown same unknown-ref no-runs machines budget usage ab-slow ab-same ab-errors)
    add_test(NAME e2e.compare.${case}
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/compare/e2e_compare.sh
                     $<TARGET_FILE:benchtrack> ${case})
    set_tests_properties(e2e.compare.${case} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                         TIMEOUT 120)
  endforeach()
endif()
