# Change-point detection on synthetic series, beside Apache Otava
# (bench/self/changepoint-quality.sh runs it and prints the figures).
add_executable(changepoint_bench ${CMAKE_CURRENT_LIST_DIR}/changepoint_bench.c)
target_link_libraries(changepoint_bench PRIVATE btk_tool)
