/* Near-equality of doubles for cmocka tests. */
#include "check.h"

#include <math.h>
#include <stdio.h>

void check_near_at(double a, double b, double rel, const char *file, int line)
{
    double scale = fmax(fabs(a), fabs(b));

    if (a == b || fabs(a - b) <= rel * scale)
        return;
    print_error("%s:%d: %.17g and %.17g differ by more than %g relative\n", file, line, a, b,
                rel);
    _fail(file, line);
}
