# The example suite with 1% more work in the CPU-bound example (BTK_EXAMPLE_WORK 1000 ->
# 1010 steps, through bench/self/example_cpu_plus1.c), for bench/self/counting.sh. Every
# other example is compiled exactly as in `examples`.
if(BTK_EXAMPLES)
  set(btk_plus1_sources ${BTK_EXAMPLES})
  list(FILTER btk_plus1_sources EXCLUDE REGEX "/example_cpu\\.c$")
  add_executable(examples_cpu_plus1 ${btk_plus1_sources}
                                    ${CMAKE_CURRENT_SOURCE_DIR}/self/example_cpu_plus1.c)
  target_link_libraries(examples_cpu_plus1 PRIVATE benchtrack_main)
  target_compile_options(examples_cpu_plus1 PRIVATE -O2)
endif()
