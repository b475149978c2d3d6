/*
 * The in-memory run: construction, release, lookup, and the machine fingerprint (a digest of
 * the fields that decide whether two runs are comparable; see docs/database.md).
 */
#include "model.h"

#include <math.h>

int btk_run_new(btk_run **out)
{
    *out = btk__calloc(1, sizeof(**out));
    if (*out == NULL)
        return BTK_ENOMEM;
    (*out)->machine.timer_hz = NAN;
    return 0;
}

static void proc_clear(btk_proc *p)
{
    btk__free(p->ns);
    btk__free(p->batch);
}

static void kvs_free(btk_kv *kv, size_t count)
{
    size_t i;

    for (i = 0; kv && i < count; i++)
        btk__free(kv[i].name);
    btk__free(kv);
}

void btk_result_clear(btk_result *r)
{
    size_t i;

    btk__free(r->name);
    btk__free(r->family);
    btk__free(r->error_kind);
    btk__free(r->error_message);
    btk__free(r->stop_reason);
    kvs_free(r->counters, r->counter_count);
    kvs_free(r->hw, r->hw_count);
    for (i = 0; r->procs && i < r->proc_count; i++)
        proc_clear(&r->procs[i]);
    btk__free(r->procs);
    memset(r, 0, sizeof(*r));
}

void btk_machine_clear(btk_machine *m)
{
    btk__free(m->fingerprint);
    btk__free(m->hostname);
    btk__free(m->os);
    btk__free(m->kernel);
    btk__free(m->arch);
    btk__free(m->cpu_model);
    btk__free(m->timer_source);
    memset(m, 0, sizeof(*m));
}

void btk_run_free(btk_run *run)
{
    size_t i;

    if (run == NULL)
        return;
    btk__free(run->format);
    btk__free(run->date);
    btk__free(run->executable);
    btk__free(run->compiler);
    btk__free(run->flags);
    btk__free(run->context_json);
    btk__free(run->options_json);
    for (i = 0; run->warnings && i < run->warning_count; i++)
        btk__free(run->warnings[i]);
    btk__free(run->warnings);
    btk_machine_clear(&run->machine);
    btk__free(run->commit.branch);
    btk__free(run->commit.author);
    btk__free(run->commit.subject);
    btk__free(run->commit.parents);
    for (i = 0; run->results && i < run->result_count; i++)
        btk_result_clear(&run->results[i]);
    btk__free(run->results);
    btk__free(run);
}

const btk_result *btk_run_find(const btk_run *run, const char *name)
{
    size_t i;

    for (i = 0; run && name && i < run->result_count; i++)
        if (run->results[i].name && !strcmp(run->results[i].name, name))
            return &run->results[i];
    return NULL;
}

void btk_memory_init(btk_memory *m)
{
    m->tracked = false;
    m->allocs_per_iter = m->frees_per_iter = m->bytes_per_iter = NAN;
    m->peak_rss_bytes = m->minor_faults = m->major_faults = -1;
}

/* FNV-1a over one field followed by a 0x1f separator, so "ab"+"c" differs from "a"+"bc". */
static uint64_t fnv_field(uint64_t h, const char *s)
{
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    h ^= 0x1f;
    return h * 0x100000001b3ULL;
}

int btk_machine_fingerprint(btk_machine *m)
{
    char cpus[24], hex[33];
    const char *fields[4];
    uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
    size_t i;

    snprintf(cpus, sizeof(cpus), "%d", m->cpus);
    fields[0] = m->hostname ? m->hostname : "";
    fields[1] = m->arch ? m->arch : "";
    fields[2] = m->cpu_model ? m->cpu_model : "";
    fields[3] = cpus;
    /* Two FNV-1a lanes with different seeds and a field-order salt give 128 bits: an
     * identifier, not a security property (the fields themselves are stored beside it). */
    for (i = 0; i < BTK_ARRAY_SIZE(fields); i++) {
        a = fnv_field(a, fields[i]);
        b = fnv_field(b ^ (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL, fields[i]);
    }
    snprintf(hex, sizeof(hex), "%016" PRIx64 "%016" PRIx64, a, b);
    btk__free(m->fingerprint);
    m->fingerprint = btk__strdup(hex);
    return m->fingerprint ? 0 : BTK_ENOMEM;
}
