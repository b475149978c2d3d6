/*
 * One body call on one thread or on a team. A threaded benchmark's workers are started
 * once per process, before anything is timed, and wait on a barrier; each body call
 * releases every thread (the caller is thread 0) through that barrier, each runs the body
 * with its own state on the same batch, and a second barrier gathers them. The call's
 * time is the longest thread's timed region (the threads start together, so that is when
 * the batch was done by all; the barrier's wake-up stagger is not counted), its CPU time
 * the sum over threads. Allocation counts and the disturbance readings are taken per
 * thread and added up. Semantics: docs/writing-benchmarks.md#threads.
 */
#include "sampler_int.h"

#include "pin.h"

#include <pthread.h>

typedef struct worker {
    struct btk_team *team;
    unsigned index;
    int cpu; /* to pin to, -1: not pinned */
    pthread_t tid;
    btk_state state;
    btk_state_priv priv;
    btk_call_out out; /* this thread's part of the last call */
} worker;

struct btk_team {
    unsigned count; /* threads, the caller included */
    worker *w;      /* w[1..count): the workers (w[0] unused) */
    const btk_instance *inst;
    const btk_timer_info *ti;
    pthread_barrier_t start, end;
    pthread_mutex_t gate_lock; /* workers wait at the gate until all exist (or quit) */
    pthread_cond_t gate;
    bool open;
    uint64_t n; /* the batch of the current call */
    bool memtrack, snap, quit;
    unsigned started; /* workers created */
};

/* Run the body once on this thread with batch n and fill o with this thread's figures
 * (ticks and CPU time with the overheads subtracted). */
static void run_one(btk_call_out *o, const btk_instance *inst, btk_state *state,
                    const btk_timer_info *ti, uint64_t n, bool snap)
{
    btk_state_priv *p = state->priv;
    btk_pin_snap before, after;

    memset(o, 0, sizeof(*o));
    btk_state__begin_call(state, n);
    if (p->memtrack)
        btk_memtrack__reset();
    if (snap)
        btk_pin__snap(&before);
    inst->fn(state);
    if (snap)
        btk_pin__snap(&after);
    if (p->memtrack)
        btk_memtrack__read(&o->mem);
    o->ticks = (double)p->ticks - (double)p->loops * ti->overhead_ticks -
               (double)p->pauses * ti->pause_ticks;
    o->cpu_ns = (double)p->cpu_ns - (double)p->loops * ti->cpu_overhead_ns -
                (double)p->pauses * ti->cpu_pause_ns;
    o->iters = p->iterations;
    if (snap)
        btk_team__disturbance(o, &before, &after);
}

void btk_team__disturbance(btk_call_out *out, const void *before, const void *after)
{
    const btk_pin_snap *b = before, *a = after;

    if (a->switches > b->switches)
        out->switches += (uint64_t)(a->switches - b->switches);
    out->migrated = out->migrated || (b->cpu >= 0 && a->cpu >= 0 && b->cpu != a->cpu);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    btk_team *t = w->team;
    bool quit;

    if (w->cpu >= 0 && btk_pin__thread_to_cpu(w->cpu) < 0)
        btk_error_clear(); /* unpinned: the thread runs where the kernel puts it */
    pthread_mutex_lock(&t->gate_lock);
    while (!t->open && !t->quit)
        pthread_cond_wait(&t->gate, &t->gate_lock);
    quit = t->quit;
    pthread_mutex_unlock(&t->gate_lock);
    while (!quit) {
        pthread_barrier_wait(&t->start);
        if (t->quit) /* written before the barrier, read after it */
            break;
        w->priv.memtrack = t->memtrack;
        run_one(&w->out, t->inst, &w->state, t->ti, t->n, t->snap);
        w->priv.memtrack = false;
        pthread_barrier_wait(&t->end);
    }
    return NULL;
}

/* Let the workers through the gate: to the barrier, or (quit) out. */
static void open_gate(btk_team *t, bool quit)
{
    pthread_mutex_lock(&t->gate_lock);
    t->open = !quit;
    t->quit = quit;
    pthread_cond_broadcast(&t->gate);
    pthread_mutex_unlock(&t->gate_lock);
}

int btk_team__start(btk_team **out, const btk_instance *inst, unsigned count,
                    void *fixture, int64_t param, const int *cpus, unsigned ncpus)
{
    btk_team *t;
    unsigned i;
    int rc;

    *out = NULL;
    if (count < 2)
        return 0;
    if ((t = btk__calloc(1, sizeof(*t))) == NULL ||
        (t->w = btk__calloc(count, sizeof(*t->w))) == NULL) {
        btk__free(t);
        return BTK_ENOMEM;
    }
    t->count = count;
    t->inst = inst;
    pthread_barrier_init(&t->start, NULL, count);
    pthread_barrier_init(&t->end, NULL, count);
    pthread_mutex_init(&t->gate_lock, NULL);
    pthread_cond_init(&t->gate, NULL);
    for (i = 1; i < count; i++) {
        worker *w = &t->w[i];

        w->team = t;
        w->index = i;
        w->cpu = ncpus > 0 ? cpus[i % ncpus] : -1;
        w->state.version = BTK_STATE_VERSION;
        w->state.param = param;
        w->state.fixture = fixture;
        w->state.priv = &w->priv;
        w->state.thread_index = i;
        w->state.thread_count = count;
        if ((rc = pthread_create(&w->tid, NULL, worker_main, w)) != 0) {
            btk_team__stop(t);
            return btk_error_set(BTK_ERROR, "cannot start thread %u of '%s': %s", i,
                                 inst->name, strerror(rc));
        }
        t->started++;
    }
    open_gate(t, false);
    *out = t;
    return 0;
}

/* Fold thread i's figures into the call's. */
static void fold(btk_call_out *all, const btk_call_out *one)
{
    if (one->ticks > all->ticks)
        all->ticks = one->ticks;
    all->cpu_ns += one->cpu_ns;
    all->switches += one->switches;
    all->migrated = all->migrated || one->migrated;
    all->mem.allocs += one->mem.allocs;
    all->mem.frees += one->mem.frees;
    all->mem.bytes += one->mem.bytes;
}

int btk_team__call(btk_call_out *out, btk_team *team, const btk_instance *inst,
                   btk_state *state, const btk_timer_info *ti, uint64_t n, bool snap)
{
    btk_state_priv *p = state->priv;
    uint64_t t0 = btk_timer_start();
    char q[96];
    unsigned i;

    if (team == NULL) {
        state->thread_index = 0;
        state->thread_count = 1;
        run_one(out, inst, state, ti, n, snap);
    } else {
        state->thread_index = 0;
        state->thread_count = team->count;
        team->n = n;
        team->ti = ti;
        team->memtrack = p->memtrack;
        team->snap = snap;
        pthread_barrier_wait(&team->start);
        run_one(out, inst, state, ti, n, snap);
        pthread_barrier_wait(&team->end);
        for (i = 1; i < team->count; i++) {
            fold(out, &team->w[i].out);
            if (team->w[i].priv.loops == 0)
                p->loops = 0; /* reported below as the body's error */
        }
    }
    out->wall = (double)(btk_timer_stop() - t0);
    if (p->loops == 0)
        return btk_error_set(BTK_ERROR, "benchmark '%s' did not run BTK_LOOP",
                             btk_error_quote(q, sizeof(q), inst->name));
    return 0;
}

void btk_team__stop(btk_team *team)
{
    unsigned i;

    if (team == NULL)
        return;
    if (team->open) { /* every worker waits on the start barrier */
        team->quit = true;
        pthread_barrier_wait(&team->start);
    } else { /* a worker could not be created: the others still wait at the gate */
        open_gate(team, true);
    }
    for (i = 1; i <= team->started; i++)
        pthread_join(team->w[i].tid, NULL);
    pthread_barrier_destroy(&team->start);
    pthread_barrier_destroy(&team->end);
    pthread_mutex_destroy(&team->gate_lock);
    pthread_cond_destroy(&team->gate);
    btk__free(team->w);
    btk__free(team);
}
