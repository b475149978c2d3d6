/*
 * The entry points a benchmark body calls: the BTK_LOOP begin/end pair (one clock read
 * each, allocation counting armed in between, the thread's CPU clock read just outside
 * them), pause/resume (each also reading the CPU clock), throughput and named counters.
 * The loop itself is a counted for-loop in bench.h; nothing here runs per iteration.
 */
#include "state.h"
#include "count.h"
#include "memtrack.h"
#include "perf.h"
#include "timer.h"

static btk_state_priv *priv_of(btk_state *state)
{
    BTK_ASSERT(state != NULL && state->priv != NULL);
    return state->priv;
}

void btk_state__begin_call(btk_state *state, uint64_t iterations)
{
    btk_state_priv *p = priv_of(state);

    state->iterations = iterations;
    if (state->thread_count == 0) /* a state the sampler's team did not set up */
        state->thread_count = 1;
    p->ticks = p->iterations = p->pauses = 0;
    p->cpu_ns = 0;
    p->loops = 0;
    p->in_loop = p->is_paused = false;
}

uint64_t btk__loop_begin(btk_state *state)
{
    btk_state_priv *p = priv_of(state);

    p->in_loop = true;
    p->paused = 0;
    p->cpu_paused = 0;
    p->cpu_start = btk_timer_thread_cpu_ns(); /* outside the timed and counted region */
    if (p->memtrack)
        btk_memtrack__arm(true);
    if (p->perf)
        btk_perf__enable();
    if (p->count)
        btk_count__region(true);
    p->start = btk_timer_start();
    return state->iterations;
}

void btk__loop_end(btk_state *state)
{
    uint64_t end = btk_timer_stop(), cpu_end;
    btk_state_priv *p = priv_of(state);

    if (p->count && !p->is_paused)
        btk_count__region(false);
    if (p->perf)
        btk_perf__disable();
    if (p->memtrack)
        btk_memtrack__arm(false);
    cpu_end = btk_timer_thread_cpu_ns();
    if (p->is_paused) { /* loop left while paused: the pause ended the region */
        end = p->pause_at;
        cpu_end = p->cpu_pause_at;
        p->is_paused = false;
    }
    p->ticks += (end - p->start) - p->paused;
    p->cpu_ns += (cpu_end - p->cpu_start) - p->cpu_paused;
    p->iterations += state->iterations;
    p->loops++;
    p->in_loop = false;
}

void btk_pause(btk_state *state)
{
    uint64_t t = btk_timer_stop();
    btk_state_priv *p = priv_of(state);

    if (!p->in_loop || p->is_paused)
        return;
    if (p->count)
        btk_count__region(false);
    if (p->perf)
        btk_perf__disable();
    if (p->memtrack)
        btk_memtrack__arm(false);
    p->pause_at = t;
    /* a system call (~0.75 us in the reference VM), outside the timed region: the CPU time
     * of the paused code is left out exactly, whether it computes, sleeps or is preempted */
    p->cpu_pause_at = btk_timer_thread_cpu_ns();
    p->is_paused = true;
}

void btk_resume(btk_state *state)
{
    btk_state_priv *p = priv_of(state);

    if (!p->in_loop || !p->is_paused)
        return;
    p->is_paused = false;
    p->pauses++;
    p->cpu_paused += btk_timer_thread_cpu_ns() - p->cpu_pause_at; /* before any counting */
    if (p->memtrack)
        btk_memtrack__arm(true);
    if (p->perf)
        btk_perf__enable();
    if (p->count)
        btk_count__region(true);
    p->paused += btk_timer_start() - p->pause_at;
}

void btk_set_bytes(btk_state *state, uint64_t bytes_per_iteration)
{
    priv_of(state)->bytes_per_iter = (double)bytes_per_iteration;
}

void btk_set_items(btk_state *state, uint64_t items_per_iteration)
{
    priv_of(state)->items_per_iter = (double)items_per_iteration;
}

void btk_counter(btk_state *state, const char *name, double value)
{
    btk_state_priv *p = priv_of(state);
    size_t i;

    if (name == NULL)
        return;
    for (i = 0; i < p->counter_count; i++) {
        if (strncmp(p->counters[i].name, name, BTK_COUNTER_NAME_MAX - 1) == 0) {
            p->counters[i].value = value;
            return;
        }
    }
    if (p->counter_count == BTK_MAX_COUNTERS)
        return;
    snprintf(p->counters[i].name, BTK_COUNTER_NAME_MAX, "%s", name);
    p->counters[i].value = value;
    p->counter_count++;
}

void btk__use_pointer(const volatile void *ptr)
{
    BTK_UNUSED(ptr);
}

/* Report that the body asked for a parameter its benchmark does not have (what: how it
 * was named) and abort: a programming error that must not become a measurement of the
 * wrong thing. */
static _Noreturn void no_such_param(const btk_state_priv *p, const char *what)
{
    fprintf(stderr, "benchtrack: benchmark '%s' has no parameter %s\n",
            p->inst != NULL ? p->inst->name : "?", what);
    fflush(stderr);
    abort();
}

int64_t btk_param(const btk_state *state, const char *name)
{
    const btk_state_priv *p;
    char q[64], what[80];
    int i;

    if (state == NULL || state->priv == NULL)
        return 0;
    p = state->priv;
    if (name == NULL || name[0] == '\0') {
        if (p->inst != NULL && p->inst->has_param)
            return p->inst->param;
        no_such_param(p, "without a name");
    }
    if ((i = btk_registry_axis_index(p->inst, name)) >= 0)
        return p->inst->axis_values[i];
    snprintf(what, sizeof(what), "'%s'", btk_error_quote(q, sizeof(q), name));
    no_such_param(p, what);
}

int64_t btk_param_at(const btk_state *state, size_t i)
{
    const btk_state_priv *p;
    char what[40];

    if (state == NULL || state->priv == NULL)
        return 0;
    p = state->priv;
    if (p->inst != NULL && i < p->inst->axis_count)
        return p->inst->axis_values[i];
    snprintf(what, sizeof(what), "number %zu", i);
    no_such_param(p, what);
}
