/*
 * Releasing what one process's / one benchmark's results own. The structs themselves are
 * the caller's (usually elements of an array); only their heap members are freed here.
 */
#include "result.h"

void btk_proc_result_clear(btk_proc_result *r)
{
    if (r == NULL)
        return;
    btk__free(r->samples);
    btk__free(r->batch);
    btk__free(r->cycles);
    btk__free(r->cpu_samples);
    btk__free(r->clock_ghz);
    btk__free(r->calls);
    r->samples = NULL;
    r->batch = NULL;
    r->cycles = NULL;
    r->cpu_samples = NULL;
    r->clock_ghz = NULL;
    r->calls = NULL;
    r->count = 0;
    r->call_count = 0;
}

void btk_bench_result_clear(btk_bench_result *r)
{
    size_t i;

    if (r == NULL)
        return;
    for (i = 0; i < r->proc_count; i++)
        btk_proc_result_clear(&r->procs[i]);
    btk__free(r->procs);
    btk__free(r->name);
    btk__free(r->family);
    r->procs = NULL;
    r->name = NULL;
    r->family = NULL;
    r->proc_count = 0;
}
