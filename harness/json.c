/*
 * The results document, built as a jansson tree and dumped once. Values are added with the
 * stealing *_new setters; a NULL value (out of memory, or a non-finite double) is recorded
 * in the builder and turns the whole write into BTK_ENOMEM rather than a partial document.
 * Non-finite numbers, which JSON cannot hold, are written as null.
 */
#include "json.h"

#include "count.h"
#include "summary.h"

#include <jansson.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct jb {
    bool failed;
} jb;

static void put(jb *b, json_t *obj, const char *key, json_t *value)
{
    if (value == NULL || json_object_set_new(obj, key, value) < 0)
        b->failed = true;
}

/* put() under a key from user code: bytes that are not valid UTF-8 become '?'. */
static void put_key(jb *b, json_t *obj, const char *key, json_t *value)
{
    char ascii[BTK_COUNTER_NAME_MAX];
    size_t i;

    if (value != NULL && json_object_set_new(obj, key, json_incref(value)) == 0) {
        json_decref(value);
        return;
    }
    for (i = 0; key[i] && i + 1 < sizeof(ascii); i++)
        ascii[i] = (unsigned char)key[i] >= 0x80 ? '?' : key[i];
    ascii[i] = '\0';
    put(b, obj, ascii, value);
}

static void push(jb *b, json_t *arr, json_t *value)
{
    if (value == NULL || json_array_append_new(arr, value) < 0)
        b->failed = true;
}

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* A JSON string; bytes that are not valid UTF-8 become '?' (jansson rejects them). */
static json_t *str(const char *s)
{
    json_t *v = json_string(s ? s : "");
    char ascii[1024];
    size_t i;

    if (v != NULL || s == NULL)
        return v;
    for (i = 0; s[i] && i + 1 < sizeof(ascii); i++)
        ascii[i] = (unsigned char)s[i] >= 0x80 ? '?' : s[i];
    ascii[i] = '\0';
    return json_string(ascii);
}

static json_t *host_json(jb *b, const btk_env_report *env)
{
    json_t *h = json_object();

    if (h == NULL)
        return NULL;
    put(b, h, "hostname", str(env->hostname));
    put(b, h, "os", str(env->os));
    put(b, h, "kernel", str(env->kernel));
    put(b, h, "arch", str(env->arch));
    put(b, h, "cpu_model", str(env->cpu_model));
    put(b, h, "cpus", json_integer(env->cpus));
    put(b, h, "hypervisor", json_boolean(env->hypervisor));
    return h;
}

static json_t *timer_json(jb *b, const btk_timer_info *t)
{
    json_t *o = json_object();

    if (o == NULL || t == NULL)
        return o;
    put(b, o, "source", str(t->source ? t->source : ""));
    put(b, o, "hz", num(t->hz));
    put(b, o, "hz_source", str(t->hz_source ? t->hz_source : ""));
    put(b, o, "invariant", json_boolean(t->invariant));
    put(b, o, "read_ns", num(t->read_ns));
    put(b, o, "resolution_ns", num(t->resolution_ns));
    put(b, o, "overhead_ns", num(t->hz > 0 ? t->overhead_ticks * 1e9 / t->hz : 0));
    put(b, o, "pause_ns", num(t->hz > 0 ? t->pause_ticks * 1e9 / t->hz : 0));
    put(b, o, "cpu_overhead_ns", num(t->cpu_overhead_ns));
    put(b, o, "cpu_pause_ns", num(t->cpu_pause_ns));
    return o;
}

/* {"available": bool, "reason": string-when-not} for perf and memtrack. */
static json_t *probe_json(jb *b, bool available, const char *reason)
{
    json_t *o = json_object();

    if (o == NULL)
        return NULL;
    put(b, o, "available", json_boolean(available));
    if (!available)
        put(b, o, "reason", str(reason ? reason : "unknown"));
    return o;
}

static json_t *build_json(jb *b, const btk_env_input *in)
{
    json_t *o = json_object();
    char flags[64];

    if (o == NULL)
        return NULL;
    snprintf(flags, sizeof(flags), "%s%s", in->optimized ? "-O2" : "-O0",
             in->assertions ? "" : " -DNDEBUG");
#ifdef BTK_C_COMPILER
    put(b, o, "compiler", str(in->compiler ? in->compiler : BTK_C_COMPILER));
    put(b, o, "library_compiler", str(BTK_C_COMPILER));
#else
    put(b, o, "compiler", str(in->compiler ? in->compiler : "unknown"));
#endif
    put(b, o, "flags", str(flags));
    put(b, o, "optimized", json_boolean(in->optimized));
    put(b, o, "assertions", json_boolean(in->assertions));
    return o;
}

static json_t *options_json(jb *b, const btk_report *rep)
{
    const btk_runner_options *op = rep->opts;
    json_t *o = json_object();

    if (o == NULL)
        return NULL;
    put(b, o, "time_budget_ms", num(op->run.time_budget_ms));
    put(b, o, "min_samples", json_integer(op->run.min_samples));
    put(b, o, "max_samples", json_integer(op->run.max_samples));
    put(b, o, "precision", num(op->run.precision));
    put(b, o, "processes", json_integer(op->processes));
    put(b, o, "cpu", json_integer(op->cpu));
    put(b, o, "filter", str(rep->filter ? rep->filter : ""));
    put(b, o, "warmup_ms", num(op->run.warmup_ms));
    put(b, o, "sample_time_us", num(op->run.sample_us));
    put(b, o, "timeout_ms", num(op->run.timeout_ms));
    put(b, o, "memtrack", json_boolean(op->run.memtrack));
    put(b, o, "no_fork", json_boolean(op->no_fork));
    put(b, o, "measure", str(btk_count_measure_name(op->measure)));
    put(b, o, "cache_sim", json_boolean(op->cache_sim));
    return o;
}

/* Counting mode's context: how the counts were taken. */
static json_t *count_context_json(jb *b, const btk_runner_options *op)
{
    json_t *o = json_object(), *c;
    char tool_version[96], libc[96];

    if (o == NULL)
        return NULL;
    btk_count_identity(tool_version, sizeof(tool_version), libc, sizeof(libc), op->measure);
    put(b, o, "measure", str(btk_count_measure_name(op->measure)));
    put(b, o, "tool", str(op->measure == BTK_MEASURE_INSTRUCTIONS ? "callgrind" : "perf"));
    put(b, o, "tool_version", str(tool_version));
    put(b, o, "libc", str(libc));
    put(b, o, "env_bytes", json_integer(BTK_COUNT_ENV_BYTES));
    put(b, o, "target_instructions", num(BTK_COUNT_TARGET_INSTRUCTIONS));
    put(b, o, "cache_sim", json_boolean(op->cache_sim));
    if (op->cache_sim && (c = json_object()) != NULL) {
        put(b, c, "I1", str(BTK_COUNT_I1));
        put(b, c, "D1", str(BTK_COUNT_D1));
        put(b, c, "LL", str(BTK_COUNT_LL));
        put(b, o, "caches", c);
    }
    return o;
}

static json_t *warnings_json(jb *b, const btk_env_report *env)
{
    json_t *a = json_array(), *w;
    size_t i;

    for (i = 0; a != NULL && i < env->count; i++) {
        if ((w = json_object()) != NULL) {
            put(b, w, "code", str(env->warnings[i].code));
            put(b, w, "message", str(env->warnings[i].message));
        }
        push(b, a, w);
    }
    return a;
}

static json_t *context_json(jb *b, const btk_report *rep)
{
    json_t *c = json_object();
    char date[32] = "";
    struct tm tm;

    if (c == NULL)
        return NULL;
    if (gmtime_r(&rep->start, &tm) != NULL)
        strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
#ifdef BTK_VERSION
    put(b, c, "benchtrack_version", str(BTK_VERSION));
#else
    put(b, c, "benchtrack_version", str("0.1.0"));
#endif
    put(b, c, "date", str(date));
    put(b, c, "executable", str(rep->executable ? rep->executable : ""));
    if (rep->executable_id && rep->executable_id[0])
        put(b, c, "executable_id", str(rep->executable_id));
    put(b, c, "host", host_json(b, rep->env));
    put(b, c, "timer", timer_json(b, rep->timer));
    put(b, c, "perf", probe_json(b, rep->env_in->perf_available, rep->env_in->perf_reason));
    put(b, c, "memtrack",
        probe_json(b, rep->env_in->memtrack_available, rep->env_in->memtrack_reason));
    put(b, c, "build", build_json(b, rep->env_in));
    put(b, c, "options", options_json(b, rep));
    if (rep->opts->measure != BTK_MEASURE_TIME)
        put(b, c, "count", count_context_json(b, rep->opts));
    put(b, c, "warnings", warnings_json(b, rep->env));
    return c;
}

static json_t *error_json(jb *b, const btk_bench_result *r)
{
    static const char *kinds[] = {"none", "signal", "exit", "timeout", "error"};
    json_t *e = json_object();

    if (e == NULL)
        return NULL;
    put(b, e, "kind", str(kinds[r->fail]));
    if (r->fail == BTK_FAIL_SIGNAL)
        put(b, e, "signal", json_integer(r->fail_signal));
    if (r->fail == BTK_FAIL_EXIT)
        put(b, e, "exit_code", json_integer(r->fail_exit_code));
    put(b, e, "message", str(r->fail_message));
    return e;
}

/* The "stats" object: every field of btk_stats, in table order. */
static json_t *stats_json(jb *b, const btk_stats *s)
{
    json_t *o = json_object();
    size_t i;

    for (i = 0; o != NULL && i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        put(b, o, m->name,
            m->unit == BTK_STATS_COUNT ? json_integer((json_int_t)btk_stats_get_count(s, m))
                                       : num(btk_stats_get(s, m)));
    }
    return o;
}

/* The CPU time of each sample, parallel to "samples". */
static json_t *cpu_samples_json(jb *b, const btk_proc_result *p)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a != NULL && i < p->count; i++)
        push(b, a, num(p->cpu_samples != NULL ? p->cpu_samples[i] : NAN));
    return a;
}

/* The core clock of each sample, parallel to "samples"; NULL (the key is left out) unless
 * every sample has one. */
static json_t *clock_json(jb *b, const btk_proc_result *p)
{
    json_t *a;
    size_t i;

    if (p->clock_ghz == NULL || p->count == 0)
        return NULL;
    for (i = 0; i < p->count; i++)
        if (!isfinite(p->clock_ghz[i]) || p->clock_ghz[i] <= 0)
            return NULL;
    a = json_array();
    for (i = 0; a != NULL && i < p->count; i++)
        push(b, a, num(p->clock_ghz[i]));
    return a;
}

static json_t *proc_json(jb *b, const btk_proc_result *p)
{
    json_t *o = json_object(), *samples = json_array(), *batch = json_array();
    bool timed = p->counted.events == 0;
    size_t i;

    for (i = 0; samples != NULL && batch != NULL && i < p->count; i++) {
        push(b, samples, num(p->samples[i]));
        push(b, batch, json_integer((json_int_t)p->batch[i]));
    }
    if (o == NULL) {
        json_decref(samples);
        json_decref(batch);
        return NULL;
    }
    put(b, o, "index", json_integer(p->index));
    put(b, o, "pid", json_integer(p->pid));
    put(b, o, "cpu", json_integer(p->cpu));
    put(b, o, "stop_reason", str(btk_summary_stop_name(p->stop)));
    put(b, o, "samples", samples);
    put(b, o, "batch", batch);
    put(b, o, "peak_rss_bytes", json_integer(p->peak_rss_bytes));
    put(b, o, "minor_faults", json_integer(p->minor_faults));
    put(b, o, "major_faults", json_integer(p->major_faults));
    if (timed) {
        json_t *clock = clock_json(b, p);

        put(b, o, "cpu_samples", cpu_samples_json(b, p));
        if (clock != NULL)
            put(b, o, "clock_ghz", clock);
        put(b, o, "disturbed_samples", json_integer((json_int_t)p->disturbed));
        put(b, o, "involuntary_switches", json_integer((json_int_t)p->switches));
        put(b, o, "migrations", json_integer((json_int_t)p->migrations));
        if (p->branch_ratio > 0)
            put(b, o, "branch_ratio", num(p->branch_ratio));
        if (p->per_call)
            put(b, o, "calls", json_integer((json_int_t)p->call_count));
    }
    return o;
}

/* How often the kernel disturbed the samples (docs/json-format.md). */
static json_t *disturbance_json(jb *b, const btk_summary *s)
{
    json_t *o = json_object();

    if (o == NULL)
        return NULL;
    put(b, o, "samples", json_integer(s->stats.samples));
    put(b, o, "disturbed", json_integer((json_int_t)s->disturbed));
    put(b, o, "share", num(s->stats.samples > 0
                               ? (double)s->disturbed / (double)s->stats.samples
                               : 0));
    put(b, o, "involuntary_switches", json_integer((json_int_t)s->switches));
    put(b, o, "migrations", json_integer((json_int_t)s->migrations));
    return o;
}

static json_t *memory_json(jb *b, const btk_summary *s)
{
    json_t *o = json_object();

    if (o == NULL)
        return NULL;
    put(b, o, "tracked", json_boolean(s->mem_tracked));
    put(b, o, "allocs_per_iter", num(s->allocs_per_iter));
    put(b, o, "frees_per_iter", num(s->frees_per_iter));
    put(b, o, "bytes_per_iter", num(s->bytes_per_iter));
    put(b, o, "peak_rss_bytes", json_integer(s->peak_rss_bytes));
    put(b, o, "minor_faults", json_integer(s->minor_faults));
    put(b, o, "major_faults", json_integer(s->major_faults));
    return o;
}

static json_t *throughput_json(jb *b, const btk_summary *s)
{
    json_t *o = json_object();

    if (o == NULL)
        return NULL;
    put(b, o, "bytes_per_iter", num(s->tp_bytes_per_iter));
    put(b, o, "items_per_iter", num(s->tp_items_per_iter));
    put(b, o, "bytes_per_second", num(s->bytes_per_second));
    put(b, o, "items_per_second", num(s->items_per_second));
    return o;
}

/* Named values averaged over the processes that report each name (names from the first). */
static json_t *named_json(jb *b, const btk_bench_result *r, bool hw)
{
    json_t *o = json_object();
    const btk_proc_result *first = &r->procs[0];
    size_t i, k, j, n = hw ? first->hw_count : first->counter_count;

    for (i = 0; o != NULL && i < n; i++) {
        const char *name = hw ? first->hw[i].name : first->counters[i].name;
        double sum = 0;
        size_t seen = 0;
        for (k = 0; k < r->proc_count; k++) {
            const btk_proc_result *p = &r->procs[k];
            const btk_named_value *v = hw ? p->hw : p->counters;
            for (j = 0; j < (hw ? p->hw_count : p->counter_count); j++)
                if (strcmp(v[j].name, name) == 0) {
                    sum += v[j].value;
                    seen++;
                    break;
                }
        }
        put_key(b, o, name, num(sum / (double)seen));
    }
    return o;
}

/* The interval of the processes' medians (btk_summary.proc_ci_*). */
static json_t *process_ci_json(jb *b, const btk_summary *s)
{
    json_t *o = json_object();

    put(b, o, "processes", json_integer((json_int_t)s->proc_medians));
    put(b, o, "low", num(s->proc_ci_low));
    put(b, o, "high", num(s->proc_ci_high));
    put(b, o, "coverage", num(s->proc_ci_coverage));
    put(b, o, "rel", num(s->proc_ci_rel));
    return o;
}

static void put_figures(jb *b, json_t *o, const btk_bench_result *r, const btk_summary *s)
{
    json_t *procs = json_array(), *cyc = json_object();
    size_t i;

    put(b, o, "stop_reason", str(btk_summary_stop_name(s->stop)));
    put(b, o, "iterations", json_integer((json_int_t)s->stats.iterations));
    put(b, o, "stats", stats_json(b, &s->stats));
    if (s->proc_medians >= 2)
        put(b, o, "process_ci", process_ci_json(b, s));
    if (s->aside_procs > 0)
        put(b, o, "processes_set_aside", json_integer((json_int_t)s->aside_procs));
    if (cyc != NULL) {
        put(b, cyc, "median", num(s->cycles_median));
        put(b, cyc, "min", num(s->cycles_min));
        put(b, cyc, "mean", num(s->cycles_mean));
    }
    put(b, o, "cycles", cyc);
    for (i = 0; procs != NULL && i < r->proc_count; i++)
        push(b, procs, proc_json(b, &r->procs[i]));
    put(b, o, "processes", procs);
    put(b, o, "memory", memory_json(b, s));
    if (s->tp_bytes_per_iter > 0 || s->tp_items_per_iter > 0)
        put(b, o, "throughput", throughput_json(b, s));
    put(b, o, "counters", named_json(b, r, false));
    if (r->procs[0].hw_count > 0)
        put(b, o, "hw_counters", named_json(b, r, true));
    if (r->procs[0].counted.events > 0)
        return; /* counting mode: nothing was timed */
    put(b, o, "threads", json_integer(s->threads));
    put(b, o, "cpu_stats", stats_json(b, &s->cpu_stats));
    put(b, o, "disturbance", disturbance_json(b, s));
    put(b, o, "percentiles", str(s->per_call ? "calls" : "samples"));
    if (s->per_call)
        put(b, o, "call_stats", stats_json(b, &s->call_stats));
}

/* One counted process: the raw totals, so a reader can redo every subtraction. */
static json_t *count_proc_json(jb *b, const btk_proc_result *p)
{
    static const char *names[BTK_COUNT_EVENTS] = {"instructions", "l1_misses", "ll_misses"};
    const btk_count_figures *f = &p->counted;
    json_t *o = json_object();
    char key[48];
    unsigned e;

    if (o == NULL)
        return NULL;
    put(b, o, "index", json_integer(p->index));
    put(b, o, "iterations", json_integer((json_int_t)f->iterations));
    put(b, o, "aslr_off", json_boolean(f->aslr_off != 0));
    put(b, o, "pauses", json_integer((json_int_t)f->pauses));
    for (e = 0; e < f->events; e++) {
        put(b, o, names[e], json_integer((json_int_t)f->body[e]));
        snprintf(key, sizeof(key), "loop_%s", names[e]);
        put(b, o, key, json_integer((json_int_t)f->loop[e]));
        snprintf(key, sizeof(key), "pause_loop_%s", names[e]);
        if (f->pauses > 0)
            put(b, o, key, json_integer((json_int_t)f->pause_loop[e]));
    }
    return o;
}

/* Counting mode's figures of a benchmark: per iteration, repeatability, raw totals. */
static json_t *count_json(jb *b, const btk_bench_result *r)
{
    const btk_count_figures *f = &r->procs[0].counted;
    json_t *o = json_object(), *procs = json_array(), *spread = json_object();
    double lo, hi;
    bool same = btk_count_deterministic(r, &lo, &hi);
    size_t i;

    for (i = 0; procs != NULL && i < r->proc_count; i++)
        push(b, procs, count_proc_json(b, &r->procs[i]));
    if (spread != NULL) {
        put(b, spread, "min", num(lo));
        put(b, spread, "max", num(hi));
    }
    if (o == NULL) {
        json_decref(procs);
        json_decref(spread);
        return NULL;
    }
    put(b, o, "deterministic", json_boolean(same));
    put(b, o, "instructions_per_iter", num(btk_count_per_iter(f, 0)));
    if (f->events == BTK_COUNT_EVENTS) {
        put(b, o, "l1_misses_per_iter", num(btk_count_per_iter(f, 1)));
        put(b, o, "ll_misses_per_iter", num(btk_count_per_iter(f, 2)));
    }
    put(b, o, "spread", spread);
    put(b, o, "processes", procs);
    return o;
}

/* The named parameters of inst as {"name": value, ...} in declaration order. */
static json_t *params_json(jb *b, const btk_instance *inst)
{
    json_t *o = json_object();
    size_t i;

    for (i = 0; o != NULL && i < inst->axis_count; i++)
        put(b, o, inst->opts->axes[i].name, json_integer(inst->axis_values[i]));
    return o;
}

static json_t *bench_json(jb *b, const btk_bench_result *r, const btk_instance *inst)
{
    json_t *o = json_object();
    btk_summary s;
    int error = 0;

    if (o == NULL)
        return NULL;
    put(b, o, "name", str(r->name));
    put(b, o, "family", str(r->family));
    put(b, o, "param", r->has_param ? json_integer(r->param) : json_null());
    if (inst != NULL && inst->axis_count > 0)
        put(b, o, "params", params_json(b, inst));
    if (r->fail == BTK_FAIL_NONE && (error = btk_summary_compute(&s, r)) == BTK_ENOMEM)
        b->failed = true;
    if (r->fail != BTK_FAIL_NONE || error < 0) {
        put(b, o, "status", str("failed"));
        put(b, o, "error", error_json(b, r));
        return o;
    }
    put(b, o, "status", str("ok"));
    put_figures(b, o, r, &s);
    if (r->procs[0].counted.events > 0) {
        put(b, o, "stop_reason", str("counted"));
        put(b, o, "unit", str("instructions"));
        put(b, o, "count", count_json(b, r));
    }
    return o;
}

/* One class's least-squares fit. */
static json_t *class_json(jb *b, const btk_cx_class_fit *c)
{
    json_t *o = json_object();

    if (o == NULL)
        return NULL;
    put(b, o, "coef", num(c->coef));
    put(b, o, "rms", num(c->rms));
    put(b, o, "nrms", num(c->nrms));
    put(b, o, "exponent", num(c->exponent));
    return o;
}

/* The classes of mask as an array of their keys. */
static json_t *class_keys_json(jb *b, unsigned mask)
{
    json_t *a = json_array();
    int c;

    for (c = 0; a != NULL && c < BTK_CX_CLASSES; c++)
        if (mask & 1u << c)
            push(b, a, str(btk_complexity_class_key(c)));
    return a;
}

static json_t *power_json(jb *b, const btk_cx_fit *f)
{
    json_t *o;

    if (!f->has_power)
        return json_null();
    if ((o = json_object()) == NULL)
        return NULL;
    put(b, o, "exponent", num(f->power_k));
    put(b, o, "ci_low", num(f->power_lo));
    put(b, o, "ci_high", num(f->power_hi));
    put(b, o, "prefactor", num(f->power_a));
    put(b, o, "noise", num(f->noise));
    return o;
}

/* One complexity fit (docs/json-format.md, "complexity"). */
static json_t *fit_json(jb *b, const btk_cx_group *g)
{
    const btk_cx_fit *f = &g->fit;
    json_t *o = json_object(), *classes = json_object();
    char text[160];
    int c;

    if (o == NULL || classes == NULL) {
        json_decref(o);
        json_decref(classes);
        return NULL;
    }
    btk_complexity_verdict_text(text, sizeof(text), g);
    put(b, o, "name", str(g->name));
    put(b, o, "param", g->axis[0] ? str(g->axis) : json_null());
    put(b, o, "requested",
        str(g->requested == BTK_COMPLEXITY_AUTO
                ? "auto"
                : btk_complexity_class_key(btk_complexity_class_of_option(g->requested))));
    put(b, o, "instances", json_integer((json_int_t)g->instances));
    put(b, o, "sizes", json_integer((json_int_t)f->points));
    put(b, o, "verdict",
        g->error == 0 && f->verdict != BTK_CX_NONE ? str(btk_complexity_class_key(f->verdict))
                                                   : json_null());
    put(b, o, "candidates", class_keys_json(b, g->error == 0 ? f->candidates : 0));
    put(b, o, "consistent", class_keys_json(b, g->error == 0 ? f->consistent : 0));
    put(b, o, "summary", str(text));
    put(b, o, "power_law", g->error == 0 ? power_json(b, f) : json_null());
    for (c = 0; g->error == 0 && c < BTK_CX_CLASSES; c++)
        put(b, classes, btk_complexity_class_key(c), class_json(b, &f->cls[c]));
    put(b, o, "classes", classes);
    return o;
}

static json_t *document(jb *b, const btk_report *rep)
{
    json_t *doc = json_object(), *benches = json_array(), *fits = NULL;
    size_t i;

    for (i = 0; benches != NULL && i < rep->count; i++)
        push(b, benches,
             bench_json(b, &rep->results[i], rep->insts ? &rep->insts[i] : NULL));
    if (rep->fit_count > 0 && (fits = json_array()) == NULL)
        b->failed = true;
    for (i = 0; fits != NULL && i < rep->fit_count; i++)
        push(b, fits, fit_json(b, &rep->fits[i]));
    if (doc == NULL) {
        json_decref(benches);
        json_decref(fits);
        return NULL;
    }
    put(b, doc, "format", str("benchtrack"));
    put(b, doc, "schema_version", json_integer(BTK_JSON_SCHEMA_VERSION));
    put(b, doc, "context", context_json(b, rep));
    put(b, doc, "benchmarks", benches);
    if (fits != NULL)
        put(b, doc, "complexity", fits);
    return doc;
}

/* Build the document, or NULL with BTK_ENOMEM set. */
static json_t *build(const btk_report *rep)
{
    jb b = {false};
    json_t *doc = document(&b, rep);

    if (doc == NULL || b.failed) {
        json_decref(doc);
        btk_error_set(BTK_ENOMEM, "cannot build the results document: out of memory");
        return NULL;
    }
    return doc;
}

/* Dump the document to f; false when writing failed (errno says why). */
static bool dump(json_t *doc, FILE *f)
{
    int rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));

    return rc == 0 && fputc('\n', f) != EOF && fflush(f) != EOF && !ferror(f);
}

int btk_json_write_stream(const btk_report *rep, FILE *f)
{
    json_t *doc = build(rep);
    bool ok;

    if (doc == NULL)
        return BTK_ENOMEM;
    errno = 0;
    ok = dump(doc, f);
    json_decref(doc);
    if (!ok)
        return btk_error_set(BTK_EIO, "cannot write the results: %s",
                             errno ? strerror(errno) : "write error");
    return 0;
}

int btk_json_write_file(const btk_report *rep, const char *path)
{
    char q[300], *tmp = NULL;
    struct stat st;
    json_t *doc;
    FILE *f = NULL;
    bool ok;
    int fd;

    if ((doc = build(rep)) == NULL)
        return BTK_ENOMEM;
    errno = 0;
    /* A regular file (or a new one) is written beside it and renamed over it, so an
     * interrupted write leaves the old file or none, never half a document; anything else
     * (a pipe, /dev/stdout) is written in place. */
    if ((stat(path, &st) < 0 || S_ISREG(st.st_mode)) &&
        (tmp = btk__malloc(strlen(path) + 16)) != NULL) {
        snprintf(tmp, strlen(path) + 16, "%s.tmp.XXXXXX", path);
        mode_t mask = umask(0);

        umask(mask);
        if ((fd = mkstemp(tmp)) >= 0 && (fchmod(fd, 0666 & ~mask) < 0 ||
                                         (f = fdopen(fd, "w")) == NULL)) {
            close(fd);
            unlink(tmp);
        }
    } else {
        f = fopen(path, "w");
    }
    if (f != NULL) {
        ok = dump(doc, f);
        ok = fclose(f) == 0 && ok;
        if (tmp != NULL && (!ok || rename(tmp, path) < 0)) {
            ok = false;
            unlink(tmp);
        }
    } else {
        ok = false;
    }
    btk__free(tmp);
    json_decref(doc);
    if (!ok)
        return btk_error_set(BTK_EIO, "cannot write results to '%s': %s",
                             btk_error_quote(q, sizeof(q), path),
                             errno ? strerror(errno) : "write error");
    return 0;
}
