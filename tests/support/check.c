/* Near-equality of doubles for cmocka tests. */
#include "check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void check_near_at(double a, double b, double rel, const char *file, int line)
{
    double scale = fmax(fabs(a), fabs(b));

    if (a == b || fabs(a - b) <= rel * scale)
        return;
    print_error("%s:%d: %.17g and %.17g differ by more than %g relative\n", file, line, a, b,
                rel);
    _fail(file, line);
}

int test_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double test_sorted_median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), test_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
