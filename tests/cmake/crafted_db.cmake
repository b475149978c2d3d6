# Crafted results databases (tests/fuzz/make-db-corpus.sh): `benchtrack log` and `import`
# refuse each with exit 2 and one line, leaving the file byte for byte as it was; a FIFO,
# /dev/null and a directory as --db too. Needs the sqlite3 command (ci/setup.sh).
if(TARGET benchtrack)
  add_test(NAME store.crafted_databases_refused_untouched
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fuzz/crafted-db-cli.sh
                   ${CMAKE_BINARY_DIR}/benchtrack)
  set_tests_properties(store.crafted_databases_refused_untouched PROPERTIES
    ENVIRONMENT "${BTK_TEST_ENV}" TIMEOUT 300
    PASS_REGULAR_EXPRESSION "crafted databases: all refused untouched, valid ones read"
    FAIL_REGULAR_EXPRESSION "FAIL: ")
endif()
