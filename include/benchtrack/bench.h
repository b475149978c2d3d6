/*
 * Writing benchmarks: registration macros, the timed loop, and what a benchmark body can tell
 * the harness (throughput, counters, pause/resume). See docs/writing-benchmarks.md.
 */
#ifndef BENCHTRACK_BENCH_H
#define BENCHTRACK_BENCH_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The state of one benchmark as its body sees it. Only the fields below are public; they are
 * what the loop and the accessors read inline. Everything else lives behind `priv`.
 */
typedef struct btk_state {
    unsigned version;     /**< BTK_STATE_VERSION */
    uint64_t iterations;  /**< iterations the next/current BTK_LOOP runs (the batch size) */
    int64_t param;        /**< the parameter of this instance, 0 when none */
    void *fixture;        /**< what the options' setup returned, NULL when none */
    void *priv;           /**< harness-private */
    /* threads (issue 15): appended, so bodies built against the first layout still work */
    unsigned thread_index; /**< 0 .. thread_count-1: which thread runs this body call */
    unsigned thread_count; /**< threads running the body together (1 for a plain one) */
} btk_state;

#define BTK_STATE_VERSION 1u

/** Per-benchmark setup and teardown, run once per process outside the timed region. */
typedef void *(*btk_setup_cb)(int64_t param);
typedef void (*btk_teardown_cb)(void *fixture, int64_t param);

/** A range of parameters: lo, lo*mult, ... up to and including hi (hi itself always). */
typedef struct btk_range {
    int64_t lo, hi, mult;
} btk_range;

/**
 * One named parameter of BTK_GRID: an explicit list (BTK_PARAMS) or a range (BTK_RANGE).
 * Written with BTK_ARG: `BTK_ARG(n, BTK_RANGE(64, 4096, 4))`. @since 0.2
 */
typedef struct btk_axis {
    const char *name;              /**< letters, digits and '_' (BTK_ARG stringifies it) */
    const int64_t *params;         /**< explicit values */
    size_t param_count;
    btk_range range;               /**< lo, lo*mult, ..., hi when mult > 1 */
} btk_axis;

/**
 * Per-benchmark options, given as designated initializers after the name in BTK_BENCH.
 * Zero means "the run's default" for every field.
 */
typedef struct btk_bench_options {
    unsigned version;              /**< BTK_BENCH_OPTIONS_VERSION (set by the macro) */
    double time_budget_ms;         /**< wall time per process (docs/timer.md#time-budget) */
    unsigned min_samples;
    unsigned max_samples;
    double precision;              /**< target relative half-width of the median's CI */
    double timeout_ms;             /**< kill the benchmark's process after this long */
    bool no_memtrack;              /**< turn allocation counting off for this benchmark */
    btk_setup_cb setup;            /**< called once per process before sampling */
    btk_teardown_cb teardown;      /**< called once per process after sampling */
    const int64_t *params;         /**< explicit parameter list (see BTK_PARAMS) */
    size_t param_count;
    btk_range range;               /**< parameter range (see BTK_RANGE), when mult > 1 */
    unsigned build;                /**< set by BTK_BENCH: BTK_BUILD_* of the defining file */
    const char *compiler;          /**< set by BTK_BENCH: compiler of the defining file */
    /* parameters, complexity (issue 15) */
    const btk_axis *axes;          /**< named parameters, their cartesian product (BTK_GRID) */
    size_t axis_count;
    int complexity;                /**< BTK_COMPLEXITY_*: fit time against a size parameter */
    const char *complexity_param;  /**< the axis that is the size; NULL: the single parameter
                                        or the first axis */
    /* threads, per-call (issue 15) */
    unsigned threads;              /**< run the body on this many threads (0, 1: one) */
    unsigned threads_max;          /**< > threads: a thread range (see BTK_THREAD_RANGE) */
    bool per_call;                 /**< time every call alone: percentiles of calls */
} btk_bench_options;

/** The most named parameters one benchmark may have. */
#define BTK_MAX_AXES 8

/** Complexity classes for btk_bench_options.complexity (docs/statistics.md, "Complexity").
 *  AUTO picks among O(1) ... O(n^3) or says which it cannot tell apart; a named class is
 *  fitted and checked against the data. */
#define BTK_COMPLEXITY_NONE 0
#define BTK_COMPLEXITY_AUTO 1
#define BTK_COMPLEXITY_O1 2
#define BTK_COMPLEXITY_OLOGN 3
#define BTK_COMPLEXITY_ON 4
#define BTK_COMPLEXITY_ONLOGN 5
#define BTK_COMPLEXITY_ON2 6
#define BTK_COMPLEXITY_ON3 7

/** threads_max meaning "as many threads as the process may use CPUs". */
#define BTK_THREADS_CPUS 0xffffu

/** How the file that defined a benchmark was compiled, recorded by BTK_BENCH so that the
 *  run can warn about benchmarks built without optimization or with assertions. */
#define BTK_BUILD_KNOWN 1u      /**< the fields below were recorded */
#define BTK_BUILD_OPTIMIZED 2u  /**< __OPTIMIZE__ was defined */
#define BTK_BUILD_ASSERTS 4u    /**< NDEBUG was not defined */

#if defined(__OPTIMIZE__)
#define BTK__BUILD_OPT BTK_BUILD_OPTIMIZED
#else
#define BTK__BUILD_OPT 0u
#endif
#if defined(NDEBUG)
#define BTK__BUILD_ASSERT 0u
#else
#define BTK__BUILD_ASSERT BTK_BUILD_ASSERTS
#endif
#if defined(__clang__)
#define BTK__COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define BTK__COMPILER "GCC " __VERSION__
#else
#define BTK__COMPILER "unknown"
#endif

#define BTK_BENCH_OPTIONS_VERSION 2u

/** Explicit parameter values: BTK_BENCH(sort, BTK_PARAMS(16, 256, 4096)) { ... } */
#ifndef __cplusplus
#define BTK_PARAMS(...)                                                                    \
    .params = (const int64_t[]){__VA_ARGS__},                                              \
    .param_count = sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t)
#else
/* C++ has no compound literals (g++'s extension makes a temporary): a static array per
 * value list, btk__param_list below. */
#define BTK_PARAMS(...)                                                                    \
    .params = btk__param_list<__VA_ARGS__>::values,                                        \
    .param_count = sizeof(btk__param_list<__VA_ARGS__>::values) / sizeof(int64_t)
#endif
/** Parameters lo, lo*mult, ..., hi: BTK_BENCH(sort, BTK_RANGE(8, 4096, 8)) { ... } */
#define BTK_RANGE(lo, hi, mult) .range = {(lo), (hi), (mult)}
/** Thread counts lo, 2lo, 4lo, ..., hi (hi itself always; BTK_THREADS_CPUS: the CPUs the
 *  process may use), one instance each, named "family/threads:N":
 *  BTK_BENCH(push, BTK_THREAD_RANGE(1, BTK_THREADS_CPUS)) { ... } */
#define BTK_THREAD_RANGE(lo, hi) .threads = (lo), .threads_max = (hi)

/**
 * Several named parameters, run as their cartesian product (instances "family/a:64/b:8",
 * the first axis varying slowest); the body reads them with btk_param:
 * @code
 * BTK_BENCH(lookup, BTK_GRID(BTK_ARG(n, BTK_RANGE(64, 4096, 4)), BTK_ARG(k, BTK_PARAMS(1, 8))))
 * { int64_t n = btk_param(state, "n"), k = btk_param(state, "k"); ... }
 * @endcode
 * In C++ the options are designated in declaration order: BTK_GRID after the others but
 * before .complexity.
 */
#define BTK_ARG(axis, ...) BTK__AXIS{.name = #axis, __VA_ARGS__}
#ifndef __cplusplus
#define BTK__AXIS
#define BTK_GRID(...)                                                                      \
    .axes = (const btk_axis[]){__VA_ARGS__},                                               \
    .axis_count = sizeof((const btk_axis[]){__VA_ARGS__}) / sizeof(btk_axis)
#else
/* The axes in a static array made on first use by a lambda (no compound literals). */
#define BTK__AXIS btk_axis
#define BTK_GRID(...)                                                                      \
    .axes = []() -> const btk_axis * {                                                     \
        static const btk_axis btk__axes[] = {__VA_ARGS__};                                 \
        return btk__axes;                                                                  \
    }(),                                                                                   \
    .axis_count = btk__count_of(__VA_ARGS__)
#endif

typedef void (*btk_bench_fn)(btk_state *state);

/** Register a benchmark (called by BTK_BENCH from a constructor; rarely called directly).
 *  name and opts must outlive the program (string literals and statics do). @since 0.1 */
BTK_API void btk_register(const char *name, btk_bench_fn fn, const btk_bench_options *opts);

#ifdef BTK_DOXYGEN
/**
 * Define and register a benchmark. The body is a function of `btk_state *state`; it is
 * called once per sample, so code before BTK_LOOP is untimed per-batch setup (it may read
 * state->iterations to prepare that many inputs), and code after it untimed cleanup.
 * @code
 * BTK_BENCH(hash, BTK_RANGE(64, 65536, 8)) {
 *     btk_set_bytes(state, state->param);
 *     BTK_LOOP(state) { btk_do_not_optimize(hash(buf, state->param)); }
 * }
 * @endcode
 */
#define BTK_BENCH(name, ...options)
#endif

#define BTK__CAT2(a, b) a##b
#define BTK__CAT(a, b) BTK__CAT2(a, b)
#ifdef __cplusplus
/* C++ wants designators in declaration order, and `version` comes first: the user's
 * designators alone make the options, and the fields BTK_BENCH sets are filled in after,
 * in a function-local static (initialized on first use, whatever the order of static
 * initialization). Designated initializers before C++20 are a GCC/clang extension; the
 * warnings about them and about the fields left zero are silenced here only. */
static inline btk_bench_options btk__finish_options(btk_bench_options o, unsigned build,
                                                    const char *compiler)
{
    o.version = BTK_BENCH_OPTIONS_VERSION;
    o.build = build;
    o.compiler = compiler;
    return o;
}
#if defined(__clang__)
#define BTK__CXX_OPTIONS_DIAG_OFF                                                          \
    _Pragma("clang diagnostic push")                                                       \
    _Pragma("clang diagnostic ignored \"-Wunknown-warning-option\"")                       \
    _Pragma("clang diagnostic ignored \"-Wmissing-field-initializers\"")                   \
    _Pragma("clang diagnostic ignored \"-Wc++20-designator\"")                             \
    _Pragma("clang diagnostic ignored \"-Wc99-designator\"")
#define BTK__CXX_OPTIONS_DIAG_ON _Pragma("clang diagnostic pop")
#else
#define BTK__CXX_OPTIONS_DIAG_OFF                                                          \
    _Pragma("GCC diagnostic push")                                                         \
    _Pragma("GCC diagnostic ignored \"-Wpragmas\"")                                        \
    _Pragma("GCC diagnostic ignored \"-Wmissing-field-initializers\"")                     \
    _Pragma("GCC diagnostic ignored \"-Wpedantic\"")                                       \
    _Pragma("GCC diagnostic ignored \"-Wc++20-extensions\"")
#define BTK__CXX_OPTIONS_DIAG_ON _Pragma("GCC diagnostic pop")
#endif
#define BTK_BENCH(...) BTK__BENCH_CXX(__VA_ARGS__, )
#define BTK__BENCH_CXX(name, ...)                                                          \
    static void btk__bench_##name(btk_state *state);                                       \
    BTK__CXX_OPTIONS_DIAG_OFF                                                              \
    static const btk_bench_options *btk__opts_##name(void)                                 \
    {                                                                                      \
        static const btk_bench_options opts = btk__finish_options(                         \
            btk_bench_options{__VA_ARGS__},                                                \
            BTK_BUILD_KNOWN | BTK__BUILD_OPT | BTK__BUILD_ASSERT, BTK__COMPILER);          \
        return &opts;                                                                      \
    }                                                                                      \
    BTK__CXX_OPTIONS_DIAG_ON                                                               \
    __attribute__((constructor)) static void btk__reg_##name(void)                         \
    {                                                                                      \
        btk_register(#name, btk__bench_##name, btk__opts_##name());                        \
    }                                                                                      \
    static void btk__bench_##name(btk_state *state)
#else
#define BTK_BENCH(...)                                                                     \
    BTK__BENCH(__VA_ARGS__, .version = BTK_BENCH_OPTIONS_VERSION,                          \
               .build = BTK_BUILD_KNOWN | BTK__BUILD_OPT | BTK__BUILD_ASSERT,              \
               .compiler = BTK__COMPILER)
#define BTK__BENCH(name, ...)                                                              \
    static void btk__bench_##name(btk_state *state);                                       \
    static const btk_bench_options btk__opts_##name = {__VA_ARGS__};                       \
    __attribute__((constructor)) static void btk__reg_##name(void)                         \
    {                                                                                      \
        btk_register(#name, btk__bench_##name, &btk__opts_##name);                         \
    }                                                                                      \
    static void btk__bench_##name(btk_state *state)
#endif

/* Loop internals: begin reads the clock and returns the batch size; end reads it again. */
BTK_API uint64_t btk__loop_begin(btk_state *state);
BTK_API void btk__loop_end(btk_state *state);

/* Pass the loop counter through an empty asm the compiler must treat as changing it, so an
 * empty body still iterates (the empty benchmark measures the loop, not nothing). */
static inline uint64_t btk__keep(uint64_t x)
{
#if defined(__GNUC__)
    __asm__ __volatile__("" : "+r"(x));
#endif
    return x;
}

/** The timed loop: runs state->iterations times at about one compare-and-branch each.
 *  Do not `break` out of it (the clock would not be stopped); `continue` is fine. */
#define BTK_LOOP(state)                                                                    \
    for (uint64_t btk__n = btk__loop_begin(state);                                         \
         btk__n > 0 || (btk__loop_end(state), 0); btk__n = btk__keep(btk__n - 1))
/** The timed loop with an index i = 0..iterations-1, for batched inputs. */
#define BTK_LOOP_INDEX(state, i)                                                           \
    for (uint64_t i = 0, btk__n = btk__loop_begin(state);                                  \
         i < btk__n || (btk__loop_end(state), 0); i = btk__keep(i + 1))

/**
 * The value of the named parameter `name` of this instance (BTK_GRID), or, with name NULL
 * or "", of its single unnamed parameter (BTK_PARAMS, BTK_RANGE: the same as state->param).
 * A name the benchmark does not have is a programming error, like a failed assert(): the
 * message names it on stderr and the process aborts (the benchmark is reported as failed;
 * the others run on, each in its own process).
 * @since 0.2
 */
BTK_API int64_t btk_param(const btk_state *state, const char *name);

/** The value of the i-th named parameter (0-based, in BTK_GRID order); like btk_param for an
 *  index out of range. @since 0.2 */
BTK_API int64_t btk_param_at(const btk_state *state, size_t i);

/** Stop / restart the clock inside BTK_LOOP; the pair's measured cost is subtracted. */
BTK_API void btk_pause(btk_state *state);
BTK_API void btk_resume(btk_state *state);

/** Throughput: bytes / items processed per iteration (reported as B/s and items/s). */
BTK_API void btk_set_bytes(btk_state *state, uint64_t bytes_per_iteration);
BTK_API void btk_set_items(btk_state *state, uint64_t items_per_iteration);

/** A named custom counter: value per iteration, reported as given (last set wins).
 *  Names longer than 63 bytes are truncated; at most 32 counters per benchmark. */
BTK_API void btk_counter(btk_state *state, const char *name, double value);

/* Used by btk_do_not_optimize on compilers without GNU inline asm. */
BTK_API void btk__use_pointer(const volatile void *p);

#if defined(__cplusplus)
/* C++: function templates after the extern "C" block (they take a reference: no copy of
 * the value, whatever its type). */
#define btk_clobber_memory() __asm__ __volatile__("" : : : "memory")
#elif defined(__clang__)
/** Make the compiler believe `value` is read, so computing it cannot be optimized away.
 *  (clang: register first; its "m" alternative would force a store per iteration.) */
#define btk_do_not_optimize(value)                                                         \
    __extension__({                                                                        \
        __typeof__(value) btk__v = (value);                                                \
        __asm__ __volatile__("" : "+r,m"(btk__v) : : "memory");                            \
    })
/** Make the compiler believe all memory is read and written here. */
#define btk_clobber_memory() __asm__ __volatile__("" : : : "memory")
#elif defined(__GNUC__)
/** Make the compiler believe `value` is read, so computing it cannot be optimized away. */
#define btk_do_not_optimize(value)                                                         \
    __extension__({                                                                        \
        __typeof__(value) btk__v = (value);                                                \
        __asm__ __volatile__("" : "+m,r"(btk__v) : : "memory");                            \
    })
/** Make the compiler believe all memory is read and written here. */
#define btk_clobber_memory() __asm__ __volatile__("" : : : "memory")
#else
#define btk_do_not_optimize(value) btk__use_pointer(&(value))
#define btk_clobber_memory() ((void)0)
#endif

/**
 * Run the benchmarks registered in this binary, as selected by argv (see
 * docs/benchmark-binary.md for the flags).
 *
 * @return an exit status from docs/exit-codes.md: 0 all ran, 2 bad options, 3 a benchmark
 *         failed or results could not be written (reason on stderr).
 * @since 0.1
 */
BTK_API int btk_main(int argc, char **argv);

#ifdef __cplusplus
}

/* A static array per BTK_PARAMS value list (C++). */
template <int64_t... V> struct btk__param_list {
    static const int64_t values[sizeof...(V)];
};
template <int64_t... V> const int64_t btk__param_list<V...>::values[sizeof...(V)] = {V...};

/* The number of BTK_ARG axes given to BTK_GRID (C++). */
template <class... T> constexpr size_t btk__count_of(const T &...)
{
    return sizeof...(T);
}

/** Make the compiler believe `value` is read (and, when it is an lvalue, written), so
 *  computing it cannot be optimized away. Nothing is copied. */
template <class T> inline __attribute__((always_inline)) void btk_do_not_optimize(const T &value)
{
    __asm__ __volatile__("" : : "m"(value) : "memory");
}
template <class T> inline __attribute__((always_inline)) void btk_do_not_optimize(T &value)
{
#if defined(__clang__)
    __asm__ __volatile__("" : "+r,m"(value) : : "memory");
#else
    __asm__ __volatile__("" : "+m,r"(value) : : "memory");
#endif
}
#endif
#endif
