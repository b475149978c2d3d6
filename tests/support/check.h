/* Test helpers shared by the cmocka suites: near-equality of doubles (cmocka 1.1.5 has no
 * assert_double_equal), temporary directories, running a program, and whether valgrind
 * runs the test. */
#ifndef BTK_TEST_CHECK_H
#define BTK_TEST_CHECK_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* RUNNING_ON_VALGRIND: nonzero when the test runs under valgrind (its client request), 0
 * where valgrind's header is not installed. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#if !defined(RUNNING_ON_VALGRIND)
#define RUNNING_ON_VALGRIND 0
#endif

/* Fail the test unless |a - b| <= rel * max(|a|, |b|) (or both are 0). */
#define check_near(a, b, rel) check_near_at((a), (b), (rel), __FILE__, __LINE__)
void check_near_at(double a, double b, double rel, const char *file, int line);

/* qsort's comparison of doubles, ascending. */
int test_cmp_double(const void *a, const void *b);
/* The median of v[0..n) by a plain sort (sorts v; the mean of the two middle values when n
 * is even): the reference for benchtrack's selection-based order statistics. */
double test_sorted_median(double *v, size_t n);

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
