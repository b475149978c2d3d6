# Harness running side (runner, flags, JSON, console, envcheck): fixture benchmark binaries
# driven by the unit tests, which find them through compile definitions.
foreach(fixture crashy healthy)
  add_executable(btk_fixture_${fixture} ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/${fixture}.c)
  target_link_libraries(btk_fixture_${fixture} PRIVATE benchtrack_main)
  # Fixtures are benchmark binaries like a user's: optimized.
  target_compile_options(btk_fixture_${fixture} PRIVATE -O2)
endforeach()

foreach(t runner json main console)
  if(TARGET test_${t})
    add_dependencies(test_${t} btk_fixture_crashy btk_fixture_healthy)
    target_compile_definitions(test_${t} PRIVATE
      BTK_FIXTURE_CRASHY="$<TARGET_FILE:btk_fixture_crashy>"
      BTK_FIXTURE_HEALTHY="$<TARGET_FILE:btk_fixture_healthy>")
  endif()
endforeach()

# The build warnings describe the benchmark's own file, as BTK_BENCH recorded it: a file
# compiled at -O0 without NDEBUG is named in both warnings and in the JSON context.
add_executable(btk_fixture_unopt ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/unopt.c)
target_link_libraries(btk_fixture_unopt PRIVATE benchtrack_main)
target_compile_options(btk_fixture_unopt PRIVATE -O0 -UNDEBUG)
add_test(NAME harness.unoptimized_benchmarks_warn
  COMMAND btk_fixture_unopt --time-budget 5 --format json)
set_tests_properties(harness.unoptimized_benchmarks_warn PROPERTIES
  ENVIRONMENT "${BTK_TEST_ENV}"
  PASS_REGULAR_EXPRESSION "benchmarks built without optimization \\(unopt_bench\\)[^\n]*\n[^\n]*assertions enabled, NDEBUG not defined \\(unopt_bench\\).*\"optimized\": false.*\"assertions\": true")
