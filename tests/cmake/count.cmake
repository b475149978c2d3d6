# Counting mode (--measure instructions): a fixture binary whose bodies have known
# instruction counts, checked end to end by tests/fixtures/count_check.py under valgrind's
# callgrind. Those tests run valgrind themselves, so they cannot run under ASan or inside
# memcheck (labels no-sanitize, no-valgrind).
add_executable(btk_fixture_count ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/count_bench.c)
target_link_libraries(btk_fixture_count PRIVATE benchtrack_main)
target_compile_options(btk_fixture_count PRIVATE -O2)

find_program(BTK_VALGRIND valgrind)
find_package(Python3 COMPONENTS Interpreter)
if(HAVE_VALGRIND_CALLGRIND_H AND BTK_VALGRIND AND Python3_FOUND AND NOT BTK_SANITIZE)
  add_test(NAME count.fixture_counts
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/count_check.py
            $<TARGET_FILE:btk_fixture_count> $<TARGET_FILE:examples>)
  set_tests_properties(count.fixture_counts PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
    TIMEOUT 600 LABELS "no-sanitize;no-valgrind")
endif()

# Bad combinations are usage errors (exit 2) with one line saying why.
add_test(NAME count.processes_one_is_refused
  COMMAND btk_fixture_count --measure instructions --processes 1)
set_tests_properties(count.processes_one_is_refused PROPERTIES WILL_FAIL FALSE
  PASS_REGULAR_EXPRESSION "benchtrack: --measure instructions needs --processes 2 or more")
add_test(NAME count.unknown_measure_is_refused COMMAND btk_fixture_count --measure cycles)
set_tests_properties(count.unknown_measure_is_refused PROPERTIES
  PASS_REGULAR_EXPRESSION "benchtrack: unknown measure 'cycles' for '--measure'")
add_test(NAME count.cache_sim_needs_instructions COMMAND btk_fixture_count --cache-sim)
set_tests_properties(count.cache_sim_needs_instructions PROPERTIES
  PASS_REGULAR_EXPRESSION "benchtrack: --cache-sim needs --measure instructions")
# The posix library is built without valgrind/callgrind.h (tests/cmake/harness.cmake): the
# binary still builds, and the mode says it is not available.
add_test(NAME count.not_available_without_callgrind_h
  COMMAND btk_fixture_healthy_posix --measure instructions)
set_tests_properties(count.not_available_without_callgrind_h PROPERTIES
  PASS_REGULAR_EXPRESSION "benchtrack: --measure instructions is not available in this build")
# perf-instructions without a PMU (this machine): exit 3 and one line saying why; skipped
# where the kernel has a CPU PMU (the path itself is not exercised on the reference machine).
add_test(NAME count.perf_instructions_refused_without_pmu
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/count_perf_refusal.sh
          $<TARGET_FILE:btk_fixture_count>)
set_tests_properties(count.perf_instructions_refused_without_pmu PROPERTIES SKIP_RETURN_CODE 77)
