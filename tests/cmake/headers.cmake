# The public headers compile alone as C11 and as C++ with warnings as errors. Each check is a
# ctest that invokes the compiler, so a header that breaks fails the suite, not the build.
set(BTK_HDR_FLAGS -Wall -Wextra -Wpedantic -Werror -I${CMAKE_SOURCE_DIR}/include)
add_test(NAME headers.c11
  COMMAND ${CMAKE_C_COMPILER} -std=c11 ${BTK_HDR_FLAGS} -fsyntax-only
          ${CMAKE_CURRENT_SOURCE_DIR}/headers/header_c.c)
find_program(BTK_CXX NAMES c++ g++ clang++)
if(BTK_CXX)
  add_test(NAME headers.cxx
    COMMAND ${BTK_CXX} -std=c++11 ${BTK_HDR_FLAGS} -fsyntax-only
            ${CMAKE_CURRENT_SOURCE_DIR}/headers/header_cxx.cc)
endif()
set_tests_properties(headers.c11 PROPERTIES LABELS "no-valgrind")
# The exported API of the shared library matches docs/api-exports.txt, and every global symbol
# of the static archive carries the btk_ prefix (or is one of the documented interposers).
add_test(NAME headers.exports
  COMMAND bash ${CMAKE_SOURCE_DIR}/ci/check-exports.sh $<TARGET_FILE:benchtrack_shared>
          $<TARGET_FILE:benchtrack_static> $<TARGET_FILE:benchtrack_main>)
