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

# The posix backends (timer_posix.c, runner_posix.c, memtrack_posix.c) are what a build
# for another system uses. A second libbenchtrack is built here with all of them, and the
# runner and memtrack suites run again against it (unit.runner_posix,
# unit.memtrack_posix), so the fallbacks compile with the same warnings and keep working.
add_library(btk_objs_posix OBJECT ${BTK_HARNESS_SRC} ${BTK_HARNESS_FALLBACK})
target_include_directories(btk_objs_posix
  PUBLIC ${CMAKE_SOURCE_DIR}/include
  PRIVATE ${CMAKE_SOURCE_DIR}/harness ${BTK_BASE_DIR})
target_compile_definitions(btk_objs_posix PRIVATE BTK_BUILDING
  BTK_VERSION="${PROJECT_VERSION}"
  BTK_C_COMPILER="${CMAKE_C_COMPILER_ID} ${CMAKE_C_COMPILER_VERSION}")
target_compile_options(btk_objs_posix PRIVATE -fvisibility=hidden)
target_link_libraries(btk_objs_posix PUBLIC PkgConfig::JANSSON)
add_library(benchtrack_posix STATIC $<TARGET_OBJECTS:btk_objs_posix> ${BTK_DEFAULT_MAIN})
target_include_directories(benchtrack_posix PUBLIC ${CMAKE_SOURCE_DIR}/include)
target_link_libraries(benchtrack_posix PUBLIC PkgConfig::JANSSON m dl)

foreach(fixture crashy healthy)
  add_executable(btk_fixture_${fixture}_posix
                 ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/${fixture}.c)
  target_link_libraries(btk_fixture_${fixture}_posix PRIVATE benchtrack_posix)
  target_compile_options(btk_fixture_${fixture}_posix PRIVATE -O2)
endforeach()
foreach(t runner memtrack)
  add_executable(test_${t}_posix ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_${t}.c)
  target_link_libraries(test_${t}_posix PRIVATE btk_testsupport benchtrack_posix
                                                PkgConfig::JANSSON)
  target_include_directories(test_${t}_posix PRIVATE ${CMAKE_SOURCE_DIR}/harness
                                                     ${BTK_BASE_DIR})
  add_test(NAME unit.${t}_posix COMMAND test_${t}_posix)
  set_tests_properties(unit.${t}_posix PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                                                  TIMEOUT 300)
endforeach()
add_dependencies(test_runner_posix btk_fixture_crashy_posix btk_fixture_healthy_posix)
target_compile_definitions(test_runner_posix PRIVATE
  BTK_FIXTURE_CRASHY="$<TARGET_FILE:btk_fixture_crashy_posix>"
  BTK_FIXTURE_HEALTHY="$<TARGET_FILE:btk_fixture_healthy_posix>")

# unit.memtrack runs with the counting allocator preloaded, so its in-process tests (arming
# the switch around single calls) count; its counting-process test starts a process of its
# own either way.
if(BTK_MEMTRACK_SO)
  set_tests_properties(unit.memtrack PROPERTIES
    ENVIRONMENT "${BTK_TEST_ENV};LD_PRELOAD=${BTK_MEMTRACK_SO}")
endif()
