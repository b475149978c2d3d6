# End-to-end tests of machine identity: hardware fingerprints, --machine NAME /
# BENCHTRACK_MACHINE, host names in separate UTS namespaces, and a v2 database
# (tests/fixtures/machine/e2e_machine.sh; docs/database.md, "Fingerprint").
if(TARGET benchtrack AND TARGET fixture_work_100)
  foreach(case named-hosts hardware-hosts bad-names old-db)
    add_test(NAME e2e.machine.${case}
             COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/machine/e2e_machine.sh
                     $<TARGET_FILE:benchtrack> ${case} $<TARGET_FILE_DIR:fixture_work_100>)
    set_tests_properties(e2e.machine.${case} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                         TIMEOUT 180 SKIP_RETURN_CODE 77)
  endforeach()
endif()
