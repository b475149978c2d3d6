# The store area's extra test settings and end-to-end tests of benchtrack run/import/
# history/log/show (they drive ${CMAKE_BINARY_DIR}/benchtrack in temporary git repositories).

# Forks dozens of writer processes and kills them at random: too slow under valgrind (each
# child is a full valgrind process); it runs in the main and sanitizer stages.
set_tests_properties(unit.store_stress PROPERTIES LABELS "no-valgrind" TIMEOUT 600)

# Expected-failure CLI cases checked by message (cmocka's rule), run from the build tree.
add_test(NAME store.import_malformed_names_file_line_column
         COMMAND ${CMAKE_BINARY_DIR}/benchtrack import
                 ${CMAKE_SOURCE_DIR}/tests/data/json/invalid/syntax.json
                 --db ${CMAKE_BINARY_DIR}/store-e2e-unused.db)
set_tests_properties(store.import_malformed_names_file_line_column PROPERTIES
  ENVIRONMENT "${BTK_TEST_ENV}" WILL_FAIL FALSE
  PASS_REGULAR_EXPRESSION "benchtrack: .*syntax\\.json:3:[0-9]+: ")
add_test(NAME store.log_missing_database_is_named
         COMMAND ${CMAKE_BINARY_DIR}/benchtrack log --db ${CMAKE_BINARY_DIR}/no-such.db)
set_tests_properties(store.log_missing_database_is_named PROPERTIES
  ENVIRONMENT "${BTK_TEST_ENV}"
  PASS_REGULAR_EXPRESSION "benchtrack: no results database at '.*no-such\\.db'")

# Both backends print the same for every command that reads or writes results (needs the
# throwaway cluster of ci/pg-cluster.sh in $BTK_TEST_PG; skipped, visibly, without it).
add_test(NAME store.pg_same_output
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cmake/pg_same_output.sh ${CMAKE_SOURCE_DIR}
                 ${CMAKE_BINARY_DIR})
set_tests_properties(store.pg_same_output PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                     SKIP_RETURN_CODE 77 TIMEOUT 300)

# Forks 16-20 writer processes against the PostgreSQL server and stops a private cluster:
# not under valgrind (each child would be a valgrind process); the main and sanitizer
# stages run it.
set_tests_properties(unit.store_pg_stress PROPERTIES LABELS "no-valgrind" TIMEOUT 600)

# benchtrack push between SQLite and PostgreSQL (the PostgreSQL legs need $BTK_TEST_PG).
add_test(NAME store.push COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cmake/push.sh
                                 ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR})
set_tests_properties(store.push PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}" TIMEOUT 300)
