/*
 * The one rule for numbers given on a command line (the benchmark binary's flags and the
 * tool's options): plain decimals only. And the value of a hex digit, for the decoders of
 * hex text (PostgreSQL's bytea, the step protocol's names).
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

int btk__hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}
