/*
 * The seam between runner.c (fork, pipe, deadline, judging) and its operating-system
 * backend (runner_linux.c or runner_posix.c, chosen by CMake's BTK_OS): the two things
 * about a benchmark's child process that POSIX leaves to each system.
 */
#ifndef BTK_RUNNER_INT_H
#define BTK_RUNNER_INT_H

#include "runner.h"

#include <sys/types.h>

/* Create a pipe whose two ends are closed on exec, so a program the benchmark runs does
 * not inherit them. Returns 0, or -1 with errno set (nothing left open). */
int btk_runner__pipe(int fds[2]);

/* Called in a new child right after fork(), with the parent's pid from before fork():
 * make the child die with its parent where the system can. Returns false when the parent
 * has already gone; the child then exits with BTK_RUNNER_EXIT_ORPHANED unmeasured. */
bool btk_runner__tie_to_parent(pid_t parent);

/* In a new child that has freed what it inherited from the runner (the results of earlier
 * processes): hand the heap's free pages back to the system, so the child's resident
 * memory, and so its peak RSS, is its own and not the runner's history (glibc's
 * malloc_trim; nothing where the C library has no such call). */
void btk_runner__release_heap(void);

#endif
