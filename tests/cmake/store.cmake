# The store area's extra test settings and end-to-end tests of benchtrack run/import/
# history/log/show (they drive ${CMAKE_BINARY_DIR}/benchtrack in temporary git repositories).

# Forks dozens of writer processes and kills them at random: too slow under valgrind (each
# child is a full valgrind process); it runs in the main and sanitizer stages.
set_tests_properties(unit.store_stress PROPERTIES LABELS "no-valgrind" TIMEOUT 600)
