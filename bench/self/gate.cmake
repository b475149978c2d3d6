# The example suite with a 5% slowdown injected at compile time into the CPU-bound example
# (bench/examples/example_cpu.c: BTK_EXAMPLE_WORK 1000 -> 1050 steps per iteration, through
# bench/self/example_cpu_plus5.c), for bench/self/gate-error-rates.sh. Every other example
# is compiled exactly as in `examples`.
if(BTK_EXAMPLES)
  set(btk_plus5_sources ${BTK_EXAMPLES})
  list(FILTER btk_plus5_sources EXCLUDE REGEX "/example_cpu\\.c$")
  add_executable(examples_cpu_plus5 ${btk_plus5_sources}
                                    ${CMAKE_CURRENT_SOURCE_DIR}/self/example_cpu_plus5.c)
  target_link_libraries(examples_cpu_plus5 PRIVATE benchtrack_main)
  target_compile_options(examples_cpu_plus5 PRIVATE -O2)
endif()
