/*
 * gnuplot sessions: the process (posix_spawn with an argv, a pipe for the script, a
 * temporary file for its messages) and the writing of script pieces, which is where
 * untrusted text is escaped and data blocks are formatted. One process per session reads
 * every chart, so a report of hundreds of charts starts gnuplot once. gnuplot writes each
 * image under a name of ours in a private staging folder; when it has finished, the images
 * are copied to the names asked for (outfile.h), so no byte of a name is lost to
 * escaping and no link in an output folder is followed.
 */
#include "gnuplot.h"
#include "escape.h"
#include "outfile.h"

#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct btk_gnuplot {
    pid_t pid;    /* gnuplot, or 0 in a script-only session */
    int fd;       /* write end of gnuplot's stdin, or -1 */
    FILE *script; /* script-only sink, not owned */
    FILE *err;    /* gnuplot's stderr */
    struct sigaction old_pipe;
    btk_buf buf; /* the piece being written */
    int error;   /* first write error */
    char stage[4096];  /* the staging folder, "" until the first image */
    int stage_lock;    /* its locked lock file (a later sweep spares it while held), -1 */
    char **finals;     /* the name asked for, per staged image (image i is stage/i) */
    size_t final_count, final_cap;
    unsigned out_flags; /* BTK_OUTFILE_* for the copies */
};

int btk_gnuplot_find(btk_buf *path_out)
{
    const char *path = getenv("PATH"), *p, *end;
    size_t start = path_out->len;
    struct stat st;
    int error;

    for (p = path ? path : ""; *p; p = *end ? end + 1 : end) {
        end = strchr(p, ':');
        if (end == NULL)
            end = p + strlen(p);
        if (end == p)
            continue;
        if ((error = btk_buf_printf(path_out, "%.*s/gnuplot", (int)(end - p), p)) < 0)
            return error;
        if (stat(path_out->ptr + start, &st) == 0 && S_ISREG(st.st_mode) &&
            access(path_out->ptr + start, X_OK) == 0)
            return 0;
        path_out->len = start;
        path_out->ptr[start] = '\0';
    }
    return btk_error_set(BTK_EUNSUPPORTED,
                         "gnuplot not found in PATH: charts need it "
                         "(Debian/Ubuntu: apt-get install gnuplot-nox)");
}

static int session_new(btk_gnuplot **out)
{
    btk_gnuplot *gp = btk__calloc(1, sizeof(*gp));
    btk_buf init = BTK_BUF_INIT;

    if ((*out = gp) == NULL)
        return BTK_ENOMEM;
    gp->fd = -1;
    gp->stage_lock = -1;
    gp->buf = init;
    return 0;
}

int btk_gnuplot_open_script(btk_gnuplot **out, FILE *f)
{
    int error = session_new(out);

    if (error == 0)
        (*out)->script = f;
    return error;
}

/* Spawn gnuplot with stdin = pipe_r, stdout = /dev/null, stderr = err_fd. */
static int spawn_gnuplot(pid_t *pid, const char *exe, int pipe_r, int err_fd)
{
    char *argv[] = {"gnuplot", "--default-settings", NULL};
    posix_spawn_file_actions_t fa;
    char quoted[300];
    int rc;

    if (posix_spawn_file_actions_init(&fa) != 0)
        return btk_error_set(BTK_ENOMEM, "cannot prepare to start gnuplot");
    rc = posix_spawn_file_actions_adddup2(&fa, pipe_r, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
    if (rc == 0)
        rc = posix_spawn(pid, exe, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return btk_error_set(BTK_EIO, "cannot start gnuplot '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), exe), strerror(rc));
    return 0;
}

/* Make the pipe and the stderr file, then spawn; ignores SIGPIPE until close so a dead
 * gnuplot shows up as EPIPE on write. */
static int start_gnuplot(btk_gnuplot *gp, const char *exe)
{
    struct sigaction ign;
    int fds[2];
    int error;

    if ((gp->err = tmpfile()) == NULL)
        return btk_error_set(BTK_EIO,
                             "cannot create a temporary file for gnuplot's "
                             "messages: %s",
                             strerror(errno));
    if (pipe2(fds, O_CLOEXEC) != 0)
        return btk_error_set(BTK_EIO, "cannot create a pipe to gnuplot: %s",
                             strerror(errno));
    fcntl(fileno(gp->err), F_SETFD, FD_CLOEXEC);
    error = spawn_gnuplot(&gp->pid, exe, fds[0], fileno(gp->err));
    close(fds[0]);
    if (error < 0) {
        close(fds[1]);
        return error;
    }
    gp->fd = fds[1];
    memset(&ign, 0, sizeof(ign));
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &gp->old_pipe);
    return 0;
}

int btk_gnuplot_open(btk_gnuplot **out)
{
    btk_buf exe = BTK_BUF_INIT;
    int error;

    *out = NULL;
    if ((error = btk_gnuplot_find(&exe)) < 0 || (error = session_new(out)) < 0 ||
        (error = start_gnuplot(*out, exe.ptr)) < 0) {
        btk_gnuplot_close(*out);
        *out = NULL;
    }
    btk_buf_free(&exe);
    return error;
}

/* Send the piece in gp->buf to gnuplot (or the script file) and clear the buffer. */
static int session_flush(btk_gnuplot *gp)
{
    const char *p = gp->buf.ptr;
    size_t left = gp->buf.len;
    ssize_t n;

    if (gp->script && left && fwrite(p, 1, left, gp->script) != left)
        gp->error = btk_error_set(BTK_EIO, "cannot write the gnuplot script: %s",
                                  strerror(errno));
    while (gp->fd >= 0 && gp->error == 0 && left > 0) {
        n = write(gp->fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            gp->error =
                btk_error_set(BTK_EIO, "cannot write to gnuplot: %s", strerror(errno));
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    btk_buf_clear(&gp->buf);
    return gp->error;
}

/* The first error line gnuplot wrote ("line N: ..."), or its first line, or "". */
static void first_error(char *out, size_t len, FILE *err)
{
    char line[512], first[512] = "";
    char *hit;

    out[0] = '\0';
    rewind(err);
    while (fgets(line, sizeof(line), err)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (first[0] == '\0' && line[0])
            snprintf(first, sizeof(first), "%s", line);
        if ((hit = strstr(line, "line ")) && strchr(hit, ':')) {
            first[0] = '\0';
            snprintf(first, sizeof(first), "%s", hit);
            break;
        }
    }
    btk_error_quote(out, len, first);
}

/* Wait for gnuplot and turn a failure into an error (unless one is already recorded). */
static int wait_gnuplot(btk_gnuplot *gp)
{
    char why[300];
    int status = 0;

    while (waitpid(gp->pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (gp->error || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
        return gp->error;
    first_error(why, sizeof(why), gp->err);
    if (WIFSIGNALED(status))
        return btk_error_set(BTK_EIO, "gnuplot was killed by signal %d %s",
                             WTERMSIG(status), why);
    return btk_error_set(BTK_EIO, "gnuplot reported an error: %s", why);
}

/* Copy the staged images to their names (after gnuplot succeeded: error 0), then remove
 * the staging folder and forget the names. Returns the first error. */
static int deliver(btk_gnuplot *gp, int error)
{
    char staged[4200];
    size_t i;
    int fd;

    for (i = 0; i < gp->final_count; i++) {
        snprintf(staged, sizeof(staged), "%s/%zu", gp->stage, i);
        if (error == 0 && (fd = open(staged, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
            error = btk_outfile_copy(gp->finals[i], fd, gp->out_flags);
            close(fd);
        } /* no image: its piece was dropped, with the error returned then */
        unlink(staged);
        btk__free(gp->finals[i]);
    }
    if (gp->stage[0]) {
        snprintf(staged, sizeof(staged), "%s/lock", gp->stage);
        unlink(staged);
        rmdir(gp->stage);
    }
    if (gp->stage_lock >= 0)
        close(gp->stage_lock);
    gp->stage_lock = -1;
    btk__free(gp->finals);
    gp->finals = NULL;
    gp->final_count = gp->final_cap = 0;
    return error;
}

int btk_gnuplot_close(btk_gnuplot *gp)
{
    int error = 0;

    if (gp == NULL)
        return 0;
    error = gp->error;
    if (gp->fd >= 0)
        close(gp->fd);
    if (gp->pid > 0) {
        error = wait_gnuplot(gp);
        sigaction(SIGPIPE, &gp->old_pipe, NULL);
    }
    error = deliver(gp, error);
    if (gp->err)
        fclose(gp->err);
    btk_buf_free(&gp->buf);
    btk__free(gp);
    return error;
}

/* ---- script pieces ---- */

int btk_gnuplot_begin(btk_gnuplot *gp)
{
    if (gp->error)
        return gp->error;
    btk_buf_clear(&gp->buf);
    return 0;
}

int btk_gnuplot_send(btk_gnuplot *gp, int error)
{
    if (error < 0) {
        btk_buf_clear(&gp->buf);
        return error;
    }
    return session_flush(gp);
}

int btk_gnuplot_puts(btk_gnuplot *gp, const char *s)
{
    return btk_buf_puts(&gp->buf, s);
}

int btk_gnuplot_printf(btk_gnuplot *gp, const char *fmt, ...)
{
    va_list ap;
    int error;

    va_start(ap, fmt);
    error = btk_buf_vprintf(&gp->buf, fmt, ap);
    va_end(ap);
    return error;
}

int btk_gnuplot_text(btk_gnuplot *gp, const char *s, size_t max_chars)
{
    return btk_escape_gnuplot(&gp->buf, s, max_chars);
}

/* True when btk_escape_gnuplot keeps every byte of s: valid UTF-8 without control
 * characters or "'" (which it replaces), and no leading '~' (which gnuplot expands). */
static bool keeps_every_byte(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;

    if (*p == '\0' || *p == '~')
        return false;
    for (; *p; p += n)
        if ((n = btk_escape_utf8_len(p)) == 0 || *p < 0x20 || *p == 0x7f || *p == '\'')
            return false;
    return true;
}

/* Lock the staging folder as `benchtrack run` locks its temporary folder (compare/cli/
 * run_tmp.c): a file locked under another name, then renamed to "lock", so a sweep by a
 * later report or chart never finds it unlocked while this session lives; when the
 * process dies (Ctrl-C, SIGTERM, SIGKILL) the kernel releases the lock and the next
 * `report` or `chart` removes the folder. 0, or -1 with errno. */
static int lock_stage(btk_gnuplot *gp)
{
    char tmp[4200], final[4200];

    snprintf(tmp, sizeof(tmp), "%s/new-lock", gp->stage);
    snprintf(final, sizeof(final), "%s/lock", gp->stage);
    gp->stage_lock = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (gp->stage_lock < 0 || flock(gp->stage_lock, LOCK_EX) != 0 || rename(tmp, final)) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Create the staging folder: in $TMPDIR when gnuplot can be given its name intact, else
 * in /tmp. */
static int make_stage(btk_gnuplot *gp)
{
    const char *base = getenv("TMPDIR");
    int saved;

    if (base == NULL || !keeps_every_byte(base) || strlen(base) > 3000)
        base = "/tmp";
    snprintf(gp->stage, sizeof(gp->stage), "%s/benchtrack-charts-XXXXXX", base);
    if (mkdtemp(gp->stage) != NULL) {
        if (lock_stage(gp) == 0)
            return 0;
        saved = errno;
        if (gp->stage_lock >= 0)
            close(gp->stage_lock);
        gp->stage_lock = -1;
        rmdir(gp->stage);
        errno = saved;
    }
    gp->stage[0] = '\0';
    return btk_error_set(BTK_EIO, "cannot create a folder for the charts in '%s': %s", base,
                         strerror(errno));
}

void btk_gnuplot_set_output_flags(btk_gnuplot *gp, unsigned flags)
{
    gp->out_flags = flags;
}

int btk_gnuplot_path(btk_gnuplot *gp, const char *path)
{
    char quoted[300], staged[4200];
    char **grown;
    int error;

    btk_error_quote(quoted, sizeof(quoted), path);
    if (path[0] == '\0')
        return btk_error_set(BTK_EINVAL, "chart file name '' cannot be used");
    if (gp->script) /* the user's gnuplot reads this name: it must arrive intact */
        return keeps_every_byte(path)
                   ? btk_escape_gnuplot(&gp->buf, path, 0)
                   : btk_error_set(BTK_EINVAL, "chart file name '%s' cannot be written "
                                   "into a gnuplot script intact", quoted);
    if (gp->stage[0] == '\0' && (error = make_stage(gp)) < 0)
        return error;
    if (gp->final_count == gp->final_cap) {
        size_t cap = gp->final_cap ? gp->final_cap * 2 : 16;

        if ((grown = btk__realloc(gp->finals, cap * sizeof(*grown))) == NULL)
            return BTK_ENOMEM;
        gp->finals = grown;
        gp->final_cap = cap;
    }
    if ((gp->finals[gp->final_count] = btk__strdup(path)) == NULL)
        return BTK_ENOMEM;
    snprintf(staged, sizeof(staged), "%s/%zu", gp->stage, gp->final_count++);
    return btk_escape_gnuplot(&gp->buf, staged, 0);
}

int btk_gnuplot_block_begin(btk_gnuplot *gp, const char *name)
{
    return btk_buf_printf(&gp->buf, "$%s << EOD\n", name);
}

int btk_gnuplot_num(btk_gnuplot *gp, double v)
{
    return isfinite(v) ? btk_buf_printf(&gp->buf, " %.9g", v)
                       : btk_buf_puts(&gp->buf, " NaN");
}

int btk_gnuplot_block_end(btk_gnuplot *gp)
{
    return btk_buf_puts(&gp->buf, "EOD\n");
}
