# Measuring-side test settings (included from tests/CMakeLists.txt).
# test_sampler checks that btk_do_not_optimize defeats dead-code elimination: compile it at
# -O3 so it faces the optimizer users build benchmarks with.
if(TARGET test_sampler)
  set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/unit/test_sampler.c
                              PROPERTIES COMPILE_OPTIONS "-O3")
endif()
