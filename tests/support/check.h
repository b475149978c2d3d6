/* Test helpers shared by the cmocka suites: near-equality of doubles (cmocka 1.1.5 has no
 * assert_double_equal) and temporary directories. */
#ifndef BTK_TEST_CHECK_H
#define BTK_TEST_CHECK_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* Fail the test unless |a - b| <= rel * max(|a|, |b|) (or both are 0). */
#define check_near(a, b, rel) check_near_at((a), (b), (rel), __FILE__, __LINE__)
void check_near_at(double a, double b, double rel, const char *file, int line);

/* Create a fresh empty directory under $TMPDIR (or /tmp); returns a malloc'd path. */
char *test_tmpdir(const char *tag);
/* Remove a directory tree made by test_tmpdir and free the path. */
void test_rmtree(char *path);
/* Read a whole file into a malloc'd NUL-terminated string; NULL if unreadable. */
char *test_read_file(const char *path, size_t *len_out);
/* Run argv (argv[0] is the program) with stdout+stderr captured into *output (malloc'd);
 * returns the exit status, or 128+signal when killed. */
int test_run(char *const argv[], char **output);

#endif
