/*
 * The machine identity: this host's machine fields (host.c, the reader behind the
 * harness's context too), and the fingerprint that decides which runs are comparable
 * (docs/database.md). Beside it the build identity, the other half of comparability.
 */
#include "machine.h"
#include "host.h"

#include <math.h>

/* *dst = a copy of s, or NULL when s is "" (unknown). BTK_ENOMEM. */
static int dup_known(char **dst, const char *s)
{
    if (s[0] == '\0')
        return 0;
    *dst = btk__strdup(s);
    return *dst ? 0 : BTK_ENOMEM;
}

int btk_machine_detect(btk_machine *m)
{
    btk_host h;
    int error;

    memset(m, 0, sizeof(*m));
    m->timer_hz = NAN;
    btk_host_detect(&h, NULL);
    m->cpus = h.cpus_online; /* not h.cpus_listed: see btk_host_detect */
    m->hypervisor = h.hypervisor;
    if ((error = dup_known(&m->hostname, h.hostname)) < 0 ||
        (error = dup_known(&m->arch, h.arch)) < 0 ||
        (error = dup_known(&m->kernel, h.kernel)) < 0 ||
        (error = dup_known(&m->cpu_model, h.cpu_model)) < 0 ||
        (error = dup_known(&m->os, h.os)) < 0 || (error = btk_machine_fingerprint(m)) < 0)
        btk_machine_clear(m);
    return error;
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
        (error = fill(&dst->os, here->os)) < 0 ||
        (error = fill(&dst->kernel, here->kernel)) < 0)
        return error;
    if (dst->cpus == 0)
        dst->cpus = here->cpus;
    dst->hypervisor = dst->hypervisor || here->hypervisor;
    return 0;
}

/* FNV-1a over one field followed by a 0x1f separator, so "ab"+"c" differs from "a"+"bc".
 */
static uint64_t fnv_field(uint64_t h, const char *s)
{
    h = btk__fnv1a(h, s, s ? strlen(s) : 0);
    return btk__fnv1a(h, "\x1f", 1);
}

/* 32 hex digits of two FNV-1a lanes over fields (each followed by 0x1f) into m. */
static int digest(btk_machine *m, const char *const *fields, size_t count)
{
    uint64_t a = BTK_FNV1A_INIT, b = 0x84222325cbf29ce4ULL;
    char hex[33], *copy;
    size_t i;

    /* Two lanes with different seeds and a field-order salt give 128 bits: an identifier,
     * not a security property (the fields themselves are stored beside it). */
    for (i = 0; i < count; i++) {
        a = fnv_field(a, fields[i]);
        b = fnv_field(b ^ (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL, fields[i]);
    }
    snprintf(hex, sizeof(hex), "%016" PRIx64 "%016" PRIx64, a, b);
    if ((copy = btk__strdup(hex)) == NULL)
        return BTK_ENOMEM; /* the old fingerprint stays */
    btk__free(m->fingerprint);
    m->fingerprint = copy;
    return 0;
}

int btk_machine_fingerprint(btk_machine *m)
{
    char cpus[24];
    const char *fields[6];

    if (m->name) { /* a named class: the name alone, in a domain of its own */
        fields[0] = "benchtrack-machine-name";
        fields[1] = m->name;
        return digest(m, fields, 2);
    }
    snprintf(cpus, sizeof(cpus), "%d", m->cpus);
    fields[0] = "benchtrack-machine-hw";
    fields[1] = m->arch ? m->arch : "";
    fields[2] = m->cpu_model ? m->cpu_model : "";
    fields[3] = cpus;
    fields[4] = m->hypervisor ? "vm" : "metal";
    /* Nothing names the hardware (a Google Benchmark file from another host): the host
     * name keeps such hosts apart instead of pooling every unknown machine. */
    fields[5] = (m->arch || m->cpu_model) ? "" : (m->hostname ? m->hostname : "");
    return digest(m, fields, BTK_ARRAY_SIZE(fields));
}

/* ASCII only, whatever the locale. */
static bool alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool btk_machine_name_valid(const char *name, const char **why_out)
{
    size_t i, len = name ? strlen(name) : 0;

    *why_out = NULL;
    if (len == 0)
        *why_out = "it is empty";
    else if (len > BTK_MACHINE_NAME_MAX)
        *why_out = "it is longer than 64 characters";
    else if (!alnum(name[0]))
        *why_out = "it must start with a letter or digit";
    for (i = 0; i < len && *why_out == NULL; i++)
        if (!alnum(name[i]) && !strchr("._-", name[i]))
            *why_out = "only letters, digits, '.', '_' and '-' are allowed";
    return *why_out == NULL;
}

int btk_machine_set_name(btk_machine *m, const char *name)
{
    char quoted[100], *copy = NULL, *old = m->name;
    const char *why;
    int error;

    if (name && !btk_machine_name_valid(name, &why))
        return btk_error_set(BTK_EINVAL, "invalid machine name '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), name), why);
    if (name && (copy = btk__strdup(name)) == NULL)
        return BTK_ENOMEM;
    m->name = copy;
    if ((error = btk_machine_fingerprint(m)) < 0) {
        m->name = old;
        btk__free(copy);
        return error;
    }
    btk__free(old);
    return 0;
}

/* ---- the build identity ---- */

static const char *known(const char *s)
{
    return s ? s : "";
}

bool btk_run_same_build(const btk_run *a, const btk_run *b)
{
    return !strcmp(known(a->compiler), known(b->compiler)) &&
           !strcmp(known(a->flags), known(b->flags));
}

int btk_run_build_text(btk_buf *out, const btk_run *run)
{
    const char *c = known(run->compiler), *f = known(run->flags);

    if (*c == '\0' && *f == '\0')
        return btk_buf_puts(out, "unknown build");
    return btk_buf_printf(out, "%s%s%s", *c ? c : "unknown compiler", " ",
                          *f ? f : "(no flags recorded)");
}
