# The harness-overhead benchmark (bench/self/overhead.sh runs it): a dedicated program that
# drives the sampler in-process, so it needs the harness's internal headers.
add_executable(btk_overhead ${CMAKE_CURRENT_SOURCE_DIR}/self/overhead.c)
target_link_libraries(btk_overhead PRIVATE benchtrack_main)
target_include_directories(btk_overhead PRIVATE ${CMAKE_SOURCE_DIR}/harness ${CMAKE_SOURCE_DIR}/harness/base)
target_compile_options(btk_overhead PRIVATE -O2)
