/* Synthetic runs for the report's tests and speed benchmark (report_synth.h). */
#include "report_synth.h"

#include <math.h>

static double next_noise(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return (double)(*s >> 11) / 9007199254740992.0 - 0.5;
}

static int synth_result(btk_result *r, const synth_spec *sp, size_t k, uint64_t *rng)
{
    size_t p, i, n = sp->procs * sp->samples;
    double sum = 0, lo = INFINITY, hi = 0;

    btk_stats_init(&r->stats);
    r->cycles_median = NAN;
    btk_memory_init(&r->memory);
    r->name = btk__strdup(sp->names[k]);
    r->family = btk__strdup(sp->names[k]);
    r->stop_reason = btk__strdup("precision");
    r->procs = btk__calloc(sp->procs ? sp->procs : 1, sizeof(*r->procs));
    if (!r->name || !r->family || !r->stop_reason || !r->procs)
        return BTK_ENOMEM;
    for (p = 0; p < sp->procs; p++, r->proc_count++) {
        btk_proc *pr = &r->procs[p];
        pr->index = (int)p;
        pr->peak_rss_bytes = pr->minor_faults = pr->major_faults = -1;
        if ((pr->ns = btk__calloc(sp->samples ? sp->samples : 1, sizeof(double))) == NULL)
            return BTK_ENOMEM;
        for (i = 0; i < sp->samples; i++, pr->count++) {
            double v = sp->levels[k] * (1 + 0.02 * next_noise(rng));
            pr->ns[i] = v, sum += v, lo = fmin(lo, v), hi = fmax(hi, v);
        }
    }
    r->stats.median = sp->levels[k];
    r->stats.mean = sum / (double)(n ? n : 1);
    r->stats.min = lo, r->stats.max = hi;
    r->stats.ci_low = sp->levels[k] * 0.995, r->stats.ci_high = sp->levels[k] * 1.005;
    r->stats.samples = (int64_t)n, r->stats.iterations = (int64_t)n * 1000;
    r->stats.outliers_low = r->stats.outliers_high = 0;
    r->memory.peak_rss_bytes = 4 << 20;
    return 0;
}

static int synth_context(btk_run *run, const synth_spec *sp)
{
    btk_machine *m = &run->machine;

    run->format = btk__strdup("benchtrack");
    run->date = btk__strdup("2024-05-01T12:00:00Z");
    run->executable = btk__strdup("./synthetic");
    run->compiler = btk__strdup("GCC 12.2.0");
    run->flags = btk__strdup("-O2");
    run->context_json = btk__strdup("{}");
    run->options_json = btk__strdup("{}");
    m->hostname = btk__strdup(sp->hostname);
    m->os = btk__strdup("Linux"), m->kernel = btk__strdup("6.1.0");
    m->arch = btk__strdup("x86_64"),
    m->cpu_model = btk__strdup("Synthetic CPU @ 2.30GHz");
    m->timer_source = btk__strdup("tsc");
    m->cpus = 2, m->timer_hz = 2.3e9;
    snprintf(run->commit.sha, sizeof(run->commit.sha), "%s", sp->sha);
    run->commit.branch = sp->branch ? btk__strdup(sp->branch) : NULL;
    run->commit.time = sp->time;
    run->commit.author = btk__strdup("Synthetic Author");
    run->commit.subject = btk__strdup(sp->subject);
    if (!run->format || !m->hostname || !run->commit.subject || !m->timer_source)
        return BTK_ENOMEM;
    return btk_machine_fingerprint(m);
}

int synth_run(btk_run **out, const synth_spec *sp)
{
    uint64_t rng = sp->seed | 1;
    btk_run *run = NULL;
    size_t k;
    int error;

    *out = NULL;
    if ((error = btk_run_new(&run)) < 0 || (error = synth_context(run, sp)) < 0)
        goto fail;
    if ((run->results = btk__calloc(sp->count ? sp->count : 1, sizeof(*run->results))) ==
        NULL) {
        error = BTK_ENOMEM;
        goto fail;
    }
    for (k = 0; k < sp->count; k++, run->result_count++)
        if ((error = synth_result(&run->results[k], sp, k, &rng)) < 0) {
            run->result_count++;
            goto fail;
        }
    *out = run;
    return 0;
fail:
    btk_run_free(run);
    return error;
}
