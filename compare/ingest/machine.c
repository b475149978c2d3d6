/*
 * The machine identity: this host's machine fields, mirroring what the harness writes in its
 * context, and the fingerprint that decides which runs are comparable (docs/database.md).
 */
#include "machine.h"

#include <math.h>
#include <sys/utsname.h>
#include <unistd.h>

/* The value of the first "key<spaces>: value" line of /proc/cpuinfo, or NULL. */
static char *cpuinfo_value(const char *key)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512], *colon, *v, *out = NULL;
    size_t klen = strlen(key), n;

    if (f == NULL)
        return NULL;
    while (out == NULL && fgets(line, sizeof(line), f)) {
        if (strncmp(line, key, klen) || (colon = strchr(line, ':')) == NULL)
            continue;
        for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
            ;
        n = strcspn(v, "\n");
        out = btk__strndup(v, n);
    }
    fclose(f);
    return out;
}

static char *os_pretty_name(void)
{
    FILE *f = fopen("/etc/os-release", "r");
    char line[512], *v, *out = NULL;

    if (f == NULL)
        return NULL;
    while (out == NULL && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "PRETTY_NAME=", 12))
            continue;
        v = line + 12;
        v[strcspn(v, "\n")] = '\0';
        if (*v == '"') {
            v++;
            v[strcspn(v, "\"")] = '\0';
        }
        out = btk__strdup(v);
    }
    fclose(f);
    return out;
}

static bool has_hypervisor_flag(void)
{
    char *flags = cpuinfo_value("flags");
    bool yes = flags && strstr(flags, " hypervisor") != NULL;

    btk__free(flags);
    return yes;
}

int btk_machine_detect(btk_machine *m)
{
    struct utsname u;
    btk_buf kernel = BTK_BUF_INIT;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    memset(m, 0, sizeof(*m));
    m->timer_hz = NAN;
    if (uname(&u) == 0) {
        m->hostname = btk__strdup(u.nodename);
        m->arch = btk__strdup(u.machine);
        if (btk_buf_printf(&kernel, "%s %s", u.sysname, u.release) == 0)
            m->kernel = btk_buf_detach(&kernel);
        btk_buf_free(&kernel);
    }
    m->cpu_model = cpuinfo_value("model name");
    if (m->cpu_model == NULL)
        m->cpu_model = cpuinfo_value("CPU part");
    m->os = os_pretty_name();
    m->cpus = cpus > 0 ? (int)cpus : 0;
    m->hypervisor = has_hypervisor_flag();
    btk_error_clear(); /* a missing /proc file is not an error here */
    return btk_machine_fingerprint(m);
}

static int fill(char **dst, const char *src)
{
    if (*dst || src == NULL)
        return 0;
    *dst = btk__strdup(src);
    return *dst ? 0 : BTK_ENOMEM;
}

int btk_machine_adopt_host(btk_machine *dst, const btk_machine *here)
{
    int error;

    if ((error = fill(&dst->arch, here->arch)) < 0 ||
        (error = fill(&dst->cpu_model, here->cpu_model)) < 0 ||
        (error = fill(&dst->os, here->os)) < 0 || (error = fill(&dst->kernel, here->kernel)) < 0)
        return error;
    if (dst->cpus == 0)
        dst->cpus = here->cpus;
    dst->hypervisor = dst->hypervisor || here->hypervisor;
    return 0;
}

/* FNV-1a over one field followed by a 0x1f separator, so "ab"+"c" differs from "a"+"bc". */
static uint64_t fnv_field(uint64_t h, const char *s)
{
    h = btk__fnv1a(h, s, s ? strlen(s) : 0);
    return btk__fnv1a(h, "\x1f", 1);
}

int btk_machine_fingerprint(btk_machine *m)
{
    char cpus[24], hex[33];
    const char *fields[4];
    uint64_t a = BTK_FNV1A_INIT, b = 0x84222325cbf29ce4ULL;
    size_t i;

    snprintf(cpus, sizeof(cpus), "%d", m->cpus);
    fields[0] = m->hostname ? m->hostname : "";
    fields[1] = m->arch ? m->arch : "";
    fields[2] = m->cpu_model ? m->cpu_model : "";
    fields[3] = cpus;
    /* Two FNV-1a lanes with different seeds and a field-order salt give 128 bits: an
     * identifier, not a security property (the fields themselves are stored beside it). */
    for (i = 0; i < BTK_ARRAY_SIZE(fields); i++) {
        a = fnv_field(a, fields[i]);
        b = fnv_field(b ^ (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL, fields[i]);
    }
    snprintf(hex, sizeof(hex), "%016" PRIx64 "%016" PRIx64, a, b);
    btk__free(m->fingerprint);
    m->fingerprint = btk__strdup(hex);
    return m->fingerprint ? 0 : BTK_ENOMEM;
}
