# The dependency direction (docs/conventions.md): ci/check-deps.py passes on the tree and
# rejects a crafted upward include.
find_program(BTK_PYTHON3_LINT python3)
if(BTK_PYTHON3_LINT)
  add_test(NAME lint.deps COMMAND ${BTK_PYTHON3_LINT} ${CMAKE_SOURCE_DIR}/ci/check-deps.py
                                  ${CMAKE_SOURCE_DIR})
  add_test(NAME lint.deps_rejects_upward_include
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/lint/check_deps_rejects.sh
                   ${CMAKE_SOURCE_DIR})
  set_tests_properties(lint.deps lint.deps_rejects_upward_include PROPERTIES
                       LABELS "no-valgrind")
endif()
