/*
 * Counting mode (--measure instructions | perf-instructions): instead of timing, each
 * benchmark process counts the instructions its BTK_LOOP retires, under Valgrind's callgrind
 * (or with a perf_event_open instructions:u counter), with an empty BTK_LOOP of the same
 * batch counted the same way and subtracted. The process is this program re-executed with
 * address-space randomization off and an environment padded to a fixed size, so counts
 * repeat exactly; the parent compares the processes and calls a benchmark whose counts
 * differ nondeterministic. Method and figures: docs/timer.md#counting-mode.
 */
#ifndef BTK_COUNT_H
#define BTK_COUNT_H

#include "registry.h"
#include "result.h"

typedef enum btk_measure {
    BTK_MEASURE_TIME = 0,          /* the timer (the default) */
    BTK_MEASURE_INSTRUCTIONS,      /* callgrind */
    BTK_MEASURE_PERF_INSTRUCTIONS  /* perf_event_open, user-space instructions */
} btk_measure;

/* Environment strings plus the program path of a counted process are padded to this many
 * bytes (or the next multiple of 4096 above, for a larger environment). */
#define BTK_COUNT_ENV_BYTES 16384
/* ... and hold this many variables (or the next multiple of 64 above): the array of
 * pointers to them is on the stack too. */
#define BTK_COUNT_ENV_SLOTS 128
/* A counted batch is sized to retire about this many instructions (at least 1 iteration). */
#define BTK_COUNT_TARGET_INSTRUCTIONS 2000000.0
#define BTK_COUNT_MAX_BATCH 100000000u
/* The caches callgrind simulates with --cache-sim (fixed, so figures do not follow the
 * host's CPUID): size, associativity and line size, as valgrind's --I1/--D1/--LL take them. */
#define BTK_COUNT_I1 "32768,8,64"
#define BTK_COUNT_D1 "32768,8,64"
#define BTK_COUNT_LL "8388608,16,64"

/* "time", "instructions", "perf-instructions". */
const char *btk_count_measure_name(btk_measure m);
/* What decides whether two counts may be compared, besides the CPU (in the host context):
 * the counting tool's version ("valgrind.h 3.19": the valgrind headers the binary was
 * built with; for perf "kernel <release>") and the C library ("glibc 2.36"); "unknown"
 * when not known. Written to the count context (docs/json-format.md). */
void btk_count_identity(char *tool_version, size_t tv_len, char *libc, size_t libc_len,
                        btk_measure m);
/* Parse a --measure value; false when unknown. */
bool btk_count_measure_parse(btk_measure *out, const char *name);

/* Can this binary count with m here? 0, or BTK_EUNSUPPORTED when this build cannot
 * (no valgrind/callgrind.h) and BTK_ENOTFOUND when the machine cannot (no valgrind in PATH,
 * already under valgrind, perf refused), with the reason as the message. */
int btk_count_check(btk_measure m);

/* Are a benchmark's processes' counts identical? Fills the per-iteration spread of
 * instructions over its processes. */
bool btk_count_deterministic(const btk_bench_result *r, double *min_out, double *max_out);

/* Per-iteration figure of event e (0 instructions, 1 L1 misses, 2 LL misses) of one
 * process: (body - empty loop - pauses x pause cost) / iterations. */
double btk_count_per_iter(const btk_count_figures *f, unsigned e);

/* In the runner's child: re-execute this program (under valgrind for instructions) as the
 * counted process for inst, reporting on fd; dir is a private directory that the parent
 * made and removes. Returns only on failure (BTK_EIO, message set). */
int btk_count__exec(int fd, const char *dir, const btk_instance *inst, btk_measure m,
                    bool cache_sim);

/* The parent's private directory for one counted process: made under $TMPDIR (or /tmp)
 * into buf, and removed with everything in it. */
int btk_count__make_dir(char *buf, size_t len);
void btk_count__remove_dir(const char *dir);

/* In a process started by btk_count__exec: count the instance it names, send the frame
 * and return the exit status for main (it never returns otherwise-unrelated work).
 * Returns -1 when this process is not a counted process. */
int btk_count__child_main(void);

/* Build the counted process's environment from env: without BTK__ variables, plus the
 * given BTK__ assignments, filled up to BTK_COUNT_ENV_SLOTS variables with BTK__F<nnnn>= (distinct names:
 * duplicates do not survive valgrind) and
 * padded with BTK__PAD so that the strings of the environment and the program path take
 * exactly BTK_COUNT_ENV_BYTES (or the next multiple of 4096).
 * *out is a btk__malloc'd NULL-terminated array whose strings are in one block
 * (free both with btk_count__free_env). */
int btk_count__build_env(char ***out, char *const *env, const char *const *extra,
                         size_t extra_count, const char *program);
void btk_count__free_env(char **env);

/* Parse a callgrind dump's text: the counts of "events:" named Ir, I1mr+D1mr+D1mw and
 * ILmr+DLmr+DLmw into out[0..3) (absent events count 0). BTK_EFORMAT without totals. */
int btk_count__parse_dump(uint64_t out[BTK_COUNT_EVENTS], const char *text);

/* Turn counting on or off around the timed region (state.c calls it inside BTK_LOOP). */
void btk_count__region(bool on);

/* Platform backend (count_linux.c, count_posix.c): turn address-space randomization off
 * for programs this process executes. False with the reason in why when it cannot. */
bool btk_count__no_aslr(char *why, size_t len);
/* Is randomization off for this process? */
bool btk_count__aslr_is_off(void);
/* The path of this program's file into buf (size len). BTK_EIO/BTK_EUNSUPPORTED. */
int btk_count__program(char *buf, size_t len);

#endif
