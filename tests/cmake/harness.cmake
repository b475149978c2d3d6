# Harness running side (runner, flags, JSON, console, envcheck): fixture benchmark binaries
# driven by the unit tests, which find them through compile definitions.
foreach(fixture crashy healthy)
  add_executable(btk_fixture_${fixture} ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/${fixture}.c)
  target_link_libraries(btk_fixture_${fixture} PRIVATE benchtrack_static)
  # Fixtures are benchmark binaries like a user's: optimized.
  target_compile_options(btk_fixture_${fixture} PRIVATE -O2)
endforeach()

foreach(t runner json main console)
  if(TARGET test_${t})
    add_dependencies(test_${t} btk_fixture_crashy btk_fixture_healthy)
    target_compile_definitions(test_${t} PRIVATE
      BTK_FIXTURE_CRASHY="$<TARGET_FILE:btk_fixture_crashy>"
      BTK_FIXTURE_HEALTHY="$<TARGET_FILE:btk_fixture_healthy>")
  endif()
endforeach()
