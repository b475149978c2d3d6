/*
 * Pinning: sched_setaffinity to one CPU. The default CPU is an isolated one
 * (/sys/devices/system/cpu/isolated, as pyperf does) when the process may use it, else the
 * last CPU the process may use (CPU 0 tends to take more interrupts). Refusal is not fatal:
 * BTK_EUNSUPPORTED, and the run continues unpinned.
 */
#include "pin.h"

#include <sched.h>
#include <sys/resource.h>

static int real_get_allowed(bool *allowed)
{
    cpu_set_t set;
    int i;

    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0)
        return -errno;
    for (i = 0; i < BTK_PIN_MAX_CPUS; i++)
        allowed[i] = i < CPU_SETSIZE && CPU_ISSET(i, &set);
    return 0;
}

static int real_set_cpu(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof(set), &set) == 0 ? 0 : -errno;
}

static void real_read_isolated(char *buf, size_t len)
{
    FILE *f = fopen("/sys/devices/system/cpu/isolated", "r");

    buf[0] = '\0';
    if (f == NULL)
        return;
    if (fgets(buf, (int)len, f) == NULL)
        buf[0] = '\0';
    fclose(f);
}

static const btk_pin_ops real_ops = {real_get_allowed, real_set_cpu, real_read_isolated};
static const btk_pin_ops *ops = &real_ops;

void btk_pin__set_ops(const btk_pin_ops *o)
{
    ops = o != NULL ? o : &real_ops;
}

/* Read one decimal CPU number at *s into *out; advances *s. */
static bool parse_cpu(const char **s, long *out)
{
    char *end;

    if (**s < '0' || **s > '9')
        return false;
    *out = strtol(*s, &end, 10);
    *s = end;
    return *out >= 0 && *out < BTK_PIN_MAX_CPUS;
}

bool btk_pin__parse_list(const char *s, bool *set)
{
    long lo, hi, i;

    memset(set, 0, BTK_PIN_MAX_CPUS * sizeof(*set));
    while (*s != '\0' && *s != '\n') {
        if (!parse_cpu(&s, &lo))
            return false;
        hi = lo;
        if (*s == '-') {
            s++;
            if (!parse_cpu(&s, &hi) || hi < lo)
                return false;
        }
        for (i = lo; i <= hi; i++)
            set[i] = true;
        if (*s == ',')
            s++;
        else if (*s != '\0' && *s != '\n')
            return false;
    }
    return true;
}

int btk_pin__default_cpu(void)
{
    static bool allowed[BTK_PIN_MAX_CPUS], isolated[BTK_PIN_MAX_CPUS];
    char list[512];
    int i, rc;

    if ((rc = ops->get_allowed(allowed)) < 0)
        return btk_error_set(BTK_EUNSUPPORTED, "cannot read the allowed CPUs: %s",
                             strerror(-rc));
    ops->read_isolated(list, sizeof(list));
    if (btk_pin__parse_list(list, isolated)) {
        for (i = 0; i < BTK_PIN_MAX_CPUS; i++)
            if (isolated[i] && allowed[i])
                return i;
    }
    for (i = BTK_PIN_MAX_CPUS; i-- > 0;)
        if (allowed[i])
            return i;
    return btk_error_set(BTK_EUNSUPPORTED, "no CPU is allowed for this process");
}

int btk_pin_to_cpu(int cpu)
{
    int rc;

    if (cpu < 0 && (cpu = btk_pin__default_cpu()) < 0)
        return cpu;
    if (cpu >= BTK_PIN_MAX_CPUS)
        return btk_error_set(BTK_EINVAL, "cpu %d is out of range", cpu);
    if ((rc = ops->set_cpu(cpu)) < 0)
        return btk_error_set(BTK_EUNSUPPORTED, "cannot pin to cpu %d: %s", cpu,
                             strerror(-rc));
    return cpu;
}

int btk_pin__spread(int *cpus, unsigned count, int first)
{
    static bool allowed[BTK_PIN_MAX_CPUS];
    unsigned k = 0;
    int rc, at;

    if (first < 0 && (first = btk_pin__default_cpu()) < 0)
        return first;
    if ((rc = ops->get_allowed(allowed)) < 0)
        return btk_error_set(BTK_EUNSUPPORTED, "cannot read the allowed CPUs: %s",
                             strerror(-rc));
    if (first >= BTK_PIN_MAX_CPUS)
        return btk_error_set(BTK_EINVAL, "cpu %d is out of range", first);
    allowed[first] = true; /* an explicit --cpu is honoured as btk_pin_to_cpu would */
    for (at = first; k < count; at = at > 0 ? at - 1 : BTK_PIN_MAX_CPUS - 1)
        if (allowed[at])
            cpus[k++] = at;
    return 0;
}

unsigned btk_pin__allowed_count(void)
{
    static bool allowed[BTK_PIN_MAX_CPUS];
    unsigned n = 0;
    int i;

    if (ops->get_allowed(allowed) < 0)
        return 1;
    for (i = 0; i < BTK_PIN_MAX_CPUS; i++)
        n += allowed[i];
    return n > 0 ? n : 1;
}

int btk_pin__thread_to_cpu(int cpu)
{
    int rc;

    if (cpu < 0 || cpu >= BTK_PIN_MAX_CPUS)
        return btk_error_set(BTK_EINVAL, "cpu %d is out of range", cpu);
    if ((rc = ops->set_cpu(cpu)) < 0) /* sched_setaffinity(0): the calling thread */
        return btk_error_set(BTK_EUNSUPPORTED, "cannot pin to cpu %d: %s", cpu,
                             strerror(-rc));
    return 0;
}

void btk_pin__snap(btk_pin_snap *out)
{
    struct rusage ru;

    memset(&ru, 0, sizeof(ru));
#if defined(RUSAGE_THREAD)
    (void)getrusage(RUSAGE_THREAD, &ru);
#endif
    out->switches = (int64_t)ru.ru_nivcsw;
    out->cpu = sched_getcpu();
}
