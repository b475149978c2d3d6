/*
 * Environment checks, read from files under a root prefix (real runs use "/"). Each check
 * that finds a problem adds one coded warning; a file that cannot be read means "cannot
 * tell" and adds nothing, so a container without /sys gives no false alarms. The
 * optimization/assertion checks see the library's own build flags: the user's translation
 * unit is not visible from here (docs/benchmark-binary.md says so).
 */
#include "envcheck.h"
#include "host.h"
#include "registry.h"

#include "probe.h"

#include <ctype.h>
#include <dirent.h>

void btk_envcheck_add(btk_env_report *r, const char *code, const char *fmt, ...)
{
    va_list ap;
    btk_env_warning *w;

    if (r->count >= BTK_ENV_MAX_WARNINGS || btk_envcheck_has(r, code))
        return;
    w = &r->warnings[r->count++];
    snprintf(w->code, sizeof(w->code), "%s", code);
    va_start(ap, fmt);
    /* a message cut to fit ends in "..." so the cut shows (names come last in them) */
    if (vsnprintf(w->message, sizeof(w->message), fmt, ap) >= (int)sizeof(w->message))
        memcpy(w->message + sizeof(w->message) - 4, "...", 4);
    va_end(ap);
}

bool btk_envcheck_has(const btk_env_report *r, const char *code)
{
    size_t i;

    for (i = 0; i < r->count; i++)
        if (strcmp(r->warnings[i].code, code) == 0)
            return true;
    return false;
}

static bool is_cpu_dir(const char *name)
{
    if (strncmp(name, "cpu", 3) != 0 || name[3] == '\0')
        return false;
    for (name += 3; *name; name++)
        if (!isdigit((unsigned char)*name))
            return false;
    return true;
}

/* Any CPU whose cpufreq governor is not "performance" (Google Benchmark's rule). */
static void check_governor(btk_env_report *r, const char *root)
{
    char dir[1024], path[600], gov[64], q[80];
    struct dirent *e;
    DIR *d;

    snprintf(dir, sizeof(dir), "%s/sys/devices/system/cpu", root);
    if ((d = opendir(dir)) == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (!is_cpu_dir(e->d_name))
            continue;
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/cpufreq/scaling_governor",
                 e->d_name);
        if (btk_host_read(root, path, gov, sizeof(gov)) &&
            strcmp(gov, "performance") != 0) {
            btk_envcheck_add(r, "governor",
                             "cpu frequency governor is '%s' on %s, not 'performance': "
                             "clock speed may change during the run",
                             btk_error_quote(q, sizeof(q), gov), e->d_name);
            break;
        }
    }
    closedir(d);
}

static void check_turbo(btk_env_report *r, const char *root)
{
    char v[32];

    if (btk_host_read(root, "/sys/devices/system/cpu/intel_pstate/no_turbo", v,
                      sizeof(v)) &&
        strcmp(v, "0") == 0)
        btk_envcheck_add(r, "turbo", "turbo boost is on (intel_pstate/no_turbo is 0): "
                                     "clock speed depends on temperature and load");
    else if (btk_host_read(root, "/sys/devices/system/cpu/cpufreq/boost", v, sizeof(v)) &&
             strcmp(v, "1") == 0)
        btk_envcheck_add(r, "turbo", "cpu boost is on (cpufreq/boost is 1): "
                                     "clock speed depends on temperature and load");
}

static void check_aslr(btk_env_report *r, const char *root)
{
    char v[32], q[48];

    if (btk_host_read(root, "/proc/sys/kernel/randomize_va_space", v, sizeof(v)) &&
        strcmp(v, "0") != 0)
        btk_envcheck_add(r, "aslr",
                         "address space randomization is on (randomize_va_space is '%s'): "
                         "layout effects vary between processes",
                         btk_error_quote(q, sizeof(q), v));
}

/* The host facts of the context (host.c): the CPU count is the processor entries of
 * cpuinfo, else the online CPUs, and at least 1 (see btk_host_detect for why this count
 * stays apart from the tool's own). */
static void host_facts(btk_env_report *r, const char *root)
{
    btk_host h;

    btk_host_detect(&h, root);
    r->hypervisor = h.hypervisor;
    r->cpus = h.cpus_listed > 0 ? h.cpus_listed : h.cpus_online;
    if (r->cpus < 1)
        r->cpus = 1;
    /* cut to the report's sizes, as the context has always been */
    snprintf(r->cpu_model, sizeof(r->cpu_model), "%.*s", (int)sizeof(r->cpu_model) - 1,
             h.cpu_model);
    snprintf(r->os, sizeof(r->os), "%.*s", (int)sizeof(r->os) - 1, h.os);
    snprintf(r->hostname, sizeof(r->hostname), "%s", h.hostname);
    snprintf(r->kernel, sizeof(r->kernel), "%s", h.kernel);
    snprintf(r->arch, sizeof(r->arch), "%s", h.arch);
}

static void check_load(btk_env_report *r, const char *root)
{
    char v[128], *end;
    double load;

    r->loadavg1 = -1;
    if (!btk_host_read(root, "/proc/loadavg", v, sizeof(v)))
        return;
    load = strtod(v, &end);
    if (end == v || load < 0)
        return;
    r->loadavg1 = load;
    if (load > 0.5 * r->cpus)
        btk_envcheck_add(r, "load",
                         "load average is %.2f on %d cpus: other work competes with the "
                         "benchmarks",
                         load, r->cpus);
}

static void check_build_and_probes(btk_env_report *r, const btk_env_input *in)
{
    if (!in->optimized)
        btk_envcheck_add(r, "unoptimized", "benchmarks built without optimization (%s): "
                                           "their timings are not representative",
                         in->unoptimized_names[0] ? in->unoptimized_names : "benchtrack");
    if (in->assertions)
        btk_envcheck_add(r, "assertions", "benchmarks built with assertions enabled, "
                                          "NDEBUG not defined (%s)",
                         in->assertion_names[0] ? in->assertion_names : "benchtrack");
    if (!in->perf_available)
        btk_envcheck_add(r, "perf", "hardware counters unavailable (%s): reporting timer "
                                    "ticks only",
                         in->perf_reason ? in->perf_reason : "unknown reason");
    if (in->memtrack_wanted && !in->memtrack_available)
        btk_envcheck_add(r, "memtrack", "allocation counting unavailable (%s)",
                         in->memtrack_reason ? in->memtrack_reason : "unknown reason");
}

void btk_envcheck_run(btk_env_report *out, const btk_env_input *in)
{
    const char *root = in->root ? in->root : "";

    memset(out, 0, sizeof(*out));
    check_governor(out, root);
    check_turbo(out, root);
    check_aslr(out, root);
    host_facts(out, root);
    check_load(out, root);
    if (out->hypervisor)
        btk_envcheck_add(out, "vm", "running in a virtual machine: timings include "
                                    "hypervisor noise");
    check_build_and_probes(out, in);
}

void btk_envcheck_default_input(btk_env_input *in, bool memtrack_wanted)
{
    memset(in, 0, sizeof(*in));
    in->root = "";
#ifdef __OPTIMIZE__
    in->optimized = true;
#endif
#ifndef NDEBUG
    in->assertions = true;
#endif
    in->perf_available = btk_perf_available(&in->perf_reason);
    in->memtrack_wanted = memtrack_wanted;
    in->memtrack_available = btk_memtrack_available(&in->memtrack_reason);
}

/* Append family to the comma-separated list names (size len) unless it is the last one
 * added; "..." once the list is full. */
static void add_name(char *names, size_t len, const char *family, const char **last)
{
    size_t used = strlen(names);
    char quoted[64];

    if (*last != NULL && !strcmp(*last, family))
        return;
    *last = family;
    btk_error_quote(quoted, sizeof(quoted), family);
    if (used + strlen(quoted) + 6 >= len) {
        if (used + 4 < len && strcmp(names + (used > 3 ? used - 3 : 0), "...") != 0)
            snprintf(names + used, len - used, "%s...", used ? ", " : "");
        return;
    }
    snprintf(names + used, len - used, "%s%s", used ? ", " : "", quoted);
}

void btk_envcheck_build_from(btk_env_input *in, const btk_instance *insts, size_t count)
{
    const char *last_unopt = NULL, *last_assert = NULL;
    bool any = false;
    size_t i;

    in->unoptimized_names[0] = in->assertion_names[0] = '\0';
    for (i = 0; i < count; i++) {
        unsigned b = insts[i].opts->build;

        if (!(b & BTK_BUILD_KNOWN))
            continue;
        if (!any) {
            in->optimized = true, in->assertions = false;
            in->compiler = insts[i].opts->compiler;
            any = true;
        }
        if (!(b & BTK_BUILD_OPTIMIZED)) {
            in->optimized = false;
            add_name(in->unoptimized_names, sizeof(in->unoptimized_names),
                     insts[i].family, &last_unopt);
        }
        if (b & BTK_BUILD_ASSERTS) {
            in->assertions = true;
            add_name(in->assertion_names, sizeof(in->assertion_names), insts[i].family,
                     &last_assert);
        }
    }
}

void btk_envcheck_print(const btk_env_report *r, size_t from, FILE *f)
{
    size_t i;

    for (i = from; i < r->count; i++)
        fprintf(f, "benchtrack: warning: %s\n", r->warnings[i].message);
}
