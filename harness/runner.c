/*
 * Process isolation for benchmarks. Each (instance, process) pair runs in a fresh child
 * made with fork(): the child pins itself, measures with the sampler and writes one
 * framed result (wire.h) to a pipe, then _exit()s. The parent reads the pipe under a
 * deadline with poll(), kills the child with SIGKILL when the deadline passes, and turns
 * a signal, an exit without a result, a timeout or a malformed frame into that
 * benchmark's failure. Each child leads its own process group, so a timeout kills what
 * the benchmark started too; where the system allows (runner_linux.c: PR_SET_PDEATHSIG) a
 * child also dies with its parent, so an interrupted run leaves no benchmark running
 * although the child is outside the terminal's foreground group. What differs between
 * systems is behind runner_int.h. Order: round p runs process p of every instance in turn
 * (A0 B0 C0 A1 B1 C1 ...), so slow drift in the machine spreads over all benchmarks
 * instead of biasing the ones that ran last.
 */
#include "runner.h"

#include "pin.h"
#include "probe.h"
#include "runner_int.h"
#include "wire.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FRAME_CAP (BTK_WIRE_MAX_SAMPLES * 40 + 65536) /* 4 arrays + per-call times */

const char *btk_runner_signal_name(int sig, char *buf, size_t len)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = {
        {SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},
        {SIGFPE, "SIGFPE"},   {SIGILL, "SIGILL"},   {SIGKILL, "SIGKILL"},
        {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},   {SIGPIPE, "SIGPIPE"},
        {SIGTRAP, "SIGTRAP"}, {SIGSYS, "SIGSYS"},   {SIGALRM, "SIGALRM"},
        {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGHUP, "SIGHUP"},
        {SIGQUIT, "SIGQUIT"}, {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"},
    };
    size_t i;

    for (i = 0; i < BTK_ARRAY_SIZE(names); i++)
        if (names[i].sig == sig)
            return names[i].name;
    snprintf(buf, len, "signal %d", sig);
    return buf;
}

double btk_runner_timeout_ms(const btk_instance *inst, const btk_runner_options *opts)
{
    if (inst->opts != NULL && inst->opts->timeout_ms > 0)
        return inst->opts->timeout_ms;
    return opts->run.timeout_ms > 0 ? opts->run.timeout_ms
                                    : BTK_RUNNER_DEFAULT_TIMEOUT_MS;
}

bool btk_runner_any_failed(const btk_bench_result *results, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (results[i].fail != BTK_FAIL_NONE)
            return true;
    return false;
}

static void fail(btk_bench_result *r, btk_fail_kind kind, int sig, int code,
                 const char *fmt, ...) BTK_PRINTF(5, 6);

static void fail(btk_bench_result *r, btk_fail_kind kind, int sig, int code,
                 const char *fmt, ...)
{
    va_list ap;

    r->fail = kind;
    r->fail_signal = sig;
    r->fail_exit_code = code;
    va_start(ap, fmt);
    vsnprintf(r->fail_message, sizeof(r->fail_message), fmt, ap);
    va_end(ap);
}

/* Measure inst in this process into r; on failure r is empty and the error is set. A
 * threaded instance's threads are spread over the allowed CPUs (read before this thread
 * is pinned to the first of them). */
static int measure(btk_proc_result *r, const btk_instance *inst, unsigned proc,
                   const btk_runner_options *opts)
{
    unsigned threads = btk_sampler__threads(inst);
    btk_run_options run = opts->run;
    int cpus[BTK_PIN_SPREAD_MAX], cpu, error;

    if (threads > 1) {
        run.thread_cpu_count = threads < BTK_PIN_SPREAD_MAX ? threads : BTK_PIN_SPREAD_MAX;
        if (btk_pin__spread(cpus, run.thread_cpu_count, opts->cpu) < 0) {
            btk_error_clear(); /* unpinned, as a refused btk_pin_to_cpu is */
            run.thread_cpu_count = 0;
        }
        run.thread_cpus = cpus;
    }
    cpu = btk_pin_to_cpu(run.thread_cpu_count > 0 ? cpus[0] : opts->cpu);
    memset(r, 0, sizeof(*r));
    if ((error = btk_sampler_run(r, inst, &run)) < 0) {
        btk_proc_result_clear(r);
        return error;
    }
    r->index = (int)proc;
    r->pid = (int)getpid();
    r->cpu = cpu >= 0 ? cpu : -1;
    return 0;
}

/* The child's whole life: measure (or, counting, become the counted process), send one
 * frame, leave without running atexit handlers or flushing the parent's inherited stdio
 * buffers twice (flushed before fork). */
/* The runner's results so far, which a child inherits and drops before it measures (set by
 * btk_runner_run). */
static btk_bench_result *inherited;
static size_t inherited_count;
static void free_results(btk_bench_result *res, size_t count);

static void child_main(int fd, const btk_instance *inst, unsigned proc,
                       const btk_runner_options *opts, const char *dir)
{
    btk_proc_result r;
    int error;

    /* The results of earlier processes are the parent's: without them, and with the freed
     * pages handed back, the child's peak RSS does not grow with the processes before it
     * (it grew by ~250 KB per round of a 42-benchmark suite: docs/timer.md). */
    free_results(inherited, inherited_count);
    inherited = NULL;
    inherited_count = 0;
    btk_runner__release_heap();
    memset(&r, 0, sizeof(r));
    if (opts->measure != BTK_MEASURE_TIME)
        error = btk_count__exec(fd, dir, inst, opts->measure, opts->cache_sim);
    else
        error = measure(&r, inst, proc, opts);
    error = btk_wire_send(fd, error, &r);
    btk_proc_result_clear(&r);
    _exit(error == 0 ? BTK_RUNNER_EXIT_OK : BTK_RUNNER_EXIT_NO_FRAME);
}

/* Read fd until EOF, or until a whole frame is in (a grandchild the benchmark started may
 * hold the pipe open long after the child reported), into data. Returns 0 then, 1 when
 * the deadline passed, BTK_EIO on a read error, BTK_ENOMEM when the child sent more than
 * any valid frame can hold. */
static int collect(int fd, btk_buf *data, double deadline)
{
    char chunk[65536];
    struct pollfd pfd = {fd, POLLIN, 0};
    ssize_t n;
    int ready, error;

    for (;;) {
        double left = deadline - btk__monotonic_ms();
        if (left <= 0)
            return 1;
        ready = poll(&pfd, 1, left > 1e6 ? 1000000 : (int)left + 1);
        if (ready < 0 && errno != EINTR)
            return btk_error_set(BTK_EIO, "cannot poll the benchmark's pipe: %s",
                                 strerror(errno));
        if (ready <= 0)
            continue;
        n = read(fd, chunk, sizeof(chunk));
        if (n == 0)
            return 0;
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            return btk_error_set(BTK_EIO, "cannot read the benchmark's pipe: %s",
                                 strerror(errno));
        if (n > 0 && (error = btk_buf_put(data, chunk, (size_t)n)) < 0)
            return error;
        if (btk_wire_frame_complete(data->ptr, data->len))
            return 0;
    }
}

/* In a new child: lead a process group of its own (the timeout kills the group), and die
 * with the parent where the system allows; leave at once if the parent is gone. */
static void child_detach(pid_t parent)
{
    setpgid(0, 0);
    if (!btk_runner__tie_to_parent(parent))
        _exit(BTK_RUNNER_EXIT_ORPHANED);
}

/* Wait for pid until the deadline; kill it with SIGKILL after. Returns true if killed.
 * The child normally exits microseconds after its frame, so the polling interval starts
 * at 20 us and doubles up to 10 ms. */
static bool reap(pid_t pid, int *status, double deadline)
{
    struct timespec nap = {0, 20000};
    pid_t got;

    for (;;) {
        got = waitpid(pid, status, WNOHANG);
        if (got == pid || (got < 0 && errno != EINTR))
            return false;
        if (btk__monotonic_ms() >= deadline)
            break;
        nanosleep(&nap, NULL);
        if (nap.tv_nsec < 10000000)
            nap.tv_nsec *= 2;
    }
    /* The child's whole process group: whatever the benchmark started goes too. */
    if (kill(-pid, SIGKILL) < 0)
        kill(pid, SIGKILL);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
    return true;
}

/* Turn what came down the pipe into a process result appended to r, or r's failure. */
static void accept_frame(btk_bench_result *r, const btk_buf *data, int code)
{
    btk_proc_result pr;
    btk_wire_kind kind = BTK_WIRE_ERROR;
    char msg[256] = "";

    if (btk_wire_decode(&kind, &pr, msg, sizeof(msg), data->ptr, data->len) < 0) {
        fail(r, BTK_FAIL_ERROR, 0, code, "%s", btk_error_last()->message);
        return;
    }
    if (kind == BTK_WIRE_ERROR) {
        fail(r, BTK_FAIL_ERROR, 0, code, "%s", msg);
        return;
    }
    if (code != 0) {
        btk_proc_result_clear(&pr);
        fail(r, BTK_FAIL_EXIT, 0, code, "exited with status %d after reporting", code);
        return;
    }
    r->procs[r->proc_count++] = pr;
}

static void judge(btk_bench_result *r, int status, bool killed, double timeout,
                  const btk_buf *data)
{
    char tmp[32];

    if (killed) {
        fail(r, BTK_FAIL_TIMEOUT, SIGKILL, 0,
             "timed out after %.0f ms (killed with SIGKILL)", timeout);
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        fail(r, BTK_FAIL_SIGNAL, sig, 0, "killed by signal %s",
             btk_runner_signal_name(sig, tmp, sizeof(tmp)));
    } else if (data->len == 0) {
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        fail(r, BTK_FAIL_EXIT, 0, code, "exited with status %d before reporting a result",
             code);
    } else {
        accept_frame(r, data, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
}

/* Run process proc of inst in a child and record its result or failure in r. */
static void run_child(btk_bench_result *r, const btk_instance *inst, unsigned proc,
                      const btk_runner_options *opts)
{
    btk_buf data = {NULL, 0, 0, FRAME_CAP};
    double timeout = btk_runner_timeout_ms(inst, opts), deadline;
    int fds[2], status = 0, got;
    char dir[4096] = "";
    bool killed;
    pid_t pid, parent;

    if (opts->measure != BTK_MEASURE_TIME && btk_count__make_dir(dir, sizeof(dir)) < 0) {
        fail(r, BTK_FAIL_ERROR, 0, 0, "%s", btk_error_last()->message);
        return;
    }
    if (btk_runner__pipe(fds) < 0) {
        fail(r, BTK_FAIL_ERROR, 0, 0, "cannot create a pipe: %s", strerror(errno));
        if (dir[0] != '\0')
            btk_count__remove_dir(dir);
        return;
    }
    fflush(NULL);
    parent = getpid();
    if ((pid = fork()) < 0) {
        fail(r, BTK_FAIL_ERROR, 0, 0, "cannot fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        if (dir[0] != '\0')
            btk_count__remove_dir(dir);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        child_detach(parent);
        child_main(fds[1], inst, proc, opts, dir);
    }
    setpgid(pid, pid); /* also here: the group exists whichever of the two runs first */
    close(fds[1]);
    deadline = btk__monotonic_ms() + timeout;
    got = collect(fds[0], &data, deadline);
    close(fds[0]);
    killed = reap(pid, &status, got == 0 ? deadline : btk__monotonic_ms()) || got == 1;
    if (got < 0)
        fail(r, BTK_FAIL_ERROR, 0, 0, "%s", btk_error_last()->message);
    else
        judge(r, status, killed, timeout, &data);
    btk_buf_free(&data);
    if (dir[0] != '\0')
        btk_count__remove_dir(dir);
}

static void run_inproc(btk_bench_result *r, const btk_instance *inst, unsigned proc,
                       const btk_runner_options *opts)
{
    btk_proc_result pr;

    if (measure(&pr, inst, proc, opts) < 0) {
        fail(r, BTK_FAIL_ERROR, 0, 0, "%s", btk_error_last()->message);
        return;
    }
    r->procs[r->proc_count++] = pr;
}

static int bench_init(btk_bench_result *r, const btk_instance *inst, unsigned processes)
{
    memset(r, 0, sizeof(*r));
    r->has_param = inst->has_param;
    r->param = inst->param;
    r->name = btk__strdup(inst->name);
    r->family = btk__strdup(inst->family ? inst->family : inst->name);
    r->procs = btk__calloc(processes, sizeof(*r->procs));
    if (r->name == NULL || r->family == NULL || r->procs == NULL) {
        btk_bench_result_clear(r);
        return BTK_ENOMEM;
    }
    return 0;
}

static void free_results(btk_bench_result *res, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        btk_bench_result_clear(&res[i]);
    btk__free(res);
}

int btk_runner_run(btk_bench_result **out, const btk_instance *insts, size_t count,
                   const btk_runner_options *opts, const btk_runner_events *ev,
                   void *payload)
{
    unsigned procs = opts->processes ? opts->processes : 1, p;
    btk_bench_result *res;
    size_t i;

    *out = NULL;
    if ((res = btk__calloc(count ? count : 1, sizeof(*res))) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < count; i++)
        if (bench_init(&res[i], &insts[i], procs) < 0) {
            free_results(res, i);
            return BTK_ENOMEM;
        }
    inherited = res;
    inherited_count = count;
    for (p = 0; p < procs; p++)
        for (i = 0; i < count; i++) {
            if (res[i].fail != BTK_FAIL_NONE)
                continue; /* a benchmark that failed once is not run again */
            if (ev && ev->proc_start)
                ev->proc_start(&insts[i], i, p, payload);
            if (opts->no_fork)
                run_inproc(&res[i], &insts[i], p, opts);
            else
                run_child(&res[i], &insts[i], p, opts);
            if (ev && ev->bench_done && (res[i].fail != BTK_FAIL_NONE || p + 1 == procs))
                ev->bench_done(&res[i], i, payload);
        }
    inherited = NULL;
    inherited_count = 0;
    *out = res;
    return 0;
}
