/*
 * memtrack backend for Linux. Allocation counting happens in a separate counting process
 * so that the timed samples never pass through an interposer: the counting allocator,
 * libbenchtrack_memtrack.so (harness/preload/interpose.c), is embedded in this file at
 * build time; btk_memtrack__count_elsewhere copies it into a memfd, then forks and execs
 * this program's own file (/proc/self/exe) with LD_PRELOAD naming the memfd and
 * BTK__MEMTRACK_COUNT naming the instance, the batch and a pipe. In that process this
 * file's constructor finds the preloaded allocator, takes its switch and registers the
 * counting entry, which runs instead of main once every constructor (and so every
 * BTK_BENCH registration) has run: it counts one body call and writes the counts to the
 * pipe. A process started with the allocator preloaded by other means (a test's
 * LD_PRELOAD) counts in-process. Built with a sanitizer, or against a libc without
 * __libc_*, nothing is embedded and counting reports itself unavailable. The peak RSS is
 * the kernel's high-water mark: reset through /proc/self/clear_refs, read as VmHWM from
 * /proc/self/status.
 */
#include "memtrack_int.h"

#include "sampler.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(BTK_MEMTRACK_SANITIZED)
#define BTK_NO_INTERPOSE "built with a sanitizer that owns malloc"
#elif !defined(__GLIBC__)
#define BTK_NO_INTERPOSE "not built against glibc (no __libc_malloc)"
#elif !defined(BTK_MEMTRACK_PRELOAD_SO)
#define BTK_NO_INTERPOSE "built without the counting allocator (libbenchtrack_memtrack.so)"
#endif

/* The counting process's request: "<pipe fd>:<batch>:<instance name>". */
#define COUNT_ENV "BTK__MEMTRACK_COUNT"
#define PRELOAD_ENV "LD_PRELOAD"
#define PRELOAD_VERSION 1 /* btk_memtrack_hooks.version of harness/preload/interpose.c */
/* Exit statuses of the counting process: counted and reported, or could not. */
#define COUNTING_EXIT_OK 0
#define COUNTING_EXIT_FAILED 70
#define COUNTING_EXIT_EXEC 71 /* execve failed */

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define BTK_HAVE_VALGRIND_H 1
#endif
#endif

/* ---- availability ---- */

#if !defined(BTK_NO_INTERPOSE)
extern void __asan_init(void) __attribute__((weak));
extern void __tsan_init(void) __attribute__((weak));
#endif

const char *btk_memtrack__why_unavailable(void)
{
#if defined(BTK_NO_INTERPOSE)
    return BTK_NO_INTERPOSE;
#else
    if (__asan_init != NULL)
        return "running with AddressSanitizer, which owns malloc";
    if (__tsan_init != NULL)
        return "running with ThreadSanitizer, which owns malloc";
    if (btk_memtrack__get_hooks() == NULL && getauxval(AT_BASE) == 0)
        return "statically linked: the counting allocator cannot be preloaded";
#if defined(BTK_HAVE_VALGRIND_H)
    if (RUNNING_ON_VALGRIND)
        return "running under valgrind, which replaces malloc";
#endif
    return NULL;
#endif
}

/* ---- process figures ---- */

bool btk_memtrack__reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    bool ok;

    if (f == NULL)
        return false;
    ok = fputs("5", f) >= 0;
    ok = (fclose(f) == 0) && ok;
    return ok;
}

/* VmHWM in bytes from /proc/self/status, or -1. */
static int64_t read_vmhwm(void)
{
    char line[256];
    long long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "VmHWM:", 6) == 0) {
            char *end;

            kb = strtoll(line + 6, &end, 10);
            if (end == line + 6)
                kb = -1;
            break;
        }
    }
    fclose(f);
    return kb < 0 ? -1 : (int64_t)kb * 1024;
}

int64_t btk_memtrack__peak_rss(const struct rusage *ru)
{
    int64_t hwm = read_vmhwm();

    return hwm >= 0 ? hwm : (int64_t)ru->ru_maxrss * 1024; /* ru_maxrss is in KiB */
}

/* ---- the counting process ---- */
#if !defined(BTK_NO_INTERPOSE)

/* libbenchtrack_memtrack.so, embedded (its path comes from CMake). */
__asm__(".pushsection .rodata.btk_memtrack_so,\"a\"\n"
        ".balign 16\n"
        ".globl btk_memtrack__so_begin\n"
        ".hidden btk_memtrack__so_begin\n"
        "btk_memtrack__so_begin:\n"
        ".incbin \"" BTK_MEMTRACK_PRELOAD_SO "\"\n"
        ".globl btk_memtrack__so_end\n"
        ".hidden btk_memtrack__so_end\n"
        "btk_memtrack__so_end:\n"
        ".popsection\n");
extern const unsigned char btk_memtrack__so_begin[] __attribute__((visibility("hidden")));
extern const unsigned char btk_memtrack__so_end[] __attribute__((visibility("hidden")));

typedef const btk_memtrack_hooks *(*attach_fn)(int (*entry)(void));

/* The counting process's main: count one body call of the requested instance, write
 * "allocs frees bytes iterations\n" (or "error <message>\n") to the pipe. */
static int counting_entry(void)
{
    const char *req = getenv(COUNT_ENV);
    btk_memtrack_counts m;
    uint64_t batch, iters = 0;
    char *end, line[320];
    long fd;
    int len, error = BTK_EINVAL;

    fd = req ? strtol(req, &end, 10) : -1;
    if (fd < 0 || *end != ':')
        return COUNTING_EXIT_FAILED;
    batch = strtoull(end + 1, &end, 10);
    if (*end == ':')
        error = btk_sampler__count_named(&m, &iters, end + 1, batch);
    if (error == 0)
        len = snprintf(line, sizeof(line), "%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
                       m.allocs, m.frees, m.bytes, iters);
    else
        len = snprintf(line, sizeof(line), "error %s\n", btk_error_last()->message);
    if (len > 0 && write((int)fd, line, strlen(line)) < 0)
        error = BTK_EIO;
    close((int)fd);
    return error == 0 ? COUNTING_EXIT_OK : COUNTING_EXIT_FAILED;
}

/* At start-up: when the counting allocator was preloaded, take its switch, and in a
 * counting process register the entry that runs instead of main. */
__attribute__((constructor)) static void attach(void)
{
    void *sym = dlsym(RTLD_DEFAULT, "btk_memtrack_preload_attach");
    const btk_memtrack_hooks *h;
    attach_fn f;

    if (sym == NULL)
        return;
    memcpy(&f, &sym, sizeof(f));
    h = f(getenv(COUNT_ENV) != NULL ? counting_entry : NULL);
    if (h != NULL && h->version == PRELOAD_VERSION)
        btk_memtrack__set_hooks(h);
}

/* A copy of environ without LD_PRELOAD and COUNT_ENV, plus the two set for the counting
 * process; NULL-terminated, free with free_env. */
static char **counting_env(int so_fd, int pipe_fd, const char *name, uint64_t batch)
{
    extern char **environ;
    const char *old = getenv(PRELOAD_ENV);
    size_t n = 0, k = 0, i;
    char **env;
    btk_buf pre = BTK_BUF_INIT, req = BTK_BUF_INIT;

    while (environ[n] != NULL)
        n++;
    if ((env = btk__calloc(n + 3, sizeof(*env))) == NULL)
        return NULL;
    for (i = 0; i < n; i++)
        if (strncmp(environ[i], PRELOAD_ENV "=", sizeof(PRELOAD_ENV)) != 0 &&
            strncmp(environ[i], COUNT_ENV "=", sizeof(COUNT_ENV)) != 0)
            env[k++] = environ[i];
    if (btk_buf_printf(&pre, PRELOAD_ENV "=/proc/self/fd/%d%s%s", so_fd,
                       old && *old ? ":" : "", old ? old : "") < 0 ||
        btk_buf_printf(&req, COUNT_ENV "=%d:%" PRIu64 ":%s", pipe_fd, batch, name) < 0) {
        btk_buf_free(&pre);
        btk_buf_free(&req);
        btk__free(env);
        return NULL;
    }
    env[k++] = btk_buf_detach(&pre);
    env[k] = btk_buf_detach(&req);
    return env;
}

static void free_env(char **env)
{
    size_t n = 0;

    while (env[n] != NULL)
        n++;
    btk__free(env[n - 2]);
    btk__free(env[n - 1]);
    btk__free(env);
}

/* A memfd holding the counting allocator, inherited across exec; or -1 (error set). */
static int allocator_fd(void)
{
    size_t len = (size_t)(btk_memtrack__so_end - btk_memtrack__so_begin), done = 0;
    int fd = memfd_create("benchtrack-memtrack", 0);
    ssize_t n;

    if (fd < 0)
        return btk_error_set(BTK_EIO, "cannot create the counting allocator's file: %s",
                             strerror(errno)), -1;
    while (done < len) {
        if ((n = write(fd, btk_memtrack__so_begin + done, len - done)) <= 0) {
            close(fd);
            return btk_error_set(BTK_EIO, "cannot write the counting allocator: %s",
                                 strerror(errno)), -1;
        }
        done += (size_t)n;
    }
    return fd;
}

/* In the forked child: the pipe's write end survives exec, stdout goes to /dev/null (the
 * parent's stdout may carry JSON), then exec this program. Never returns. */
static void exec_counting(int pipe_fd, char **env)
{
    char *argv[] = {(char *)"benchtrack-memtrack", NULL};
    int null = open("/dev/null", O_WRONLY);

    fcntl(pipe_fd, F_SETFD, 0);
    if (null >= 0)
        dup2(null, STDOUT_FILENO);
    execve("/proc/self/exe", argv, env);
    _exit(COUNTING_EXIT_EXEC);
}

/* Read the counting process's one line from fd into line (NUL-terminated): up to its
 * newline, not EOF, since a process the benchmark started may hold the pipe open. */
static void read_line(int fd, char *line, size_t cap)
{
    size_t len = 0;
    ssize_t n;

    while (len + 1 < cap && memchr(line, '\n', len) == NULL &&
           (n = read(fd, line + len, cap - 1 - len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        len += (size_t)n;
    }
    line[len] = '\0';
}

/* Parse the counting process's answer. */
static int parse_answer(btk_memtrack_counts *out, uint64_t *iters, const char *line,
                        int status)
{
    unsigned long long a, f, b, it;

    if (strncmp(line, "error ", 6) == 0)
        return btk_error_set(BTK_ERROR, "counting process: %.*s", (int)strcspn(line + 6, "\n"),
                             line + 6);
    if (sscanf(line, "%llu %llu %llu %llu", &a, &f, &b, &it) != 4 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != COUNTING_EXIT_OK)
        return btk_error_set(BTK_ERROR, "the counting process reported nothing (status %d)",
                             status);
    out->allocs = a, out->frees = f, out->bytes = b, *iters = it;
    return 0;
}

int btk_memtrack__count_elsewhere(btk_memtrack_counts *out, uint64_t *iterations_out,
                                  const char *name, uint64_t batch)
{
    int so_fd, fds[2], status = 0;
    char **env = NULL, line[320];
    pid_t pid;

    if (!btk_memtrack_available(NULL))
        return btk_error_set(BTK_EUNSUPPORTED, "allocation counting is unavailable");
    if ((so_fd = allocator_fd()) < 0)
        return BTK_EIO;
    if (pipe2(fds, O_CLOEXEC) < 0) {
        close(so_fd);
        return btk_error_set(BTK_EIO, "cannot create a pipe: %s", strerror(errno));
    }
    if ((env = counting_env(so_fd, fds[1], name, batch)) == NULL || (pid = fork()) < 0) {
        close(so_fd), close(fds[0]), close(fds[1]);
        if (env != NULL)
            free_env(env);
        return env == NULL ? BTK_ENOMEM
                           : btk_error_set(BTK_EIO, "cannot fork: %s", strerror(errno));
    }
    fflush(stderr);
    if (pid == 0)
        exec_counting(fds[1], env);
    close(so_fd);
    close(fds[1]);
    free_env(env);
    read_line(fds[0], line, sizeof(line));
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return parse_answer(out, iterations_out, line, status);
}

#else

int btk_memtrack__count_elsewhere(btk_memtrack_counts *out, uint64_t *iterations_out,
                                  const char *name, uint64_t batch)
{
    BTK_UNUSED(out);
    BTK_UNUSED(iterations_out);
    BTK_UNUSED(name);
    BTK_UNUSED(batch);
    return btk_error_set(BTK_EUNSUPPORTED, "%s", BTK_NO_INTERPOSE);
}

#endif
