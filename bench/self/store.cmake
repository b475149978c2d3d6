# Speed of the results database (bench/self/store-speed.sh prints the figures).
add_executable(store_speed ${CMAKE_CURRENT_LIST_DIR}/store_speed.c)
target_link_libraries(store_speed PRIVATE btk_tool)
# The store on both backends (bench/self/store-backends.sh prints the figures).
add_executable(store_backends ${CMAKE_CURRENT_LIST_DIR}/store_backends.c)
target_link_libraries(store_backends PRIVATE btk_tool)
