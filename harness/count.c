/*
 * Counting mode. The runner's child re-executes this program as the counted process:
 * under valgrind --tool=callgrind (--measure instructions) or directly (perf-instructions),
 * with address-space randomization off (count_<os>.c) and an environment padded to a fixed
 * size, so the stack and heap addresses, and with them every address-dependent path, repeat.
 * The counted process finds its instance, warms it up, sizes a batch from a one-iteration
 * count, counts the benchmark's BTK_LOOP and an empty BTK_LOOP of the same batch (callgrind's
 * collection is toggled inside btk__loop_begin/end only, so setup, the harness and process
 * start are not counted), and sends the totals to the parent as a wire frame. callgrind's
 * counts are read back from the dump files it writes into the parent's private directory.
 */
#include "count.h"

#include "perf.h"
#include "state.h"
#include "runner.h"
#include "wire.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#if defined(HAVE_VALGRIND_CALLGRIND_H)
#include <valgrind/callgrind.h>
#endif

#define SPEC_ENV "BTK__COUNT"    /* "<fd>:<measure>:<cache_sim>:<instance name>" */
#define DIR_ENV "BTK__COUNT_DIR" /* the private directory for callgrind's dumps */
#define PAD_ENV "BTK__PAD"
#define DUMP_NAME "cg.out"

extern char **environ;

static btk_measure active; /* the counted process's measure */
static const char *dump_dir;
#if defined(HAVE_VALGRIND_CALLGRIND_H)
static bool collecting; /* callgrind's collection state, toggled in the loop */
static unsigned dumps;  /* callgrind dumps written so far */
#endif

void btk_count_identity(char *tool_version, size_t tv_len, char *libc, size_t libc_len,
                        btk_measure m)
{
    struct utsname u;

    snprintf(tool_version, tv_len, "unknown");
    snprintf(libc, libc_len, "unknown");
#if defined(_CS_GNU_LIBC_VERSION)
    if (libc_len > 0 && (confstr(_CS_GNU_LIBC_VERSION, libc, libc_len) == 0 || !libc[0]))
        snprintf(libc, libc_len, "unknown");
#endif
    if (m == BTK_MEASURE_PERF_INSTRUCTIONS && uname(&u) == 0)
        snprintf(tool_version, tv_len, "kernel %s", u.release);
#if defined(HAVE_VALGRIND_CALLGRIND_H) && defined(__VALGRIND_MAJOR__)
    if (m == BTK_MEASURE_INSTRUCTIONS)
        snprintf(tool_version, tv_len, "valgrind.h %d.%d", __VALGRIND_MAJOR__,
                 __VALGRIND_MINOR__);
#endif
}

const char *btk_count_measure_name(btk_measure m)
{
    return m == BTK_MEASURE_INSTRUCTIONS        ? "instructions"
           : m == BTK_MEASURE_PERF_INSTRUCTIONS ? "perf-instructions"
                                                : "time";
}

bool btk_count_measure_parse(btk_measure *out, const char *name)
{
    btk_measure m;

    for (m = BTK_MEASURE_TIME; m <= BTK_MEASURE_PERF_INSTRUCTIONS; m++)
        if (strcmp(name, btk_count_measure_name(m)) == 0) {
            *out = m;
            return true;
        }
    return false;
}

/* The path of prog in PATH into buf; false when none is executable. */
static bool find_in_path(char *buf, size_t len, const char *prog)
{
    const char *path = getenv("PATH"), *p, *end;

    for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
        end = strchr(p, ':');
        end = end ? end : p + strlen(p);
        snprintf(buf, len, "%.*s/%s", (int)(end - p), end == p ? "." : p, prog);
        if (access(buf, X_OK) == 0)
            return true;
    }
    return false;
}

int btk_count_check(btk_measure m)
{
    if (m == BTK_MEASURE_PERF_INSTRUCTIONS) {
        int error = btk_perf__open_instructions();

        btk_perf__close_instructions();
        return error < 0 ? BTK_ENOTFOUND : 0; /* the message names the refusal */
    }
    if (m != BTK_MEASURE_INSTRUCTIONS)
        return 0;
#if !defined(HAVE_VALGRIND_CALLGRIND_H)
    return btk_error_set(BTK_EUNSUPPORTED, "--measure instructions is not available in "
                                           "this build (built without valgrind/callgrind.h)");
#else
    char path[4096];

    if (RUNNING_ON_VALGRIND)
        return btk_error_set(BTK_ENOTFOUND, "cannot count instructions: already running "
                                            "under valgrind");
    if (!find_in_path(path, sizeof(path), "valgrind"))
        return btk_error_set(BTK_ENOTFOUND, "cannot count instructions: no 'valgrind' in "
                                            "PATH");
    return 0;
#endif
}

/* ---- per-iteration figures and determinism (the parent) ---- */

double btk_count_per_iter(const btk_count_figures *f, unsigned e)
{
    double n = (double)f->iterations, pair = 0;

    if (e >= f->events || f->iterations == 0)
        return 0;
    if (f->pauses > 0)
        pair = ((double)f->pause_loop[e] - (double)f->loop[e]) / n;
    return ((double)f->body[e] - (double)f->loop[e] - (double)f->pauses * pair) / n;
}

bool btk_count_deterministic(const btk_bench_result *r, double *min_out, double *max_out)
{
    bool same = true;
    size_t i;
    unsigned e;

    *min_out = *max_out = 0;
    for (i = 0; i < r->proc_count; i++) {
        const btk_count_figures *f = &r->procs[i].counted, *f0 = &r->procs[0].counted;
        double v = btk_count_per_iter(f, 0);

        *min_out = i == 0 || v < *min_out ? v : *min_out;
        *max_out = i == 0 || v > *max_out ? v : *max_out;
        if (f->events != f0->events)
            same = false;
        for (e = 0; same && e < f->events; e++)
            same = btk_count_per_iter(f, e) == btk_count_per_iter(f0, e);
    }
    return same && r->proc_count >= 2;
}

/* ---- callgrind dumps ---- */

/* The value of "events:"/"totals:"-style line key in text, or NULL. */
static const char *line_value(const char *text, const char *key)
{
    size_t klen = strlen(key);
    const char *p = text;

    for (; p != NULL && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, key, klen) == 0)
            return p + klen;
    return NULL;
}

int btk_count__parse_dump(uint64_t out[BTK_COUNT_EVENTS], const char *text)
{
    static const char *sums[BTK_COUNT_EVENTS] = {"Ir", "I1mr D1mr D1mw", "ILmr DLmr DLmw"};
    const char *ev = line_value(text, "events:"), *tot = line_value(text, "totals:");
    char names[16][8];
    size_t n = 0, i, e;
    char *end;

    memset(out, 0, BTK_COUNT_EVENTS * sizeof(out[0]));
    if (ev == NULL || (tot == NULL && (tot = line_value(text, "summary:")) == NULL))
        return btk_error_set(BTK_EFORMAT, "callgrind dump without events and totals");
    while (n < 16 && sscanf(ev, " %7[A-Za-z0-9]", names[n]) == 1) {
        ev = strstr(ev, names[n]) + strlen(names[n]);
        n++;
        while (*ev == ' ')
            ev++;
        if (*ev == '\n' || *ev == '\0')
            break;
    }
    for (i = 0; i < n; i++) {
        uint64_t v;

        while (*tot == ' ')
            tot++;
        if (*tot == '\n' || *tot == '\0')
            break; /* callgrind leaves trailing zero counts out */
        v = strtoull(tot, &end, 10);
        if (end == tot)
            return btk_error_set(BTK_EFORMAT, "callgrind dump with malformed totals");
        tot = end;
        for (e = 0; e < BTK_COUNT_EVENTS; e++) {
            const char *hit = strstr(sums[e], names[i]);

            if (hit != NULL && (hit[strlen(names[i])] == ' ' || !hit[strlen(names[i])]))
                out[e] += v;
        }
    }
    return 0;
}

#if defined(HAVE_VALGRIND_CALLGRIND_H)
/* Read and parse dump number `part` in the dump directory into out. */
static int read_dump(uint64_t out[BTK_COUNT_EVENTS], unsigned part)
{
    char path[4200], q[300];
    btk_buf text = BTK_BUF_INIT;
    char chunk[8192];
    size_t got;
    FILE *f;
    int error = 0;

    snprintf(path, sizeof(path), "%s/%s.%u", dump_dir, DUMP_NAME, part);
    if ((f = fopen(path, "r")) == NULL)
        return btk_error_set(BTK_EIO, "cannot read callgrind's counts '%s': %s",
                             btk_error_quote(q, sizeof(q), path), strerror(errno));
    while (error == 0 && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        error = btk_buf_put(&text, chunk, got);
    fclose(f);
    unlink(path);
    if (error == 0)
        error = btk_count__parse_dump(out, btk_buf_cstr(&text));
    btk_buf_free(&text);
    return error;
}
#endif

/* ---- counting in the counted process ---- */

void btk_count__region(bool on)
{
    if (active == BTK_MEASURE_PERF_INSTRUCTIONS) {
        btk_perf__instructions_enable(on);
        return;
    }
#if defined(HAVE_VALGRIND_CALLGRIND_H)
    if (on != collecting) {
        CALLGRIND_TOGGLE_COLLECT;
        collecting = on;
    }
#endif
}

/* Zero the counts before a counted call. */
static void counts_zero(void)
{
    uint64_t discard;

    if (active == BTK_MEASURE_PERF_INSTRUCTIONS) {
        (void)btk_perf__instructions_take(&discard);
        return;
    }
#if defined(HAVE_VALGRIND_CALLGRIND_H)
    CALLGRIND_ZERO_STATS;
#endif
}

/* The counts since counts_zero. */
static int counts_take(uint64_t out[BTK_COUNT_EVENTS])
{
    memset(out, 0, BTK_COUNT_EVENTS * sizeof(out[0]));
    if (active == BTK_MEASURE_PERF_INSTRUCTIONS)
        return btk_perf__instructions_take(&out[0]);
#if defined(HAVE_VALGRIND_CALLGRIND_H)
    CALLGRIND_DUMP_STATS_AT("benchtrack");
    return read_dump(out, ++dumps);
#else
    return btk_error_set(BTK_EUNSUPPORTED, "not built with valgrind/callgrind.h");
#endif
}

typedef struct cctx {
    const btk_instance *inst;
    btk_state state;
    btk_state_priv priv;
} cctx;

/* One call of fn with a batch of n; counted into out when out is not NULL. */
static int call(cctx *c, btk_bench_fn fn, uint64_t n, uint64_t *out)
{
    char q[96];
    int error = 0;

    btk_state__begin_call(&c->state, n);
    if (out != NULL)
        counts_zero();
    c->priv.count = out != NULL;
    fn(&c->state);
    c->priv.count = false;
    if (out != NULL)
        error = counts_take(out);
    if (error == 0 && c->priv.loops == 0)
        error = btk_error_set(BTK_ERROR, "benchmark '%s' did not run BTK_LOOP",
                              btk_error_quote(q, sizeof(q), c->inst->name));
    return error;
}

/* The loop's own cost: an empty body, and one with a pause+resume pair per iteration. */
static void empty_body(btk_state *state)
{
    BTK_LOOP(state) {
    }
}

static void pause_body(btk_state *state)
{
    BTK_LOOP(state) {
        btk_pause(state);
        btk_resume(state);
    }
}

/* Warm up, size the batch from a one-iteration count, count the body, the empty loop and,
 * when the body pauses, the pause pair. */
static int count_all(cctx *c, btk_count_figures *f)
{
    uint64_t one[BTK_COUNT_EVENTS], n;
    double per;
    int error;

    if ((error = call(c, c->inst->fn, 1, NULL)) < 0 ||
        (error = call(c, c->inst->fn, 1, one)) < 0)
        return error;
    per = one[0] > 0 ? (double)one[0] : 1;
    n = (uint64_t)(BTK_COUNT_TARGET_INSTRUCTIONS / per);
    n = n < 1 ? 1 : n > BTK_COUNT_MAX_BATCH ? BTK_COUNT_MAX_BATCH : n;
    if ((error = call(c, c->inst->fn, n, f->body)) < 0)
        return error;
    f->iterations = c->priv.iterations;
    f->pauses = c->priv.pauses;
    if ((error = call(c, empty_body, f->iterations, f->loop)) < 0)
        return error;
    if (f->pauses > 0 && (error = call(c, pause_body, f->iterations, f->pause_loop)) < 0)
        return error;
    return 0;
}

/* Count inst in this process into out (one "sample": the per-iteration instructions). */
static int count_instance(btk_proc_result *out, const btk_instance *inst, bool cache_sim)
{
    cctx c;
    int error;

    memset(&c, 0, sizeof(c));
    memset(out, 0, sizeof(*out));
    c.inst = inst;
    c.state.version = BTK_STATE_VERSION;
    c.state.param = inst->has_param ? inst->param : 0;
    c.state.priv = &c.priv;
    c.priv.inst = inst;
    out->counted.events = cache_sim ? BTK_COUNT_EVENTS : 1;
    out->counted.aslr_off = btk_count__aslr_is_off();
    if (inst->opts->setup != NULL)
        c.state.fixture = inst->opts->setup(c.state.param);
    error = count_all(&c, &out->counted);
    if (inst->opts->teardown != NULL)
        inst->opts->teardown(c.state.fixture, c.state.param);
    if (error < 0)
        return error;
    out->samples = btk__malloc(sizeof(double));
    out->cycles = btk__malloc(sizeof(double));
    out->batch = btk__malloc(sizeof(uint64_t));
    if (out->samples == NULL || out->cycles == NULL || out->batch == NULL)
        return BTK_ENOMEM;
    out->count = 1;
    out->samples[0] = out->cycles[0] = btk_count_per_iter(&out->counted, 0);
    out->batch[0] = out->counted.iterations;
    out->stop = BTK_STOP_MAX_SAMPLES;
    out->bytes_per_iter = c.priv.bytes_per_iter;
    out->items_per_iter = c.priv.items_per_iter;
    out->counter_count = c.priv.counter_count;
    memcpy(out->counters, c.priv.counters, sizeof(out->counters));
    return 0;
}

/* Find the instance called name (registry order) into *out. */
static int find_instance(btk_instance *out, const char *name)
{
    btk_instance *v = NULL;
    size_t n = 0, i;
    char q[96];
    int error;

    if ((error = btk_registry_instances(&v, &n, NULL)) < 0)
        return error;
    for (i = 0; i < n && strcmp(v[i].name, name) != 0; i++)
        ;
    if (i < n)
        *out = v[i];
    btk__free(v);
    return i < n ? 0 : btk_error_set(BTK_ENOTFOUND, "no benchmark named '%s'",
                                     btk_error_quote(q, sizeof(q), name));
}

int btk_count__child_main(void)
{
    const char *spec = getenv(SPEC_ENV), *name;
    btk_proc_result r;
    btk_instance inst;
    int fd, m, cache, error, pos = 0;

    if (spec == NULL || sscanf(spec, "%d:%d:%d:%n", &fd, &m, &cache, &pos) != 3 || pos == 0)
        return -1;
    name = spec + pos;
    memset(&r, 0, sizeof(r));
    active = (btk_measure)m;
    dump_dir = getenv(DIR_ENV);
    if (active == BTK_MEASURE_INSTRUCTIONS && dump_dir == NULL)
        error = btk_error_set(BTK_EINVAL, "counted process without a dump directory");
    else if (active == BTK_MEASURE_PERF_INSTRUCTIONS)
        error = btk_perf__open_instructions();
    else
        error = 0;
    if (error == 0 && (error = find_instance(&inst, name)) == 0)
        error = count_instance(&r, &inst, cache != 0);
    error = btk_wire_send(fd, error, &r);
    btk_perf__close_instructions();
    btk_proc_result_clear(&r);
    return error == 0 ? BTK_RUNNER_EXIT_OK : BTK_RUNNER_EXIT_NO_FRAME;
}

/* ---- starting the counted process (the runner's child) ---- */

int btk_count__make_dir(char *buf, size_t len)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(buf, len, "%s/btk-count-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(buf) == NULL)
        return btk_error_set(BTK_EIO, "cannot make a directory for callgrind's counts: %s",
                             strerror(errno));
    return 0;
}

void btk_count__remove_dir(const char *dir)
{
    char path[4400];
    struct dirent *e;
    DIR *d = opendir(dir);

    while (d != NULL && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            unlink(path);
        }
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}

void btk_count__free_env(char **env)
{
    if (env == NULL)
        return;
    btk__free(env[-1]); /* the block of strings */
    btk__free(env - 1);
}

/* Is s one of our own variables (replaced, never inherited)? */
static bool ours(const char *s)
{
    return strncmp(s, "BTK__", 5) == 0;
}

/* Append s at *at in the block and to v[(*k)++]. */
static void add_string(char **v, size_t *k, char **at, const char *s)
{
    size_t len = strlen(s) + 1;

    v[(*k)++] = memcpy(*at, s, len);
    *at += len;
}

int btk_count__build_env(char ***out, char *const *env, const char *const *extra,
                         size_t extra_count, const char *program)
{
    char filler[16]; /* "BTK__F<nnnn>=": names differ, since duplicates are dropped */
    size_t n = 0, bytes = strlen(program) + 1, target = BTK_COUNT_ENV_BYTES, i, k = 1,
           slots = BTK_COUNT_ENV_SLOTS, pad, head = strlen(PAD_ENV) + 2; /* "BTK__PAD=" */
    char **v, *block, *at;

    *out = NULL;
    for (i = 0; env != NULL && env[i] != NULL; i++)
        if (!ours(env[i])) {
            bytes += strlen(env[i]) + 1;
            n++;
        }
    for (i = 0; i < extra_count; i++)
        bytes += strlen(extra[i]) + 1;
    /* a fixed number of entries too: the pointer array is on the stack as well */
    while (n + extra_count + 1 > slots)
        slots += 64;
    bytes += (slots - n - extra_count - 1) * (strlen("BTK__F0000=") + 1);
    while (bytes + head > target)
        target += 4096;
    pad = target - bytes - head;
    /* v[0] keeps the block of strings; the environment is v + 1 */
    if ((v = btk__calloc(slots + 2, sizeof(char *))) == NULL)
        return BTK_ENOMEM;
    if ((block = btk__malloc(target)) == NULL) {
        btk__free(v);
        return BTK_ENOMEM;
    }
    v[0] = block;
    at = block;
    for (i = 0; env != NULL && env[i] != NULL; i++)
        if (!ours(env[i]))
            add_string(v, &k, &at, env[i]);
    for (i = 0; i < extra_count; i++)
        add_string(v, &k, &at, extra[i]);
    while (k < slots) {
        snprintf(filler, sizeof(filler), "BTK__F%04zu=", k % 10000);
        add_string(v, &k, &at, filler);
    }
    v[k++] = at;
    at += snprintf(at, head, "%s=", PAD_ENV);
    memset(at, 'x', pad);
    at[pad] = '\0';
    v[k] = NULL;
    *out = v + 1;
    return 0;
}

int btk_count__exec(int fd, const char *dir, const btk_instance *inst, btk_measure m,
                    bool cache_sim)
{
    char exe[4096], vg[4096], spec[400], dirvar[4200], outfile[4200], logfile[4200];
    char why[160];
    const char *extra[2];
    char *argv[16], **env = NULL;
    int argc = 0, error;

    if ((error = btk_count__program(exe, sizeof(exe))) < 0)
        return error;
    if (fcntl(fd, F_SETFD, 0) < 0)
        return btk_error_set(BTK_EIO, "cannot pass the pipe on: %s", strerror(errno));
    if (!btk_count__no_aslr(why, sizeof(why)))
        fprintf(stderr, "benchtrack: warning: %s\n", why);
    snprintf(spec, sizeof(spec), "%s=%d:%d:%d:%s", SPEC_ENV, fd, (int)m, cache_sim ? 1 : 0,
             inst->name);
    snprintf(dirvar, sizeof(dirvar), "%s=%s", DIR_ENV, dir);
    snprintf(outfile, sizeof(outfile), "--callgrind-out-file=%s/%s", dir, DUMP_NAME);
    snprintf(logfile, sizeof(logfile), "--log-file=%s/valgrind.log", dir);
    extra[0] = spec;
    extra[1] = dirvar;
    if (btk_count__build_env(&env, environ, extra, 2, exe) < 0)
        return BTK_ENOMEM;
    if (m == BTK_MEASURE_INSTRUCTIONS) {
        if (!find_in_path(vg, sizeof(vg), "valgrind")) {
            btk_count__free_env(env);
            return btk_error_set(BTK_ENOTFOUND, "cannot count instructions: no 'valgrind' "
                                                "in PATH");
        }
        argv[argc++] = vg;
        argv[argc++] = "--tool=callgrind";
        argv[argc++] = "--collect-atstart=no";
        argv[argc++] = "--dump-line=no";
        argv[argc++] = outfile;
        argv[argc++] = logfile;
        if (cache_sim) {
            argv[argc++] = "--cache-sim=yes";
            argv[argc++] = "--I1=" BTK_COUNT_I1;
            argv[argc++] = "--D1=" BTK_COUNT_D1;
            argv[argc++] = "--LL=" BTK_COUNT_LL;
        }
    }
    argv[argc++] = exe;
    argv[argc] = NULL;
    execve(argv[0], argv, env);
    btk_count__free_env(env);
    return btk_error_set(BTK_EIO, "cannot start '%s': %s", argv[0], strerror(errno));
}
