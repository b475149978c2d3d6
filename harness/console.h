/*
 * The console table on stdout: one aligned row per benchmark, printed as soon as its result
 * is final, times scaled to ns/us/ms/s, colour only when allowed (a TTY, NO_COLOR unset or
 * empty).
 */
#ifndef BTK_CONSOLE_H
#define BTK_CONSOLE_H

#include "complexity.h"
#include "result.h"

typedef struct btk_console {
    FILE *out;
    bool colour;
    int name_width; /* width of the first column */
    /* scaling of a thread range: the fewest-threads row of the current family and param */
    char base_key[280];
    unsigned base_threads;
    double base_median;
} btk_console;

/* Set up c for writing to out; name_width is the longest benchmark name to align to. */
void btk_console_init(btk_console *c, FILE *out, bool colour, size_t name_width);

/* Whether colour may be used on fd: it is a TTY and NO_COLOR is unset or empty. */
bool btk_console_colour_allowed(int fd);

/* Print the header line and a rule. */
void btk_console_header(const btk_console *c);

/* Print r's row: figures when it succeeded, "FAILED <reason>" when not. A threaded
 * benchmark's row adds its threads, CPU time per iteration (all threads) and, after a row
 * of the same family and parameter with fewer threads, the speed-up of the throughput over
 * that row; a per-call benchmark's row adds the p50 and p99 of its calls. */
void btk_console_row(btk_console *c, const btk_bench_result *r);

/* Print the complexity fits after the table: one line per group with the verdict, the
 * power law's exponent and interval, and the chosen class's coefficient and rms. */
void btk_console_complexity(const btk_console *c, const btk_cx_group *groups, size_t count);

/* "812.3 ns", "1.250 us", "12.50 ms", "3.400 s": three to four significant digits. */
void btk_console_format_time(char *buf, size_t len, double ns);

/* A rate with a k/M/G/T prefix and unit: "1.26 GB/s"; unit " items" gives "2.86 G items/s". */
void btk_console_format_rate(char *buf, size_t len, double per_second, const char *unit);

#endif
