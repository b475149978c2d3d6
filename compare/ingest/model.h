/*
 * The in-memory form of a run, shared by import (JSON in), store (SQLite in and out),
 * compare, history, chart and report. Everything is owned by the btk_run and released by
 * btk_run_free(). Strings are NUL-terminated UTF-8 taken verbatim from untrusted input:
 * escape them wherever they go.
 */
#ifndef BTK_MODEL_H
#define BTK_MODEL_H

#include "internal.h"
#include "stats.h"

typedef enum btk_result_status {
    BTK_RESULT_OK = 0,
    BTK_RESULT_FAILED = 1
} btk_result_status;

/* Whether a counting run's processes counted the same (JSON count.deterministic). The zero
 * value is unknown, so a zeroed result claims nothing. */
typedef enum btk_count_repeat {
    BTK_COUNT_UNKNOWN = 0,
    BTK_COUNT_DETERMINISTIC = 1,
    BTK_COUNT_NONDETERMINISTIC = 2
} btk_count_repeat;

typedef struct btk_kv {
    char *name;
    double value;
} btk_kv;

/* Samples of one benchmark from one process: the independent unit of the statistics. */
typedef struct btk_proc {
    int index;            /* process number within its run */
    size_t count;
    double *ns;           /* per-iteration ns of each sample */
    uint64_t *batch;      /* iterations of each sample; may be NULL (imported data) */
    double *cpu_ns;       /* CPU ns per iteration of each sample, parallel to ns; NULL when
                           * unknown (JSON "cpu_samples", gbench cpu_time) */
    double *clock_ghz;    /* the core clock (GHz) measured next to each sample, parallel to
                           * ns; NULL when unknown (JSON "clock_ghz") */
    int64_t peak_rss_bytes, minor_faults, major_faults; /* -1 when unknown */
    double branch_ratio;  /* shared-core reading (JSON "branch_ratio"); 0 when unknown */
    bool aside;           /* set aside from every figure (btk_result_mark_aside): it ran on
                           * a shared core, a state that moved this benchmark in its run */
} btk_proc;

typedef struct btk_memory {
    bool tracked;
    double allocs_per_iter, frees_per_iter, bytes_per_iter; /* NAN when not tracked */
    int64_t peak_rss_bytes, minor_faults, major_faults;     /* -1 when unknown */
} btk_memory;

typedef struct btk_result {
    char *name;           /* full name, e.g. "sort/1024" */
    char *family;         /* e.g. "sort" */
    bool has_param;
    int64_t param;
    btk_result_status status;
    char *error_kind;     /* NULL when ok: "signal", "exit", "timeout", "error" */
    char *error_message;  /* NULL when ok */
    char *stop_reason;    /* "precision", "time_budget", "max_samples", or NULL */
    btk_stats stats;      /* ci_level, rel_ci are not stored: NAN when read or loaded;
                           * in a counting run: instructions per iteration */
    bool has_cpu_stats;   /* cpu_stats holds CPU time per iteration ("cpu_stats"); only
                           * min, max, mean, median, ci_low, ci_high are stored */
    btk_stats cpu_stats;
    bool has_core_stats;  /* core_stats holds estimated core cycles per iteration (each
                           * sample's ns x its clock_ghz, processes with a clock pooled);
                           * only min, max, mean, median, ci_low, ci_high are stored */
    btk_stats core_stats;
    btk_count_repeat count_repeat;      /* counting runs: whether the processes agreed */
    double count_spread_min, count_spread_max; /* per-iteration count over processes;
                                                * meaningful only when count_repeat is known */
    double cycles_median; /* ticks per iteration, NAN when unknown */
    btk_memory memory;
    double bytes_per_iter, items_per_iter; /* throughput; 0 when not set */
    size_t counter_count;
    btk_kv *counters;     /* user counters */
    size_t hw_count;
    btk_kv *hw;           /* hardware counters per iteration */
    size_t proc_count;
    btk_proc *procs;      /* may be empty when loaded without samples */
    bool call_percentiles; /* stats p50..p999 are of single calls ("percentiles": "calls");
                              from JSON; stored from schema v7 (docs/database.md) */
} btk_result;

typedef struct btk_machine {
    char *fingerprint;    /* hex digest of the fields that decide comparability */
    char *name;           /* the class named by --machine NAME; NULL: the hardware's */
    char *hostname, *os, *kernel, *arch, *cpu_model, *timer_source;
    int cpus;
    double timer_hz;
    bool hypervisor;
} btk_machine;

typedef struct btk_commit {
    char sha[41];         /* "" when unknown (outside a repository) */
    char *branch;         /* NULL when detached or unknown */
    bool dirty;
    int64_t time;         /* committer time, seconds since the epoch */
    char *author;
    char *subject;
    size_t parent_count;
    char (*parents)[41];
} btk_commit;

/* What a run's figures are (JSON context.options.measure; docs/json-format.md). */
typedef enum btk_measure_kind {
    BTK_MEASURE_KIND_TIME = 0,         /* ns per iteration (and CPU ns when known) */
    BTK_MEASURE_KIND_INSTRUCTIONS,     /* instructions per iteration under callgrind */
    BTK_MEASURE_KIND_PERF_INSTRUCTIONS /* user-space retired instructions (perf) */
} btk_measure_kind;

typedef struct btk_run {
    int64_t id;           /* 0 until stored */
    btk_measure_kind measure;
    char *count_identity; /* counting runs: what decides whether two counts are comparable
                           * (tool, its version, arch, CPU model, libc), "k=v; ..." text;
                           * NULL for time runs */
    char *format;         /* "benchtrack" or "gbench" */
    char *date;           /* ISO 8601 UTC start time */
    char *executable;
    char *compiler, *flags;
    char *context_json;   /* the whole context object, verbatim, for audit */
    char *options_json;   /* the run's options object */
    size_t warning_count;
    char **warnings;      /* "code: message" */
    btk_machine machine;
    btk_commit commit;
    size_t result_count;
    btk_result *results;
    struct btk_run_index *index; /* private to model.c: btk_run_find's name index */
} btk_run;

/* Allocate an empty run (all zero, numbers unknown). Free with btk_run_free. */
int btk_run_new(btk_run **out);
void btk_run_free(btk_run *run);
/* Find a result by full name (the first of that name); NULL when absent. Borrowed.
 * O(1) on average: the first call builds a hash index of the names inside run (it then
 * follows results appended later; results must not be reordered or renamed after it). Not
 * safe to call on one run from several threads at once. */
const btk_result *btk_run_find(const btk_run *run, const char *name);
/* "time", "instructions", "perf-instructions"; btk_measure_parse: BTK_EINVAL otherwise. */
const char *btk_measure_name(btk_measure_kind kind);
int btk_measure_parse(btk_measure_kind *out, const char *name);
/* Whether some process of some ok result of run has CPU samples. */
bool btk_run_has_cpu(const btk_run *run);
/* Whether some process of some ok result of run has its core clock (clock_ghz), or some
 * ok result has core-cycle statistics (a run loaded without samples). */
bool btk_run_has_clock(const btk_run *run);

/* The figure time runs are read by (docs/statistics.md §12): wall-clock ns (default), CPU
 * ns, or estimated core cycles per iteration (wall ns x the measured core clock in GHz), or
 * per benchmark one of wall and cycles (auto); counting runs always by their counts. Its
 * functions: metric.h. */
typedef enum btk_compare_metric {
    BTK_COMPARE_WALL = 0,
    BTK_COMPARE_CPU,
    BTK_COMPARE_CYCLES,
    BTK_COMPARE_AUTO    /* compare and ab: each benchmark by wall or cycles, whichever its
                         * processes show steadier (docs/statistics.md §12) */
} btk_compare_metric;

/* Compute machine->fingerprint from its other fields (documented in docs/database.md,
 * "Fingerprint"): from name alone when it is set, else from the hardware (arch, cpu
 * model, cpus, hypervisor; the host name only when arch and cpu model are both unknown).
 * BTK_ENOMEM. */
int btk_machine_fingerprint(btk_machine *machine);
/* The longest machine name (--machine NAME, BENCHTRACK_MACHINE). */
#define BTK_MACHINE_NAME_MAX 64
/* Whether name is a valid machine name: 1..64 ASCII letters, digits, '.', '_', '-',
 * starting with a letter or digit. When not, *why_out says why (a constant). */
bool btk_machine_name_valid(const char *name, const char **why_out);
/* The build identity (docs/cli/compare.md, "Which runs are pooled"): two runs are of the same build
 * when their compiler (name and version) and flags (optimization, NDEBUG) are equal, as
 * stored from the results' context build.compiler and build.flags; an unknown field is
 * the empty string. Runs of different builds are never pooled. Defined in machine.c. */
bool btk_run_same_build(const btk_run *a, const btk_run *b);
/* Append the build identity as text, "GCC 12.2.0 -O2 -DNDEBUG" ("unknown build" when
 * both fields are unknown). Untrusted: escape where it goes. BTK_ENOMEM. */
int btk_run_build_text(btk_buf *out, const btk_run *run);

/* Filters of a set of runs gathered for one side of a comparison (docs/cli/compare.md,
 * "Which runs are pooled"). Each keeps the runs that pass in their order, frees the others
 * with btk_run_free, updates *count and appends the ids of the dropped ones to dropped
 * as "#5, #6" (after a ", " when dropped is not empty); returns how many were dropped, or
 * BTK_ENOMEM. btk_runs_drop_dirty drops the runs recorded with uncommitted changes;
 * btk_runs_keep_build the runs whose build differs from ref's (ref must not be in runs
 * unless it passes, which it always does). */
int btk_runs_drop_dirty(btk_run **runs, size_t *count, btk_buf *dropped);
int btk_runs_keep_build(btk_run **runs, size_t *count, const btk_run *ref, btk_buf *dropped);

/* Keep only each process's median of the metric in run (the per-process values change
 * points and trend levels use): the median of its samples (wall), of its CPU samples
 * (cpu) or of its core cycles (cycles); a process without the metric's samples keeps none
 * (count 0). Each process then holds at most one value (ns[0], count 0 or 1). */
void btk_run_reduce_to_medians(btk_run *run, btk_compare_metric metric);
/* Release the sample arrays of one process (ns, batch, cpu_ns, clock_ghz); the struct
 * itself is the caller's. */
void btk_proc_clear(btk_proc *p);
/* Release what a result / machine owns and zero it. */
void btk_result_clear(btk_result *result);
void btk_machine_clear(btk_machine *machine);
/* Set every memory figure to unknown (NAN, -1). Statistics: btk_stats_init. */
void btk_memory_init(btk_memory *memory);

#endif
