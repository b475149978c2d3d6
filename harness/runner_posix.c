/*
 * Runner backend for systems other than Linux: pipe() and then FD_CLOEXEC on each end
 * (the runner's process starts no threads that could fork and exec in between), and no
 * parent-death signal: a benchmark process whose binary is interrupted runs until it has
 * measured and then finds the pipe closed.
 */
#include "runner_int.h"

#include <fcntl.h>
#include <unistd.h>

int btk_runner__pipe(int fds[2])
{
    int i, saved;

    if (pipe(fds) < 0)
        return -1;
    for (i = 0; i < 2; i++)
        if (fcntl(fds[i], F_SETFD, FD_CLOEXEC) < 0) {
            saved = errno;
            close(fds[0]);
            close(fds[1]);
            errno = saved;
            return -1;
        }
    return 0;
}

bool btk_runner__tie_to_parent(pid_t parent)
{
    (void)
        parent; /* the check closes the gap before PR_SET_PDEATHSIG, which is not here */
    return true;
}

void btk_runner__release_heap(void)
{
}
