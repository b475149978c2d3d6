/*
 * Reading results JSON: format detection and our own format (docs/json-format.md). Google
 * Benchmark's format is in import_gbench.c; the typed getters both use are in
 * import_value.c.
 */
#include "import.h"

#include "import_int.h"
#include "metric.h"
#include "machine.h"

#include <math.h>
#include <sys/stat.h>

/* ---- our format: context ---- */

static int read_host(btk_machine *m, json_t *ctx, const btk_jat *parent)
{
    json_t *host, *timer;
    btk_jat at;
    int64_t cpus = 0;
    int error;

    if ((error = btk_import__obj(&host, ctx, "host", false, parent)) < 0 ||
        (error = btk_import__obj(&timer, ctx, "timer", false, parent)) < 0)
        return error;
    if (host) {
        btk_import__at(&at, parent, "%shost", parent->path[0] ? "." : "");
        if ((error = btk_import__str(&m->hostname, host, "hostname", false, &at)) < 0 ||
            (error = btk_import__str(&m->os, host, "os", false, &at)) < 0 ||
            (error = btk_import__str(&m->kernel, host, "kernel", false, &at)) < 0 ||
            (error = btk_import__str(&m->arch, host, "arch", false, &at)) < 0 ||
            (error = btk_import__str(&m->cpu_model, host, "cpu_model", false, &at)) < 0 ||
            (error = btk_import__int(&cpus, host, "cpus", false, &at)) < 0 ||
            (error = btk_import__bool(&m->hypervisor, host, "hypervisor", &at)) < 0)
            return error;
        m->cpus = cpus > 0 && cpus < 1000000 ? (int)cpus : 0;
    }
    if (timer) {
        btk_import__at(&at, parent, "%stimer", parent->path[0] ? "." : "");
        if ((error = btk_import__str(&m->timer_source, timer, "source", false, &at)) < 0 ||
            (error = btk_import__num(&m->timer_hz, timer, "hz", false, &at)) < 0)
            return error;
    }
    return 0;
}

static int read_warnings(btk_run *run, json_t *ctx, const btk_jat *parent)
{
    json_t *arr, *w;
    btk_jat at;
    char *code = NULL, *msg = NULL;
    btk_buf buf = BTK_BUF_INIT;
    size_t i;
    int error;

    if ((error = btk_import__arr(&arr, ctx, "warnings", false, parent)) < 0 || !arr)
        return error;
    if (json_array_size(arr) > BTK_IMPORT_MAX_NAMED)
        return btk_import__bad(parent, "warnings", "more than 1024 entries (the import limit)");
    if ((run->warnings = btk__calloc(json_array_size(arr) + 1, sizeof(char *))) == NULL)
        return BTK_ENOMEM;
    json_array_foreach(arr, i, w) {
        btk_import__at(&at, parent, ".warnings[%zu]", i);
        if (!json_is_object(w))
            return btk_import__bad(&at, NULL, "expected an object");
        if ((error = btk_import__str(&code, w, "code", true, &at)) < 0 ||
            (error = btk_import__str(&msg, w, "message", false, &at)) < 0 ||
            (error = btk_buf_printf(&buf, "%s: %s", code, msg ? msg : "")) < 0)
            break;
        run->warnings[run->warning_count++] = btk_buf_detach(&buf);
        btk__free(code);
        btk__free(msg);
        code = msg = NULL;
    }
    btk__free(code);
    btk__free(msg);
    btk_buf_free(&buf);
    return error;
}

/* The run's measure (context.options.measure, absent: time) and, for a counting run, its
 * count identity: the fields of context.count and context.host that decide whether two
 * counts may be compared (docs/database.md, "Counting runs"). A missing field is "?", so
 * two runs that both lack it still agree on it, and the text says it is unknown. */
static int read_measure(btk_run *run, json_t *ctx, json_t *options, const btk_jat *top)
{
    json_t *m = options ? json_object_get(options, "measure") : NULL;
    json_t *count = json_object_get(ctx, "count");
    const char *keys[] = {"tool", "tool_version", "libc"};
    btk_buf id = BTK_BUF_INIT;
    btk_jat at;
    int error = 0;

    btk_import__at(&at, top, "context.options");
    if (m != NULL && !json_is_string(m))
        return btk_import__bad(&at, "measure", "expected a string");
    if (m != NULL && btk_measure_parse(&run->measure, json_string_value(m)) < 0)
        return btk_import__bad(&at, "measure", "expected \"time\", \"instructions\" or "
                                               "\"perf-instructions\"");
    if (run->measure == BTK_MEASURE_KIND_TIME)
        return 0;
    for (size_t i = 0; i < BTK_ARRAY_SIZE(keys) && error == 0; i++) {
        json_t *v = json_is_object(count) ? json_object_get(count, keys[i]) : NULL;

        error = btk_buf_printf(&id, "%s=%s; ", keys[i], json_is_string(v) ? json_string_value(v)
                                                                           : "?");
    }
    if (error == 0)
        error = btk_buf_printf(&id, "arch=%s; cpu=%s",
                               run->machine.arch ? run->machine.arch : "?",
                               run->machine.cpu_model ? run->machine.cpu_model : "?");
    if (error == 0 && id.len > BTK_IMPORT_MAX_NAME * 4)
        error = btk_import__bad(&at, NULL, "count identity longer than 4096 bytes");
    if (error == 0)
        run->count_identity = btk_buf_detach(&id);
    btk_buf_free(&id);
    return error;
}

static int read_context(btk_run *run, json_t *root, const btk_jat *top)
{
    json_t *ctx, *build, *options;
    btk_jat at;
    int error;

    if ((error = btk_import__obj(&ctx, root, "context", true, top)) < 0)
        return error;
    btk_import__at(&at, top, "context");
    if ((error = btk_import__str(&run->date, ctx, "date", false, &at)) < 0 ||
        (error = btk_import__str(&run->executable, ctx, "executable", false, &at)) < 0 ||
        (error = read_host(&run->machine, ctx, &at)) < 0 ||
        (error = read_warnings(run, ctx, &at)) < 0 ||
        (error = btk_import__obj(&build, ctx, "build", false, &at)) < 0 ||
        (error = btk_import__obj(&options, ctx, "options", false, &at)) < 0 ||
        (error = btk_import__dump(&run->options_json, options)) < 0 ||
        (error = btk_import__dump(&run->context_json, ctx)) < 0)
        return error;
    if ((error = read_measure(run, ctx, options, top)) < 0)
        return error;
    if (build) {
        btk_import__at(&at, top, "context.build");
        if ((error = btk_import__str(&run->compiler, build, "compiler", false, &at)) < 0 ||
            (error = btk_import__str(&run->flags, build, "flags", false, &at)) < 0)
            return error;
    }
    return 0;
}

/* ---- our format: benchmarks ---- */

/* The "stats" object: every statistic the tool keeps (the stored ones: the metrics of
 * btk_stats_metric_at with a column). The object is required when the result is ok; a
 * null or missing median then fails the benchmark (check_values), not the run. */
static int read_stats(btk_stats *s, json_t *b, const char *key, bool required,
                      const btk_jat *parent)
{
    json_t *st;
    btk_jat at;
    size_t i;
    int error = 0;

    if ((error = btk_import__obj(&st, b, key, required, parent)) < 0 || st == NULL)
        return error;
    btk_import__at(&at, parent, ".%s", key);
    for (i = 0; i < BTK_STATS_METRIC_COUNT && error == 0; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        if (m->column == NULL)
            continue;
        if (m->unit == BTK_STATS_COUNT)
            error = btk_import__int(btk_stats_count_field(s, m), st, m->name, false, &at);
        else
            error = btk_import__num(btk_stats_real_field(s, m), st, m->name, false, &at);
    }
    return error;
}

static int read_memory(btk_memory *m, json_t *b, const btk_jat *parent)
{
    json_t *mem;
    btk_jat at;
    int error;

    if ((error = btk_import__obj(&mem, b, "memory", false, parent)) < 0 || mem == NULL)
        return error;
    btk_import__at(&at, parent, ".memory");
    if ((error = btk_import__bool(&m->tracked, mem, "tracked", &at)) < 0 ||
        (error = btk_import__num(&m->allocs_per_iter, mem, "allocs_per_iter", false, &at)) <
            0 ||
        (error = btk_import__num(&m->frees_per_iter, mem, "frees_per_iter", false, &at)) < 0 ||
        (error = btk_import__num(&m->bytes_per_iter, mem, "bytes_per_iter", false, &at)) < 0 ||
        (error = btk_import__int(&m->peak_rss_bytes, mem, "peak_rss_bytes", false, &at)) < 0 ||
        (error = btk_import__int(&m->minor_faults, mem, "minor_faults", false, &at)) < 0 ||
        (error = btk_import__int(&m->major_faults, mem, "major_faults", false, &at)) < 0)
        return error;
    return 0;
}

/* A name -> number object (user or hardware counters). A null value (the writer's
 * non-finite number) is an unknown value: the counter is left out. */
static int read_kvs(btk_kv **out, size_t *count, json_t *b, const char *key,
                    const btk_jat *parent)
{
    json_t *obj, *v;
    const char *name;
    btk_jat at;
    int error;

    if ((error = btk_import__obj(&obj, b, key, false, parent)) < 0 || obj == NULL)
        return error;
    btk_import__at(&at, parent, ".%s", key);
    if (json_object_size(obj) > BTK_IMPORT_MAX_NAMED)
        return btk_import__bad(parent, key, "more than 1024 entries (the import limit)");
    if ((*out = btk__calloc(json_object_size(obj) + 1, sizeof(btk_kv))) == NULL)
        return BTK_ENOMEM;
    json_object_foreach(obj, name, v) {
        if ((error = btk_import__check_len(&at, name, strlen(name), BTK_IMPORT_MAX_NAME)) < 0)
            return error;
        if (json_is_null(v))
            continue;
        if (!json_is_number(v))
            return btk_import__bad(&at, name, "expected a number");
        if (((*out)[*count].name = btk__strdup(name)) == NULL)
            return BTK_ENOMEM;
        (*out)[(*count)++].value = json_number_value(v);
    }
    return 0;
}

/* "cpu_samples": CPU ns per iteration, parallel to "samples". Absent: unknown. A null,
 * negative or non-finite entry makes the whole process's CPU time unknown (its wall
 * samples stay), since a partial series would bias the CPU median. */
static int read_cpu_samples(btk_proc *p, json_t *pj, const btk_jat *at)
{
    json_t *cpu, *v;
    size_t i;
    int error;

    if ((error = btk_import__arr(&cpu, pj, "cpu_samples", false, at)) < 0 || cpu == NULL)
        return error;
    if (json_array_size(cpu) != p->count)
        return btk_import__bad(at, "cpu_samples", "length differs from samples");
    if ((p->cpu_ns = btk__calloc(p->count + 1, sizeof(double))) == NULL)
        return BTK_ENOMEM;
    json_array_foreach(cpu, i, v) {
        if (!json_is_number(v) && !json_is_null(v))
            return btk_import__bad(at, "cpu_samples", "expected an array of numbers");
        p->cpu_ns[i] = json_is_null(v) ? NAN : json_number_value(v);
        if (!btk_import__time_ok(p->cpu_ns[i])) {
            btk__free(p->cpu_ns);
            p->cpu_ns = NULL;
            break;
        }
    }
    return 0;
}

/* "clock_ghz": the core clock (GHz) next to each sample, parallel to "samples". Absent:
 * unknown. Like cpu_samples, a null or out-of-range entry makes the whole process's clock
 * unknown (its samples stay); unlike it, an array of another length is also just unknown:
 * the clock is an auxiliary reading, and a writer that lost one must not cost the run. A
 * non-number entry is malformed input. */
static int read_clock(btk_proc *p, json_t *pj, const btk_jat *at)
{
    json_t *clock, *v;
    size_t i;
    int error;

    if ((error = btk_import__arr(&clock, pj, "clock_ghz", false, at)) < 0 || clock == NULL)
        return error;
    json_array_foreach(clock, i, v)
        if (!json_is_number(v) && !json_is_null(v))
            return btk_import__bad(at, "clock_ghz", "expected an array of numbers");
    if (json_array_size(clock) != p->count || p->count == 0)
        return 0;
    if ((p->clock_ghz = btk__calloc(p->count + 1, sizeof(double))) == NULL)
        return BTK_ENOMEM;
    json_array_foreach(clock, i, v)
        p->clock_ghz[i] = json_is_null(v) ? NAN : json_number_value(v);
    btk_proc_check_clock(p); /* a null or out-of-range entry: the clock is unknown */
    return 0;
}

static int read_samples(btk_proc *p, json_t *pj, const btk_jat *at)
{
    json_t *samples, *batch, *v;
    size_t i;
    int error;

    if ((error = btk_import__arr(&samples, pj, "samples", true, at)) < 0 ||
        (error = btk_import__arr(&batch, pj, "batch", false, at)) < 0)
        return error;
    if (batch && json_array_size(batch) != json_array_size(samples))
        return btk_import__bad(at, "batch", "length differs from samples");
    if (json_array_size(samples) > BTK_IMPORT_MAX_SAMPLES)
        return btk_import__bad(at, "samples", "more than 4194304 samples (the import limit)");
    p->count = json_array_size(samples);
    if ((p->ns = btk__calloc(p->count + 1, sizeof(double))) == NULL)
        return BTK_ENOMEM;
    if (batch && (p->batch = btk__calloc(p->count + 1, sizeof(uint64_t))) == NULL)
        return BTK_ENOMEM;
    json_array_foreach(samples, i, v) {
        if (!json_is_number(v) && !json_is_null(v))
            return btk_import__bad(at, "samples", "expected an array of numbers");
        p->ns[i] = json_is_null(v) ? NAN : json_number_value(v); /* null: check_values */
    }
    json_array_foreach(batch, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return btk_import__bad(at, "batch", "expected an array of counts");
        p->batch[i] = (uint64_t)json_integer_value(v);
    }
    if ((error = read_cpu_samples(p, pj, at)) < 0)
        return error;
    return read_clock(p, pj, at);
}

static int read_procs(btk_result *r, json_t *b, const btk_jat *parent)
{
    json_t *arr, *pj;
    btk_jat at;
    int64_t index;
    size_t i;
    int error;

    if ((error = btk_import__arr(&arr, b, "processes", false, parent)) < 0 || arr == NULL)
        return error;
    if (json_array_size(arr) > BTK_IMPORT_MAX_PROCESSES)
        return btk_import__bad(parent, "processes",
                               "more than 10000 processes (the import limit)");
    if ((r->procs = btk__calloc(json_array_size(arr) + 1, sizeof(btk_proc))) == NULL)
        return BTK_ENOMEM;
    json_array_foreach(arr, i, pj) {
        btk_proc *p = &r->procs[r->proc_count++];

        btk_import__at(&at, parent, ".processes[%zu]", i);
        p->peak_rss_bytes = p->minor_faults = p->major_faults = -1;
        index = (int64_t)i;
        if (!json_is_object(pj))
            return btk_import__bad(&at, NULL, "expected an object");
        if ((error = btk_import__int(&index, pj, "index", false, &at)) < 0 ||
            (error = read_samples(p, pj, &at)) < 0 ||
            (error = btk_import__int(&p->peak_rss_bytes, pj, "peak_rss_bytes", false, &at)) <
                0 ||
            (error = btk_import__int(&p->minor_faults, pj, "minor_faults", false, &at)) < 0 ||
            (error = btk_import__int(&p->major_faults, pj, "major_faults", false, &at)) < 0 ||
            (error = btk_import__num(&p->branch_ratio, pj, "branch_ratio", false, &at)) < 0)
            return error;
        if (!btk_branch_ratio_ok(p->branch_ratio))
            return btk_import__bad(&at, "branch_ratio", "expected a ratio from 0 to 1e6");
        p->index = index >= 0 && index < 1000000 ? (int)index : (int)i;
    }
    return 0;
}

/* Counting mode's per-benchmark "count" object: deterministic and the spread. Absent (a
 * time run, or a failed benchmark): unknown. */
static int read_count(btk_result *r, json_t *b, const btk_jat *parent)
{
    json_t *count, *spread;
    bool deterministic = false;
    btk_jat at;
    int error;

    if ((error = btk_import__obj(&count, b, "count", false, parent)) < 0 || count == NULL)
        return error;
    btk_import__at(&at, parent, ".count");
    if (!json_is_boolean(json_object_get(count, "deterministic")))
        return btk_import__bad(&at, "deterministic", "expected true or false");
    if ((error = btk_import__bool(&deterministic, count, "deterministic", &at)) < 0 ||
        (error = btk_import__obj(&spread, count, "spread", false, &at)) < 0)
        return error;
    r->count_repeat = deterministic ? BTK_COUNT_DETERMINISTIC : BTK_COUNT_NONDETERMINISTIC;
    if (spread) {
        btk_import__at(&at, parent, ".count.spread");
        if ((error = btk_import__num(&r->count_spread_min, spread, "min", false, &at)) < 0 ||
            (error = btk_import__num(&r->count_spread_max, spread, "max", false, &at)) < 0)
            return error;
    }
    return 0;
}

static int read_status(btk_result *r, json_t *b, const btk_jat *at)
{
    char *status = NULL;
    json_t *err;
    btk_jat eat;
    int error;

    if ((error = btk_import__str(&status, b, "status", true, at)) < 0)
        return error;
    if (strcmp(status, "ok") && strcmp(status, "failed"))
        error = btk_import__bad(at, "status", "expected \"ok\" or \"failed\"");
    r->status = !strcmp(status, "ok") ? BTK_RESULT_OK : BTK_RESULT_FAILED;
    btk__free(status);
    if (error < 0 || (error = btk_import__obj(&err, b, "error", false, at)) < 0 || !err)
        return error;
    btk_import__at(&eat, at, ".error");
    if ((error = btk_import__str(&r->error_kind, err, "kind", false, &eat)) < 0 ||
        (error = btk_import__str(&r->error_message, err, "message", false, &eat)) < 0)
        return error;
    return 0;
}

static int read_throughput(btk_result *r, json_t *b, const btk_jat *parent)
{
    json_t *tp, *cy;
    btk_jat at;
    int error;

    if ((error = btk_import__obj(&tp, b, "throughput", false, parent)) < 0 ||
        (error = btk_import__obj(&cy, b, "cycles", false, parent)) < 0)
        return error;
    if (tp) {
        btk_import__at(&at, parent, ".throughput");
        if ((error = btk_import__num(&r->bytes_per_iter, tp, "bytes_per_iter", false, &at)) <
                0 ||
            (error = btk_import__num(&r->items_per_iter, tp, "items_per_iter", false, &at)) < 0)
            return error;
    }
    if (cy) {
        btk_import__at(&at, parent, ".cycles");
        if ((error = btk_import__num(&r->cycles_median, cy, "median", false, &at)) < 0)
            return error;
    }
    return 0;
}

/* An ok result's samples and time statistics must be times import accepts
 * (btk_import__time_ok); the first that is not fails the benchmark as "invalid". A
 * negative or non-finite cycle count is unknown. */
static int check_values(btk_result *r, const btk_jat *at)
{
    char why[96], what[200];

    if (r->status != BTK_RESULT_OK)
        return 0;
    for (size_t p = 0; p < r->proc_count; p++)
        for (size_t i = 0; i < r->procs[p].count; i++)
            if (!btk_import__time_ok(r->procs[p].ns[i])) {
                snprintf(what, sizeof(what), "processes[%zu].samples[%zu] is %s", p, i,
                         btk_import__time_why(why, sizeof(why), r->procs[p].ns[i]));
                return btk_import__invalidate(r, at, what);
            }
    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);
        double v;

        if (m->unit != BTK_STATS_NS || m->column == NULL)
            continue;
        v = btk_stats_get(&r->stats, m);
        if ((isnan(v) && strcmp(m->name, "median") != 0) || btk_import__time_ok(v))
            continue; /* a null figure other than the median is unknown */
        snprintf(what, sizeof(what), "stats.%s is %s", m->name,
                 btk_import__time_why(why, sizeof(why), v));
        return btk_import__invalidate(r, at, what);
    }
    if (!(r->cycles_median >= 0 && isfinite(r->cycles_median)))
        r->cycles_median = NAN;
    return 0;
}

static int read_benchmark(btk_result *r, json_t *b, const btk_jat *at)
{
    int64_t iterations = -1;
    int error;

    btk_stats_init(&r->stats);
    btk_stats_init(&r->cpu_stats);
    r->count_spread_min = r->count_spread_max = NAN;
    r->cycles_median = NAN;
    btk_memory_init(&r->memory);
    if (!json_is_object(b))
        return btk_import__bad(at, NULL, "expected an object");
    if ((error = btk_import__str(&r->name, b, "name", true, at)) < 0 ||
        (error = btk_import__str(&r->family, b, "family", false, at)) < 0 ||
        (error = read_status(r, b, at)) < 0 ||
        (error = btk_import__str(&r->stop_reason, b, "stop_reason", false, at)) < 0 ||
        (error = btk_import__int(&iterations, b, "iterations", false, at)) < 0 ||
        (error = read_stats(&r->stats, b, "stats", r->status == BTK_RESULT_OK, at)) < 0 ||
        (error = read_stats(&r->cpu_stats, b, "cpu_stats", false, at)) < 0 ||
        (error = read_count(r, b, at)) < 0 ||
        (error = read_memory(&r->memory, b, at)) < 0 ||
        (error = read_throughput(r, b, at)) < 0 ||
        (error = read_kvs(&r->counters, &r->counter_count, b, "counters", at)) < 0 ||
        (error = read_kvs(&r->hw, &r->hw_count, b, "hw_counters", at)) < 0 ||
        (error = read_procs(r, b, at)) < 0)
        return error;
    if (r->name[0] == '\0')
        return btk_import__bad(at, "name", "empty benchmark name");
    if ((error = btk_import__check_len(at, "name", strlen(r->name), BTK_IMPORT_MAX_NAME)) < 0 ||
        (r->family && (error = btk_import__check_len(at, "family", strlen(r->family),
                                                     BTK_IMPORT_MAX_NAME)) < 0))
        return error;
    if (iterations >= 0)
        r->stats.iterations = iterations;
    r->has_cpu_stats = btk_import__time_ok(r->cpu_stats.median);
    r->call_percentiles = json_is_string(json_object_get(b, "percentiles")) &&
                          strcmp(json_string_value(json_object_get(b, "percentiles")),
                                 "calls") == 0;
    if (json_is_integer(json_object_get(b, "param"))) {
        r->has_param = true;
        r->param = (int64_t)json_integer_value(json_object_get(b, "param"));
    } else if (json_object_get(b, "param") && !json_is_null(json_object_get(b, "param")))
        return btk_import__bad(at, "param", "expected an integer or null");
    if (r->family == NULL && (error = btk_import__family_param(r)) < 0)
        return error;
    return check_values(r, at);
}

/* The core cycles of a time run's result (btk_result_summarize_cycles); a counting run's
 * figures are not times, so a clock there is dropped. */
static int read_cycles(btk_result *r, const btk_run *run)
{
    if (run->measure == BTK_MEASURE_KIND_TIME)
        return btk_result_summarize_cycles(r);
    for (size_t i = 0; i < r->proc_count; i++) {
        btk__free(r->procs[i].clock_ghz);
        r->procs[i].clock_ghz = NULL;
    }
    return 0;
}

static int read_ours(btk_run *run, json_t *root, const btk_jat *top)
{
    json_t *arr, *b;
    int64_t version = 0;
    btk_jat at;
    size_t i;
    int error;

    if ((error = btk_import__int(&version, root, "schema_version", true, top)) < 0)
        return error;
    if (version < 1 || version > 1)
        return btk_import__bad(top, "schema_version", "unsupported version (this benchtrack "
                                                      "reads version 1)");
    if ((error = read_context(run, root, top)) < 0 ||
        (error = btk_import__arr(&arr, root, "benchmarks", true, top)) < 0)
        return error;
    if (json_array_size(arr) > BTK_IMPORT_MAX_BENCHMARKS)
        return btk_import__bad(top, "benchmarks",
                               "more than 1000000 benchmarks (the import limit)");
    if ((run->results = btk__calloc(json_array_size(arr) + 1, sizeof(btk_result))) == NULL)
        return BTK_ENOMEM;
    json_array_foreach(arr, i, b) {
        btk_import__at(&at, top, "benchmarks[%zu]", i);
        error = read_benchmark(&run->results[i], b, &at);
        if (error == 0 && run->measure == BTK_MEASURE_KIND_TIME)
            error = btk_result_mark_aside(&run->results[i]) < 0 ? BTK_ENOMEM : 0;
        if (error == 0)
            error = read_cycles(&run->results[i], run);
        /* a second benchmark of a name is rejected (the store keys results by name);
         * btk_run_find sees results[0..i) here, through its hash index */
        if (error == 0 && btk_run_find(run, run->results[i].name) != NULL)
            error = btk_import__bad(&at, "name", "duplicate benchmark name");
        run->result_count++; /* counted either way, so btk_run_free releases it */
        if (error < 0)
            return error;
    }
    return btk_import__dup(&run->format, "benchtrack");
}

/* Our format says so; Google Benchmark's has context + benchmarks and no "format". */
static int detect_and_read(btk_run *run, json_t *root, const btk_jat *top)
{
    json_t *format = json_object_get(root, "format");

    if (!json_is_object(root))
        return btk_import__bad(top, NULL, "expected a JSON object");
    if (format && json_is_string(format) && !strcmp(json_string_value(format), "benchtrack"))
        return read_ours(run, root, top);
    if (format)
        return btk_import__bad(top, "format", "unknown results format (expected "
                                              "\"benchtrack\")");
    if (json_is_object(json_object_get(root, "context")) &&
        json_is_array(json_object_get(root, "benchmarks")))
        return btk_import__gbench(run, root, top);
    return btk_import__bad(top, NULL, "not a benchtrack or Google Benchmark results file");
}

static int too_large(const btk_jat *top)
{
    char src[200];

    return btk_error_set(BTK_EFORMAT, "%s: larger than %zu bytes (the import limit)",
                         btk_error_quote(src, sizeof(src), top->source),
                         BTK_IMPORT_MAX_BYTES);
}

int btk_import_buffer(btk_run **out, const char *data, size_t len, const char *source)
{
    json_error_t jerr;
    json_t *root;
    btk_run *run = NULL;
    btk_jat top;
    char src[200];
    int error;

    *out = NULL;
    top.source = source ? source : "(input)";
    top.path[0] = '\0';
    if (len > BTK_IMPORT_MAX_BYTES)
        return too_large(&top);
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return btk_error_set(BTK_EFORMAT, "%s:%d:%d: %s",
                             btk_error_quote(src, sizeof(src), top.source), jerr.line,
                             jerr.column, jerr.text);
    if ((error = btk_run_new(&run)) < 0 || (error = detect_and_read(run, root, &top)) < 0 ||
        (error = btk_run_widen_intervals(run)) < 0 ||
        (error = btk_machine_fingerprint(&run->machine)) < 0) {
        btk_run_free(run);
        json_decref(root);
        return error;
    }
    json_decref(root);
    *out = run;
    return 0;
}

int btk_import_file(btk_run **out, const char *path)
{
    FILE *f;
    btk_buf buf = BTK_BUF_INIT;
    char chunk[65536], quoted[300];
    struct stat st;
    size_t n;
    int error = 0;

    *out = NULL;
    if ((f = fopen(path, "rb")) == NULL) /* missing or not readable: the caller's input */
        return btk_error_set(errno == ENOENT                     ? BTK_ENOTFOUND
                             : errno == EACCES || errno == EPERM ? BTK_EINVAL
                                                                 : BTK_EIO,
                             "cannot open results file '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), path), strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (uintmax_t)st.st_size > BTK_IMPORT_MAX_BYTES) {
        btk_jat top = {path, ""};

        fclose(f);
        return too_large(&top); /* said before reading it */
    }
    /* read at most one byte past the limit: an endless input (a FIFO, /dev/zero) stops
     * there instead of filling memory */
    while (error == 0 && buf.len <= BTK_IMPORT_MAX_BYTES &&
           (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        error = btk_buf_put(&buf, chunk, n);
    if (error == 0 && buf.len > BTK_IMPORT_MAX_BYTES) {
        btk_jat top = {path, ""};

        error = too_large(&top);
    }
    if (error == 0 && ferror(f))
        error = btk_error_set(BTK_EIO, "cannot read results file '%s'",
                              btk_error_quote(quoted, sizeof(quoted), path));
    fclose(f);
    if (error == 0)
        error = btk_import_buffer(out, btk_buf_cstr(&buf), buf.len, path);
    btk_buf_free(&buf);
    return error;
}
