/*
 * Output files written only where asked (outfile.h): a small table of protected files
 * (the database), an atomic replace for names inside a report directory, and a checked
 * open for names the user gave.
 */
#include "outfile.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROTECTED 16

/* A protected file: its name and the file it named when protected. A file counts as
 * protected only while its name still names it: SQLite deletes its -journal, and the
 * freed inode number may come back as an unrelated new file (an output), which must not
 * then be refused. */
static struct {
    char name[4200];
    dev_t dev;
    ino_t ino;
} protected_files[MAX_PROTECTED];
static size_t protected_count;

static void protect_one(const char *path)
{
    struct stat st;
    size_t i;

    if (stat(path, &st) != 0 || protected_count == MAX_PROTECTED ||
        strlen(path) >= sizeof(protected_files[0].name))
        return;
    for (i = 0; i < protected_count; i++)
        if (protected_files[i].dev == st.st_dev && protected_files[i].ino == st.st_ino)
            return;
    snprintf(protected_files[protected_count].name, sizeof(protected_files[0].name), "%s",
             path);
    protected_files[protected_count].dev = st.st_dev;
    protected_files[protected_count].ino = st.st_ino;
    protected_count++;
}

void btk_outfile_protect(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal", "-lock"};
    char name[4200];
    size_t i;

    for (i = 0; path && i < BTK_ARRAY_SIZE(suffixes); i++)
        if ((size_t)snprintf(name, sizeof(name), "%s%s", path, suffixes[i]) < sizeof(name))
            protect_one(name);
}

void btk_outfile__unprotect_all(void)
{
    protected_count = 0;
}

static bool is_protected(const struct stat *st)
{
    struct stat now;
    size_t i;

    for (i = 0; i < protected_count; i++)
        if (protected_files[i].dev == st->st_dev && protected_files[i].ino == st->st_ino &&
            stat(protected_files[i].name, &now) == 0 && now.st_dev == st->st_dev &&
            now.st_ino == st->st_ino)
            return true;
    return false;
}

/* BTK_EINVAL when st (what path names) must not be written over. */
static int check_target(const char *path, const struct stat *st)
{
    char quoted[300];

    btk_error_quote(quoted, sizeof(quoted), path);
    if (is_protected(st))
        return btk_error_set(BTK_EINVAL, "refusing to overwrite the results database with "
                             "output '%s'", quoted);
    if (S_ISDIR(st->st_mode))
        return btk_error_set(BTK_EINVAL, "cannot write '%s': it is a directory", quoted);
    return 0;
}

static int io_error(const char *path, int err)
{
    char quoted[300];

    return btk_error_set(BTK_EIO, "cannot write '%s': %s",
                         btk_error_quote(quoted, sizeof(quoted), path), strerror(err));
}

/* Write all of data to fd; 0 or errno. */
static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    ssize_t n;

    while (len > 0) {
        if ((n = write(fd, p, len)) < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The mode open(path, O_CREAT, 0666) would give: 0666 without the umask's bits. */
static mode_t file_mode(void)
{
    mode_t mask = umask(0);

    umask(mask);
    return 0666 & ~mask;
}

/* A new file "<dir>/.<base>.XXXXXX" beside path, created exclusively (no link followed). */
static int open_beside(char *tmp, size_t size, const char *path)
{
    const char *slash = strrchr(path, '/');
    int n = slash ? (int)(slash - path + 1) : 0;

    if ((size_t)snprintf(tmp, size, "%.*s.%s.XXXXXX", n, path, path + n) >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return mkostemp(tmp, O_CLOEXEC);
}

/* The temporary file of the replace in progress, for btk_outfile_signal_cleanup: its name
 * is complete before pending is set, and pending is cleared before the name changes. */
static char pending_tmp[4200];
static volatile sig_atomic_t pending;

void btk_outfile_signal_cleanup(void)
{
    if (pending)
        unlink(pending_tmp);
}

static int write_replace(const char *path, const void *data, size_t len)
{
    struct stat st;
    int fd, err, error = 0;

    if (lstat(path, &st) == 0 && (S_ISLNK(st.st_mode) ? stat(path, &st) == 0 : true) &&
        (error = check_target(path, &st)) < 0)
        return error;
    if ((fd = open_beside(pending_tmp, sizeof(pending_tmp), path)) < 0)
        return io_error(path, errno);
    pending = 1;
    err = fchmod(fd, file_mode()) != 0 ? errno : write_all(fd, data, len);
    if (close(fd) != 0 && err == 0)
        err = errno;
    if (err == 0 && rename(pending_tmp, path) != 0)
        err = errno;
    if (err != 0)
        unlink(pending_tmp);
    pending = 0;
    return err != 0 ? io_error(path, err) : 0;
}

/* Whether name is ".<target>.XXXXXX" with <target> a file of dfd or a report file. */
static bool is_leftover(int dfd, const char *name)
{
    size_t n = strlen(name);
    char target[4200];
    struct stat st;

    if (n < 9 || name[0] != '.' || name[n - 7] != '.' || n - 8 >= sizeof(target))
        return false;
    for (size_t i = n - 6; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
              (name[i] >= '0' && name[i] <= '9')))
            return false;
    memcpy(target, name + 1, n - 8);
    target[n - 8] = '\0';
    n -= 8;
    return fstatat(dfd, target, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
           (n > 5 && !strcmp(target + n - 5, ".html")) ||
           (n > 4 && (!strcmp(target + n - 4, ".svg") || !strcmp(target + n - 4, ".png")));
}

int btk_outfile_sweep(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), removed = 0;
    DIR *d = dfd >= 0 ? fdopendir(dup(dfd)) : NULL;
    struct dirent *e;
    struct stat st;

    while (d && (e = readdir(d)) != NULL)
        if (is_leftover(dfd, e->d_name) &&
            fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
            time(NULL) - st.st_mtime > 60)
            removed += unlinkat(dfd, e->d_name, 0) == 0;
    if (d)
        closedir(d);
    if (dfd >= 0)
        close(dfd);
    return removed;
}

static int write_in_place(const char *path, const void *data, size_t len)
{
    struct stat st;
    int fd, err, error = 0;

    if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666)) < 0) {
        if (errno == EISDIR && stat(path, &st) == 0)
            return check_target(path, &st);
        return io_error(path, errno);
    }
    if (fstat(fd, &st) != 0 || (error = check_target(path, &st)) < 0) {
        err = errno;
        close(fd);
        return error < 0 ? error : io_error(path, err);
    }
    err = S_ISREG(st.st_mode) && ftruncate(fd, 0) != 0 ? errno : 0;
    if (err == 0)
        err = write_all(fd, data, len);
    if (close(fd) != 0 && err == 0)
        err = errno;
    return err ? io_error(path, err) : 0;
}

int btk_outfile_write(const char *path, const void *data, size_t len, unsigned flags)
{
    if (flags & BTK_OUTFILE_REPLACE)
        return write_replace(path, data, len);
    return write_in_place(path, data, len);
}

int btk_outfile_copy(const char *path, int src_fd, unsigned flags)
{
    btk_buf text = BTK_BUF_INIT;
    char chunk[65536], quoted[300];
    ssize_t n;
    int error = 0;

    text.max = (size_t)1 << 30;
    while (error == 0 && (n = read(src_fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            error = btk_error_set(BTK_EIO, "cannot read the image for '%s': %s",
                                  btk_error_quote(quoted, sizeof(quoted), path),
                                  strerror(errno));
        else
            error = btk_buf_put(&text, chunk, (size_t)n);
    }
    if (error == 0)
        error = btk_outfile_write(path, text.len ? text.ptr : "", text.len, flags);
    btk_buf_free(&text);
    return error;
}

int btk_outfile_mkdir(const char *path, bool follow)
{
    char quoted[300];
    struct stat st;

    if (mkdir(path, 0777) == 0)
        return 0;
    if (errno == EEXIST && (follow ? stat(path, &st) : lstat(path, &st)) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        if (S_ISLNK(st.st_mode))
            return btk_error_set(BTK_EINVAL, "'%s' is a symbolic link: not writing through "
                                 "it (remove it, or choose another output directory)",
                                 btk_error_quote(quoted, sizeof(quoted), path));
        errno = ENOTDIR;
    }
    return btk_error_set(BTK_EIO, "cannot create directory '%s': %s",
                         btk_error_quote(quoted, sizeof(quoted), path), strerror(errno));
}
