/*
 * Runner backend for Linux: pipe2() makes both pipe ends close-on-exec in one call, and
 * PR_SET_PDEATHSIG kills a benchmark process with SIGKILL when the binary that started it
 * dies, so an interrupted run leaves no benchmark running. A new child hands the runner's
 * freed heap back with glibc's malloc_trim.
 */
#include "runner_int.h"

#include <fcntl.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

int btk_runner__pipe(int fds[2])
{
    return pipe2(fds, O_CLOEXEC);
}

bool btk_runner__tie_to_parent(pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* The parent may have died between fork() and prctl(); then no signal will come. */
    return getppid() == parent;
}

void btk_runner__release_heap(void)
{
#if defined(__GLIBC__)
    (void)malloc_trim(0); /* all arenas, free chunks in the middle too (glibc >= 2.8) */
#endif
}
