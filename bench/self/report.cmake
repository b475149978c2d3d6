# report-gen: synthetic store for bench/self/report-speed.sh (uses the store's API).
add_executable(report-gen ${CMAKE_CURRENT_SOURCE_DIR}/self/report_gen.c
                          ${CMAKE_CURRENT_SOURCE_DIR}/self/report_synth.c)
target_include_directories(report-gen PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/self)
target_link_libraries(report-gen PRIVATE btk_tool)
