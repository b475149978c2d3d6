/*
 * Google Benchmark's --benchmark_format=json output: one result per run_name, one process
 * per repetition (the repetition's real_time per iteration is its one sample), aggregates
 * skipped, time units converted to ns, errors and skips stored as failed results.
 */
#include "import_int.h"
#include "machine.h"
#include "stats.h"

#include <math.h>

static int unit_scale(double *out, const char *unit, json_t *b, const btk_jat *at)
{
    BTK_UNUSED(b);
    if (unit == NULL || !strcmp(unit, "ns"))
        *out = 1.0;
    else if (!strcmp(unit, "us"))
        *out = 1e3;
    else if (!strcmp(unit, "ms"))
        *out = 1e6;
    else if (!strcmp(unit, "s"))
        *out = 1e9;
    else
        return btk_import__bad(at, "time_unit", "expected \"ns\", \"us\", \"ms\" or \"s\"");
    return 0;
}

/* The result named name, appended when new (found through btk_run_find's index: one
 * lookup per entry, not a scan of the results so far). */
static int result_for(btk_result **out, btk_run *run, const char *name, size_t cap)
{
    const btk_result *found = btk_run_find(run, name);

    if (found != NULL) {
        *out = &run->results[found - run->results];
        return 0;
    }
    BTK_ASSERT(run->result_count < cap);
    BTK_UNUSED(cap);
    *out = &run->results[run->result_count++];
    btk_stats_init(&(*out)->stats);
    btk_stats_init(&(*out)->cpu_stats);
    (*out)->count_spread_min = (*out)->count_spread_max = NAN;
    (*out)->cycles_median = NAN;
    btk_memory_init(&(*out)->memory);
    if (((*out)->name = btk__strdup(name)) == NULL)
        return BTK_ENOMEM;
    return btk_import__family_param(*out);
}

static const char *const known_keys[] = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type",
    "repetitions", "repetition_index", "threads", "iterations", "real_time", "cpu_time",
    "time_unit", "error_occurred", "error_message", "skipped", "skip_message",
    "aggregate_name", "aggregate_unit", "big_o", "rms", "label"};

/* Numeric members we do not know are user counters (bytes_per_second, custom ones). */
static int add_counters(btk_result *r, json_t *b)
{
    const char *key;
    json_t *v;
    size_t i;

    json_object_foreach(b, key, v) {
        bool known = false;

        for (i = 0; i < BTK_ARRAY_SIZE(known_keys); i++)
            known = known || !strcmp(key, known_keys[i]);
        if (known || !json_is_number(v))
            continue;
        for (i = 0; i < r->counter_count && strcmp(r->counters[i].name, key); i++)
            ;
        if (i == r->counter_count) {
            if (i >= BTK_IMPORT_MAX_NAMED || strlen(key) > BTK_IMPORT_MAX_NAME)
                continue; /* beyond the import limits: left out */
            btk_kv *grown = btk__realloc(r->counters, (i + 1) * sizeof(btk_kv));
            if (grown == NULL)
                return BTK_ENOMEM;
            r->counters = grown;
            if ((grown[i].name = btk__strdup(key)) == NULL)
                return BTK_ENOMEM;
            r->counter_count++;
        }
        r->counters[i].value = json_number_value(v); /* the last repetition's value */
    }
    return 0;
}

static int mark_failed(btk_result *r, json_t *b, const btk_jat *at, bool skipped)
{
    int error;

    r->status = BTK_RESULT_FAILED;
    if (r->error_kind == NULL &&
        (error = btk_import__dup(&r->error_kind, skipped ? "skipped" : "error")) < 0)
        return error;
    if (r->error_message == NULL &&
        (error = btk_import__str(&r->error_message, b, skipped ? "skip_message"
                                                               : "error_message",
                                 false, at)) < 0)
        return error;
    return 0;
}

/* Is this entry an aggregate (mean/median/stddev/cv/BigO/RMS), which we skip? */
static int is_aggregate(bool *out, json_t *b, const btk_jat *at)
{
    char *type = NULL;
    int error;

    if ((error = btk_import__str(&type, b, "run_type", false, at)) < 0)
        return error;
    *out = (type && strcmp(type, "iteration") != 0) ||
           json_object_get(b, "aggregate_name") != NULL;
    btk__free(type);
    return 0;
}

/* The "skipped" member is a bool in some versions and an enum number in others. */
static bool is_skipped(json_t *b)
{
    json_t *v = json_object_get(b, "skipped");

    return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0);
}

/* 1 when the repetition's time (ns) and iterations can be added to r; else r is kept as a
 * failed result of kind "invalid" (docs/json-format.md) and 0 is returned, or BTK_ENOMEM.
 * A result already invalid takes no more repetitions. */
static int check_entry(btk_result *r, double ns, int64_t iters, const btk_jat *at)
{
    char why[96], what[160];

    if (r->error_kind && !strcmp(r->error_kind, "invalid"))
        return 0;
    if (!btk_import__time_ok(ns)) {
        snprintf(what, sizeof(what), "real_time is %s",
                 btk_import__time_why(why, sizeof(why), ns));
        return btk_import__invalidate(r, at, what);
    }
    if (r->proc_count >= BTK_IMPORT_MAX_PROCESSES || iters > INT64_MAX - r->stats.iterations)
        return btk_import__invalidate(r, at, r->proc_count >= BTK_IMPORT_MAX_PROCESSES
                                                 ? "repetitions: more than 10000 (the "
                                                   "import limit)"
                                                 : "iterations: the sum overflows");
    return 1;
}

static int read_entry(btk_run *run, json_t *b, const btk_jat *at, size_t cap)
{
    char *name = NULL, *run_name = NULL, *unit = NULL;
    double real = NAN, cpu = NAN, scale = 1;
    int64_t iters = 0;
    bool failed = false, aggregate;
    btk_result *r;
    btk_proc *p;
    int error;

    if (!json_is_object(b))
        return btk_import__bad(at, NULL, "expected an object");
    if ((error = is_aggregate(&aggregate, b, at)) < 0 || aggregate)
        return error;
    if ((error = btk_import__str(&name, b, "name", true, at)) < 0 ||
        (error = btk_import__str(&run_name, b, "run_name", false, at)) < 0 ||
        (error = btk_import__str(&unit, b, "time_unit", false, at)) < 0 ||
        (error = unit_scale(&scale, unit, b, at)) < 0 ||
        (error = btk_import__bool(&failed, b, "error_occurred", at)) < 0 ||
        (error = btk_import__int(&iters, b, "iterations", !failed && !is_skipped(b), at)) <
            0 ||
        (error = btk_import__num(&real, b, "real_time", !failed && !is_skipped(b), at)) < 0 ||
        (error = btk_import__num(&cpu, b, "cpu_time", false, at)) < 0 ||
        (error = btk_import__check_len(at, "name", strlen(name), BTK_IMPORT_MAX_NAME)) < 0 ||
        (run_name && (error = btk_import__check_len(at, "run_name", strlen(run_name),
                                                    BTK_IMPORT_MAX_NAME)) < 0) ||
        (error = result_for(&r, run, run_name ? run_name : name, cap)) < 0)
        goto done;
    if (failed || is_skipped(b)) {
        error = mark_failed(r, b, at, !failed);
        goto done;
    }
    if (iters <= 0) {
        error = btk_import__bad(at, "iterations", "expected a positive number");
        goto done;
    }
    if ((error = check_entry(r, real * scale, iters, at)) != 1)
        goto done; /* invalid (the result is failed) or out of memory */
    if ((p = btk__realloc(r->procs, (r->proc_count + 1) * sizeof(btk_proc))) == NULL) {
        error = BTK_ENOMEM;
        goto done;
    }
    r->procs = p;
    p = &r->procs[r->proc_count];
    memset(p, 0, sizeof(*p));
    p->index = (int)r->proc_count++;
    p->peak_rss_bytes = p->minor_faults = p->major_faults = -1;
    p->count = 1;
    if ((p->ns = btk__malloc(sizeof(double))) == NULL ||
        (p->batch = btk__malloc(sizeof(uint64_t))) == NULL) {
        error = BTK_ENOMEM;
        goto done;
    }
    p->ns[0] = real * scale; /* real_time is already per iteration */
    /* cpu_time too; absent or not a time import accepts: this repetition's CPU is unknown */
    if (btk_import__time_ok(cpu * scale)) {
        if ((p->cpu_ns = btk__malloc(sizeof(double))) == NULL) {
            error = BTK_ENOMEM;
            goto done;
        }
        p->cpu_ns[0] = cpu * scale;
    }
    p->batch[0] = (uint64_t)iters;
    r->stats.iterations += iters;
    error = add_counters(r, b);
done:
    btk__free(name);
    btk__free(run_name);
    btk__free(unit);
    return error;
}

static int summarize_all(btk_run *run)
{
    double *ns;
    size_t i, j;
    int error = 0;

    for (i = 0; i < run->result_count && error == 0; i++) {
        btk_result *r = &run->results[i];
        int64_t iters = r->stats.iterations;

        if (r->proc_count == 0)
            continue;
        if ((ns = btk__malloc(r->proc_count * sizeof(double))) == NULL)
            return BTK_ENOMEM;
        for (j = 0; j < r->proc_count; j++)
            ns[j] = r->procs[j].ns[0];
        /* the same figures the benchmark binary reports, so imported and measured runs are
         * summarized alike; iterations are the sum read above */
        error = btk_stats_summarize(&r->stats, ns, r->proc_count);
        r->stats.iterations = iters;
        /* CPU statistics only when every repetition has its cpu_time */
        for (j = 0; j < r->proc_count && r->procs[j].cpu_ns; j++)
            ns[j] = r->procs[j].cpu_ns[0];
        if (error == 0 && j == r->proc_count) {
            error = btk_stats_summarize(&r->cpu_stats, ns, r->proc_count);
            r->cpu_stats.iterations = iters;
            r->has_cpu_stats = error == 0;
        }
        btk__free(ns);
    }
    return error;
}

/* Google Benchmark names the host but not its CPU model or architecture: when the file
 * comes from this very host, take them from here so its fingerprint matches our runs. */
static int read_gbench_context(btk_run *run, json_t *ctx, const btk_jat *top)
{
    btk_machine here;
    btk_jat at;
    int64_t cpus = 0;
    int error;

    btk_import__at(&at, top, "context");
    if ((error = btk_import__str(&run->date, ctx, "date", false, &at)) < 0 ||
        (error = btk_import__str(&run->executable, ctx, "executable", false, &at)) < 0 ||
        (error = btk_import__str(&run->machine.hostname, ctx, "host_name", false, &at)) < 0 ||
        (error = btk_import__int(&cpus, ctx, "num_cpus", false, &at)) < 0 ||
        (error = btk_import__str(&run->flags, ctx, "library_build_type", false, &at)) < 0 ||
        (error = btk_import__dump(&run->context_json, ctx)) < 0 ||
        (error = btk_import__dup(&run->format, "gbench")) < 0 ||
        (error = btk_import__dup(&run->machine.timer_source, "gbench")) < 0)
        return error;
    run->machine.cpus = cpus > 0 && cpus < 1000000 ? (int)cpus : 0;
    if (btk_machine_detect(&here) < 0)
        return BTK_ENOMEM;
    if (run->machine.hostname && here.hostname && !strcmp(run->machine.hostname, here.hostname))
        error = btk_machine_adopt_host(&run->machine, &here);
    btk_machine_clear(&here);
    return error;
}

int btk_import__gbench(btk_run *run, json_t *root, const btk_jat *top)
{
    json_t *arr = json_object_get(root, "benchmarks"), *b;
    btk_jat at;
    size_t i, cap = json_array_size(arr);
    int error;

    if (cap > BTK_IMPORT_MAX_BENCHMARKS)
        return btk_import__bad(top, "benchmarks",
                               "more than 1000000 entries (the import limit)");
    if ((error = read_gbench_context(run, json_object_get(root, "context"), top)) < 0)
        return error;
    if ((run->results = btk__calloc(cap + 1, sizeof(btk_result))) == NULL)
        return BTK_ENOMEM;
    json_array_foreach(arr, i, b) {
        btk_import__at(&at, top, "benchmarks[%zu]", i);
        if ((error = read_entry(run, b, &at, cap)) < 0)
            return error;
    }
    return summarize_all(run);
}
