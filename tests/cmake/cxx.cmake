# Benchmarks written in C++: tests/fixtures/cxx/cxx_bench.cc built with the C++ compilers
# found (g++ and clang++) at several standards, with warnings as errors, linked with
# libbenchtrack, run, and checked (tests/fixtures/cxx/check_cxx.sh). Each is a ctest that
# invokes the compiler, like the header checks (headers.cmake).
find_program(BTK_GXX NAMES g++)
find_program(BTK_CLANGXX NAMES clang++)
set(btk_cxx_extra)
if(BTK_SANITIZE)
  set(btk_cxx_extra -fsanitize=address,undefined -fno-omit-frame-pointer)
endif()
set(btk_cxx_cases)
if(BTK_GXX)
  foreach(std c++11 c++17 c++20)
    list(APPEND btk_cxx_cases "gnu-${std}|${BTK_GXX}|${std}")
  endforeach()
endif()
if(BTK_CLANGXX)
  list(APPEND btk_cxx_cases "clang-c++17|${BTK_CLANGXX}|c++17")
endif()
foreach(case ${btk_cxx_cases})
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 compiler)
  list(GET parts 2 std)
  add_test(NAME cxx.bench.${name}
    COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fixtures/cxx/check_cxx.sh ${compiler} ${std}
            $<TARGET_FILE:benchtrack_static>
            $<TARGET_FILE:benchtrack_main> ${btk_cxx_extra})
  # Compiling and running a benchmark binary under valgrind adds nothing to what the
  # sanitizer stage checks.
  set_tests_properties(cxx.bench.${name} PROPERTIES ENVIRONMENT "${BTK_TEST_ENV}"
                       TIMEOUT 300 LABELS "no-valgrind")
endforeach()
