/*
 * The step protocol (docs/benchmark-binary.md, "--step-fd"): a controlling process, such
 * as `benchtrack ab`, starts the binary with one end of a socket pair as fd N and decides
 * when each benchmark process runs, so that two binaries' processes of one benchmark can
 * run next to each other in time. Lines, each ending in '\n':
 *   binary -> controller: "btk-step 1 COUNT", then COUNT lines "bench HEXNAME" (the
 *                         instances in run order, names hex-encoded), then "ready";
 *                         before each benchmark process "next INDEX"; at the end "done"
 *   controller -> binary: "go" (run the announced process)
 * When the controller goes away (end of file, an error or any other reply) the binary
 * stops before the next process and exits 3.
 */
#ifndef BTK_STEP_H
#define BTK_STEP_H

#include "registry.h"

#define BTK_STEP_VERSION 1

/* Check that fd is an open stream socket: BTK_EINVAL naming it otherwise. */
int btk_step_check(int fd);

/* Send the header, the instance names and "ready". BTK_EIO when the controller is gone. */
int btk_step_hello(int fd, const btk_instance *insts, size_t count);

/* Announce process of instance index and wait for "go". BTK_EIO when the controller is
 * gone or replied anything else. */
int btk_step_next(int fd, size_t index);

/* Send "done" (errors ignored: the run is over). */
void btk_step_done(int fd);

#endif
