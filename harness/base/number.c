/*
 * The one rule for numbers given on a command line (the benchmark binary's flags and the
 * tool's options): plain decimals only.
 */
#include "internal.h"

bool btk__is_plain_decimal(const char *s, bool fraction)
{
    size_t digits = 0;

    s += *s == '-';
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (fraction && *s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    return digits > 0 && *s == '\0';
}
