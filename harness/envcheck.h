/*
 * Environment checks: once per run, find what makes numbers untrustworthy (frequency
 * scaling, turbo, ASLR, load, virtualization, unoptimized or asserting builds, missing perf
 * counters or allocation counting) and the host facts for the JSON context (read by
 * host.c). Files are read under a root prefix so tests can feed a fake /sys and /proc
 * tree.
 */
#ifndef BTK_ENVCHECK_H
#define BTK_ENVCHECK_H

#include "internal.h"

#define BTK_ENV_MAX_WARNINGS 16

typedef struct btk_env_warning {
    char code[16];     /* governor, turbo, aslr, load, vm, unoptimized, assertions, perf,
                          memtrack, pin */
    char message[256]; /* one line, lower-case */
} btk_env_warning;

/* What the checks cannot read from files: the build and the probes' answers. */
typedef struct btk_env_input {
    const char *root;       /* prefix for /proc, /sys and /etc paths; NULL or "" is "/" */
    bool optimized;         /* every benchmark's file was compiled with optimization */
    bool assertions;        /* some benchmark's file was compiled without NDEBUG */
    const char *compiler;   /* compiler of the benchmarks' files (borrowed), or NULL */
    char unoptimized_names[96]; /* families built without optimization, for the message */
    char assertion_names[96];   /* families built with assertions */
    bool perf_available;
    const char *perf_reason;
    bool memtrack_wanted;   /* false with --no-memtrack: then no memtrack warning */
    bool memtrack_available;
    const char *memtrack_reason;
} btk_env_input;

typedef struct btk_env_report {
    size_t count;
    btk_env_warning warnings[BTK_ENV_MAX_WARNINGS];
    bool hypervisor;
    int cpus;              /* processor entries of cpuinfo, else online CPUs (host.h) */
    double loadavg1;       /* 1-minute load average, -1 when unknown */
    char cpu_model[128];
    char os[128];          /* PRETTY_NAME of etc/os-release, "" when unknown */
    char hostname[256];    /* uname -n (host.h) */
    char kernel[256];      /* "<uname -s> <uname -r>" */
    char arch[128];        /* uname -m */
} btk_env_report;

/* Fill in with the library's own build flags and the real probes, root "/" */
void btk_envcheck_default_input(btk_env_input *in, bool memtrack_wanted);

/* Take the build flags from the benchmarks themselves: what BTK_BENCH recorded of the files
 * that define them. Instances registered without that record keep the library's flags. */
struct btk_instance;
void btk_envcheck_build_from(btk_env_input *in, const struct btk_instance *insts,
                             size_t count);

/* Run every check and fill out (never fails: unreadable files mean "cannot tell", which
 * is not a warning). */
void btk_envcheck_run(btk_env_report *out, const btk_env_input *in);

/* Append a warning (dropped silently beyond BTK_ENV_MAX_WARNINGS). */
void btk_envcheck_add(btk_env_report *r, const char *code, const char *fmt, ...)
    BTK_PRINTF(3, 4);

/* Print each warning as "benchtrack: warning: <message>" to f, from index `from` on. */
void btk_envcheck_print(const btk_env_report *r, size_t from, FILE *f);

/* True when r holds a warning with this code. */
bool btk_envcheck_has(const btk_env_report *r, const char *code);

#endif
