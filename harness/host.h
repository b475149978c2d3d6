/*
 * This host's identity: hostname, kernel and architecture (uname), OS (os-release), CPU
 * model, CPU counts and the hypervisor flag (/proc/cpuinfo, sysconf). The one reader
 * behind a benchmark binary's JSON context (envcheck.c) and the tool's identity of the
 * machine it runs on (compare/ingest/machine.c). Files are read under a root prefix, so
 * tests can feed a fake /proc and /etc tree; uname and sysconf always describe the real
 * host.
 */
#ifndef BTK_HOST_H
#define BTK_HOST_H

#include "internal.h"

/* Every text field is "" when unknown and is cut (never overflows) at its size. */
typedef struct btk_host {
    char hostname[256];  /* uname -n */
    char kernel[256];    /* "<uname -s> <uname -r>", e.g. "Linux 6.1.0" */
    char arch[128];      /* uname -m */
    char os[512];        /* PRETTY_NAME of etc/os-release, without its double quotes */
    char cpu_model[512]; /* the first "model name" or "CPU part" value of proc/cpuinfo */
    /* Two CPU counts, kept apart because each already decides a stored or compared value
     * (docs/database.md, "Fingerprint"); see btk_host_detect for where they differ. */
    int cpus_listed; /* "processor" entries of proc/cpuinfo; 0 when unreadable or none */
    int cpus_online; /* sysconf(_SC_NPROCESSORS_ONLN); 0 when unknown */
    bool hypervisor; /* "hypervisor" is one of the CPU flags (x86 guests) */
} btk_host;

/* Fill out with this host's identity; root (NULL or "" for "/") prefixes proc/cpuinfo and
 * etc/os-release. Never fails: what cannot be read stays unknown.
 *
 * cpus_listed is what a benchmark binary reports as host.cpus (envcheck.c, which falls
 * back to cpus_online and to 1), so it is the count in the fingerprint of every run
 * recorded from our JSON. cpus_online is the count of the tool's own identity of this
 * host (machine.c). Linux lists exactly the online CPUs in /proc/cpuinfo, and glibc's
 * sysconf reads /sys/devices/system/cpu/online, so the two agree on a plain host; they
 * differ where /proc/cpuinfo is virtualized and /sys is not (lxcfs in LXC/LXD containers
 * lists only the container's cpuset), or when a CPU goes on- or offline between the two
 * reads. Neither is the number of CPUs this process may run on (sched_getaffinity, cgroup
 * cpusets). */
void btk_host_detect(btk_host *out, const char *root);

/* Read the small text file root+path (root NULL or "" for "/") into buf (size len,
 * NUL-terminated, trailing whitespace cut, at most len-1 bytes kept). False when it
 * cannot be opened, which callers take as "cannot tell". */
bool btk_host_read(const char *root, const char *path, char *buf, size_t len);

#endif
