# Named parameters and complexity fits end to end (tests/fixtures/params/check_params.py):
# the grid's names and filters, the JSON's "params" and "complexity", a body reading an
# unknown parameter, and the tool's import, history and show --complexity.
add_executable(btk_fixture_params ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/params/params_bench.c)
target_link_libraries(btk_fixture_params PRIVATE benchtrack_main)
target_compile_options(btk_fixture_params PRIVATE -O2)
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  add_test(NAME e2e.params
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/params/check_params.py
            $<TARGET_FILE:btk_fixture_params> $<TARGET_FILE:benchtrack>)
  set_tests_properties(e2e.params PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}" TIMEOUT 600)
endif()
# The complexity reference values (tests/data/complexity/reference.h, read by
# unit.complexity) are what make_reference.py computes, not edited by hand.
if(Python3_FOUND)
  add_test(NAME unit.complexity_reference_is_generated
    COMMAND bash -c "${Python3_EXECUTABLE} '${CMAKE_CURRENT_SOURCE_DIR}/data/complexity/make_reference.py' | diff - '${CMAKE_CURRENT_SOURCE_DIR}/data/complexity/reference.h'")
  set_tests_properties(unit.complexity_reference_is_generated PROPERTIES LABELS "no-valgrind")
endif()
