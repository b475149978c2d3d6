/* Temporary directories, file reading and child-process capture for tests. */
#include "check.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *test_tmpdir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    size_t len;
    char *path;

    if (base == NULL || *base == '\0')
        base = "/tmp";
    len = strlen(base) + strlen(tag) + 32;
    path = malloc(len);
    assert_non_null(path);
    snprintf(path, len, "%s/btk-%s-XXXXXX", base, tag);
    assert_non_null(mkdtemp(path));
    return path;
}

void test_rmtree(char *path)
{
    char *const argv[] = {"rm", "-rf", path, NULL};
    pid_t pid;
    int status;

    if (path == NULL)
        return;
    if ((pid = fork()) == 0) {
        execvp("rm", argv);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    free(path);
}

char *test_read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t len = 0, cap = 0, n;

    if (f == NULL)
        return NULL;
    do {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 8192;
            data = realloc(data, cap + 1);
            assert_non_null(data);
        }
        n = fread(data + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    data[len] = '\0';
    if (len_out)
        *len_out = len;
    return data;
}

int test_run(char *const argv[], char **output)
{
    char path[] = "/tmp/btk-run-XXXXXX";
    int fd = mkstemp(path), status;
    pid_t pid;

    assert_true(fd >= 0);
    if ((pid = fork()) == 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fd);
    assert_true(waitpid(pid, &status, 0) == pid);
    if (output)
        *output = test_read_file(path, NULL);
    unlink(path);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
