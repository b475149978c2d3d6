# Using benchtrack like any C library: an out-of-tree consumer built five ways against this
# build (installed into a temporary prefix; add_subdirectory and FetchContent of the
# source). Needs the install rules, which a top-level build has.
if(BTK_INSTALL)
  add_test(NAME package.consumers
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/consumer/check_consumers.sh
                   ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR})
  # Builds and links outside the sanitizer's flags; compilers are not valgrind's business.
  set_tests_properties(package.consumers PROPERTIES TIMEOUT 600
                       LABELS "no-sanitize;no-valgrind")
endif()
