/*
 * The step protocol's binary side (step.h). Writes go through send() with MSG_NOSIGNAL,
 * so a controller that has gone away is an error here, not a SIGPIPE.
 */
#include "step.h"

#include <sys/socket.h>

int btk_step_check(int fd)
{
    int type = 0;
    socklen_t len = sizeof(type);

    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM)
        return btk_error_set(BTK_EINVAL, "--step-fd %d is not an open stream socket", fd);
    return 0;
}

static int send_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return btk_error_set(BTK_EIO, "--step-fd: the controlling process went away");
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int btk_step_hello(int fd, const btk_instance *insts, size_t count)
{
    static const char hex[] = "0123456789abcdef";
    char line[2 * sizeof(insts->name) + 16];
    size_t i, k;
    int error;

    snprintf(line, sizeof(line), "btk-step %d %zu\n", BTK_STEP_VERSION, count);
    if ((error = send_all(fd, line, strlen(line))) < 0)
        return error;
    for (i = 0; i < count; i++) {
        char *p = line + snprintf(line, sizeof(line), "bench ");

        for (k = 0; insts[i].name[k] != '\0'; k++) {
            *p++ = hex[(unsigned char)insts[i].name[k] >> 4];
            *p++ = hex[(unsigned char)insts[i].name[k] & 15];
        }
        *p++ = '\n';
        if ((error = send_all(fd, line, (size_t)(p - line))) < 0)
            return error;
    }
    return send_all(fd, "ready\n", 6);
}

int btk_step_next(int fd, size_t index)
{
    char line[40], reply[4];
    size_t got = 0;
    int error;

    snprintf(line, sizeof(line), "next %zu\n", index);
    if ((error = send_all(fd, line, strlen(line))) < 0)
        return error;
    while (got < 3) { /* "go\n" */
        ssize_t n = recv(fd, reply + got, 3 - got, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return btk_error_set(BTK_EIO, "--step-fd: the controlling process went away");
        got += (size_t)n;
    }
    if (memcmp(reply, "go\n", 3) != 0)
        return btk_error_set(BTK_EIO, "--step-fd: unexpected reply from the controlling "
                                      "process");
    return 0;
}

void btk_step_done(int fd)
{
    (void)send_all(fd, "done\n", 5);
    btk_error_clear();
}
