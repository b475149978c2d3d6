/*
 * The seam between timer.c (calibration, shared logic) and its one platform backend
 * (timer_x86_64.c, timer_aarch64.c or timer_posix.c, chosen by CMake's BTK_ARCH).
 */
#ifndef BTK_TIMER_INT_H
#define BTK_TIMER_INT_H

#include "timer.h"

/* Probe the clock: set info->source, ->invariant, and ->hz / ->hz_source when the hardware
 * states its frequency (left 0 / NULL when it must be calibrated). Never fails: a backend
 * whose counter is unusable switches itself to the CLOCK_MONOTONIC_RAW fallback. */
void btk_timer__arch_probe(btk_timer_info *info);

/* The backend also defines btk_timer_start() and btk_timer_stop() (timer.h) directly, so a
 * region read is one call. */

/* Run rounds (>= 1) rounds of 8 dependent integer additions, one cycle of latency each on
 * every x86-64 and AArch64 core (the reference chain of btk_timer_core_ghz); returns the
 * sum so the chain is kept. timer_posix.c returns 0 without running anything when the
 * compiler cannot pin the chain to a register (then the core clock is unknown). */
uint64_t btk_timer__add_chain(uint64_t rounds);

/* Run iterations (>= 1) turns of a loop whose body is its counter's decrement and taken
 * branch (one fused instruction on x86-64): about one cycle a turn on a core to itself, about
 * two when an SMT sibling is busy (the reference loop of btk_timer_branch_ratio). Returns
 * iterations, or 0 without running anything where there is no such loop (timer_posix.c). */
uint64_t btk_timer__branch_loop(uint64_t iterations);

/* CLOCK_MONOTONIC_RAW in nanoseconds: the reference clock and the fallback source. */
uint64_t btk_timer__mono_ns(void);

#endif
