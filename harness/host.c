/*
 * This host's identity, read once per run by the benchmark binary (envcheck.c) and by the
 * tool (machine.c). The parsing rules are the ones whose results users' databases hold: a
 * run's host fields come from the JSON context, which is filled from here.
 */
#include "host.h"

#include <ctype.h>
#include <sys/utsname.h>
#include <unistd.h>

bool btk_host_read(const char *root, const char *path, char *buf, size_t len)
{
    char full[1024];
    FILE *f;
    size_t n;

    snprintf(full, sizeof(full), "%s%s", root ? root : "", path);
    if ((f = fopen(full, "r")) == NULL)
        return false;
    n = fread(buf, 1, len - 1, f);
    fclose(f);
    buf[n] = '\0';
    while (n > 0 && isspace((unsigned char)buf[n - 1]))
        buf[--n] = '\0';
    return true;
}

/* The value after "key<spaces>:" on a cpuinfo line, or NULL when the line has another
 * key. */
static const char *cpuinfo_value(const char *line, const char *key)
{
    size_t n = strlen(key);

    if (strncmp(line, key, n) != 0)
        return NULL;
    for (line += n; *line == ' ' || *line == '\t'; line++)
        ;
    if (*line != ':')
        return NULL;
    for (line++; *line == ' '; line++)
        ;
    return line;
}

/* True when token is one of the whitespace-separated words of list. */
static bool has_token(const char *list, const char *token)
{
    size_t n = strlen(token);
    const char *p = list;

    while ((p = strstr(p, token)) != NULL) {
        bool starts = p == list || isspace((unsigned char)p[-1]);
        bool ends = p[n] == '\0' || isspace((unsigned char)p[n]);
        if (starts && ends)
            return true;
        p += n;
    }
    return false;
}

/* Processor entries, the first model, and the hypervisor flag of any CPU. */
static void scan_cpuinfo(btk_host *h, const char *root)
{
    char path[1024], line[8192];
    const char *v;
    FILE *f;

    snprintf(path, sizeof(path), "%s/proc/cpuinfo", root);
    if ((f = fopen(path, "r")) == NULL)
        return;
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (cpuinfo_value(line, "processor") != NULL)
            h->cpus_listed++;
        else if (((v = cpuinfo_value(line, "model name")) != NULL ||
                  (v = cpuinfo_value(line, "CPU part")) != NULL) &&
                 !h->cpu_model[0])
            snprintf(h->cpu_model, sizeof(h->cpu_model), "%s", v);
        else if ((v = cpuinfo_value(line, "flags")) != NULL && has_token(v, "hypervisor"))
            h->hypervisor = true;
    }
    fclose(f);
}

/* PRETTY_NAME of etc/os-release: the text after an opening double quote up to the next
 * one, or the rest of the line when unquoted. */
static void read_os(btk_host *h, const char *root)
{
    char text[4096], *line, *end, *save = NULL;

    if (!btk_host_read(root, "/etc/os-release", text, sizeof(text)))
        return;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "PRETTY_NAME=", 12) != 0)
            continue;
        line += 12;
        if (*line == '"')
            line++;
        end = line + strcspn(line, "\"");
        snprintf(h->os, sizeof(h->os), "%.*s", (int)(end - line), line);
        return;
    }
}

static void read_uname(btk_host *h)
{
    struct utsname u;

    if (uname(&u) != 0)
        return;
    snprintf(h->hostname, sizeof(h->hostname), "%s", u.nodename);
    snprintf(h->kernel, sizeof(h->kernel), "%s %s", u.sysname, u.release);
    snprintf(h->arch, sizeof(h->arch), "%s", u.machine);
}

void btk_host_detect(btk_host *out, const char *root)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);

    if (root == NULL)
        root = "";
    memset(out, 0, sizeof(*out));
    read_uname(out);
    read_os(out, root);
    scan_cpuinfo(out, root);
    out->cpus_online = online > 0 && online <= INT32_MAX ? (int)online : 0;
}
