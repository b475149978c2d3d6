/*
 * The machine identity. The machine the tool runs on: the same fields a benchmark binary
 * writes into its context (docs/json-format.md host.*), read from uname, /proc/cpuinfo
 * and /etc/os-release, so that `history` can default to "this machine" and foreign
 * imports from this host match it. Also the definition of btk_machine_fingerprint
 * (declared in model.h beside btk_machine, which every user of the fingerprint already
 * includes).
 */
#ifndef BTK_MACHINE_H
#define BTK_MACHINE_H

#include "model.h"

/* Fill out with this host's fields (host.h; cpus is the online CPUs, cpus_online) and
 * fingerprint. Unknown fields stay NULL/0. Release with btk_machine_clear. BTK_ENOMEM
 * only, with out cleared. */
int btk_machine_detect(btk_machine *out);
/* Copy into dst the host fields it lacks (arch, cpu model, cpus, os, kernel) from here.
 */
int btk_machine_adopt_host(btk_machine *dst, const btk_machine *here);
/* Put m in the machine class name (--machine NAME) and fingerprint it by that name; NULL
 * puts it back in its hardware's class. BTK_EINVAL when name is not a valid machine name
 * (btk_machine_name_valid; the message quotes it and says why), BTK_ENOMEM; m unchanged
 * on failure. */
int btk_machine_set_name(btk_machine *m, const char *name);

#endif
