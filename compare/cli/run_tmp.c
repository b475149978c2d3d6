/*
 * The temporary directory of `benchtrack run` (run_tmp.h): created with its lock held,
 * removed on every exit path that the run survives, and swept by a later run when the run
 * that made it was killed.
 */
#include "run_tmp.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOCK_NAME "lock"
#define STALE_UNLOCKED_S 60 /* a directory without its lock file is stale after this */

static const char *tmp_base(void)
{
    const char *t = getenv("TMPDIR");

    return t && *t ? t : "/tmp";
}

/* Remove every entry of the directory dfd (a flat directory: the run writes no folders). */
static void empty_dir(int dfd)
{
    int fd = dup(dfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;

    if (d == NULL) {
        if (fd >= 0)
            close(fd);
        return;
    }
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlinkat(dfd, e->d_name, 0);
    closedir(d);
}

/* The run directory dfd is stale: ours, not a symlink, and its lock is free (or it
 * has none and is old). On true, *lock_fd holds the taken lock (or -1). */
static bool is_stale(int dfd, int *lock_fd)
{
    struct stat st;

    *lock_fd = -1;
    if (fstat(dfd, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
        return false;
    *lock_fd = openat(dfd, LOCK_NAME, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (*lock_fd < 0)
        return errno == ENOENT && time(NULL) - st.st_mtime > STALE_UNLOCKED_S;
    if (flock(*lock_fd, LOCK_EX | LOCK_NB) == 0)
        return true;
    close(*lock_fd);
    *lock_fd = -1;
    return false;
}

/* Sweep the stale directories named prefix* in the folder dir. */
static int sweep_in(const char *dir, const char *prefix)
{
    int base = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), removed = 0;
    DIR *d = base >= 0 ? fdopendir(dup(base)) : NULL;
    struct dirent *e;

    while (d && (e = readdir(d)) != NULL) {
        int dfd, lock_fd;

        if (strncmp(e->d_name, prefix, strlen(prefix)))
            continue;
        dfd = openat(base, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
            continue;
        if (is_stale(dfd, &lock_fd)) {
            empty_dir(dfd);
            removed += unlinkat(base, e->d_name, AT_REMOVEDIR) == 0;
        }
        if (lock_fd >= 0)
            close(lock_fd);
        close(dfd);
    }
    if (d)
        closedir(d);
    if (base >= 0)
        close(base);
    return removed;
}

int cli_run_tmp_sweep(void)
{
    return sweep_in(tmp_base(), CLI_RUN_TMP_PREFIX);
}

int cli_tmp_sweep(const char *prefix)
{
    int removed = sweep_in(tmp_base(), prefix);

    return removed + (strcmp(tmp_base(), "/tmp") ? sweep_in("/tmp", prefix) : 0);
}

/* Take the lock before its name appears: lock a file under another name, then rename it
 * to LOCK_NAME, so a sweep never finds the lock file unlocked while this run lives. */
static int take_lock(cli_run_tmp *t)
{
    char tmp[4200], final[4200];

    snprintf(tmp, sizeof(tmp), "%s/new-lock", t->dir);
    snprintf(final, sizeof(final), "%s/" LOCK_NAME, t->dir);
    t->lock_fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (t->lock_fd < 0 || flock(t->lock_fd, LOCK_EX) != 0 || rename(tmp, final) != 0)
        return -1;
    return 0;
}

int cli_run_tmp_create(cli_run_tmp *t)
{
    char quoted[300];
    int saved;

    t->lock_fd = -1;
    t->json[0] = '\0';
    if ((size_t)snprintf(t->dir, sizeof(t->dir), "%s/" CLI_RUN_TMP_PREFIX "XXXXXX",
                         tmp_base()) >= sizeof(t->dir) - 64)
        errno = ENAMETOOLONG;
    else if (mkdtemp(t->dir) != NULL && take_lock(t) == 0) {
        snprintf(t->json, sizeof(t->json), "%s/results.json", t->dir);
        return 0;
    } else if (t->lock_fd >= 0 || errno != EEXIST) {
        saved = errno;
        cli_run_tmp_remove(t);
        errno = saved;
    }
    saved = errno;
    t->dir[0] = '\0';
    return btk_error_set(BTK_EIO, "cannot create a temporary directory in '%s': %s",
                         btk_error_quote(quoted, sizeof(quoted), tmp_base()),
                         strerror(saved));
}

int cli_run_tmp_keep(char *kept_out, size_t len, cli_run_tmp *t)
{
    char quoted[300];
    int fd;

    if ((size_t)snprintf(kept_out, len, "%s/benchtrack-results-XXXXXX.json", tmp_base()) >=
        len)
        return btk_error_set(BTK_EIO, "the temporary folder's name is too long");
    if ((fd = mkstemps(kept_out, 5)) < 0 || (close(fd), rename(t->json, kept_out)) != 0) {
        int saved = errno;

        if (fd >= 0)
            unlink(kept_out);
        return btk_error_set(BTK_EIO, "cannot keep the results in '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), tmp_base()),
                             strerror(saved));
    }
    return 0;
}

void cli_run_tmp_remove(cli_run_tmp *t)
{
    int dfd;

    if (t->dir[0]) {
        dfd = open(t->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd >= 0) {
            empty_dir(dfd);
            close(dfd);
        }
        rmdir(t->dir);
        t->dir[0] = '\0';
    }
    if (t->lock_fd >= 0)
        close(t->lock_fd);
    t->lock_fd = -1;
}
