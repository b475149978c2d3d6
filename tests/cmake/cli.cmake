# The CLI's option parser (compare/cli/opt.c) is part of the benchtrack executable, not of a
# library: its unit test compiles it in.
if(TARGET test_cli_opt)
  target_sources(test_cli_opt PRIVATE ${CMAKE_SOURCE_DIR}/compare/cli/opt.c)
endif()
