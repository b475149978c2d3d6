/*
 * Hardware counters via perf_event_open: one group (cycles leader, instructions, branch
 * misses, cache misses), user space only, read as PERF_FORMAT_GROUP with TOTAL_TIME_ENABLED
 * and TOTAL_TIME_RUNNING so a multiplexed group is scaled by enabled/running as `perf stat`
 * does. errno is translated here and nowhere else. The OS calls go through an ops table so
 * tests can fake a machine that grants counters.
 */
#include "perf.h"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int sys_open(void *attr, int pid, int cpu, int group_fd, unsigned long flags)
{
    return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);
}

static int sys_ioctl(int fd, unsigned long request, unsigned long arg)
{
    return ioctl(fd, request, arg);
}

static long sys_read(int fd, void *buf, size_t len)
{
    return (long)read(fd, buf, len);
}

static const btk_perf_ops real_ops = {sys_open, sys_ioctl, sys_read, close};
static const btk_perf_ops *ops = &real_ops;

static const struct {
    const char *name;
    uint64_t config;
} events[BTK_PERF_EVENTS] = {
    {"cycles", PERF_COUNT_HW_CPU_CYCLES},
    {"instructions", PERF_COUNT_HW_INSTRUCTIONS},
    {"branch_misses", PERF_COUNT_HW_BRANCH_MISSES},
    {"cache_misses", PERF_COUNT_HW_CACHE_MISSES},
};

static int fds[BTK_PERF_EVENTS] = {-1, -1, -1, -1};
static int probed = -1; /* -1 unknown, 0 no, 1 yes */
static char reason[160];

void btk_perf__set_ops(const btk_perf_ops *o)
{
    ops = o != NULL ? o : &real_ops;
    probed = -1;
    reason[0] = '\0';
}

static int open_one(size_t i, int group)
{
    struct perf_event_attr attr;

    memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = PERF_TYPE_HARDWARE;
    attr.config = events[i].config;
    attr.disabled = group < 0;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    attr.read_format =
        PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    return ops->open(&attr, 0, -1, group, 0);
}

void btk_perf__close(void)
{
    size_t i;

    for (i = BTK_PERF_EVENTS; i-- > 0;) {
        if (fds[i] >= 0)
            ops->close(fds[i]);
        fds[i] = -1;
    }
}

int btk_perf__open(void)
{
    size_t i;

    if (fds[0] >= 0)
        return 0;
    for (i = 0; i < BTK_PERF_EVENTS; i++) {
        if ((fds[i] = open_one(i, i == 0 ? -1 : fds[0])) < 0) {
            int e = errno;

            btk_perf__close();
            snprintf(reason, sizeof(reason), "%s: %s", events[i].name, strerror(e));
            return btk_error_set(BTK_EUNSUPPORTED, "no hardware counters: %s", reason);
        }
    }
    return 0;
}

bool btk_perf_available(const char **reason_out)
{
    if (probed < 0) {
        probed = btk_perf__open() == 0;
        btk_perf__close();
        if (!probed)
            btk_error_clear(); /* the reason is kept here, not as an error */
    }
    if (reason_out != NULL)
        *reason_out = probed ? NULL : reason;
    return probed == 1;
}

void btk_perf__enable(void)
{
    if (fds[0] >= 0)
        ops->ioctl(fds[0], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
}

void btk_perf__disable(void)
{
    if (fds[0] >= 0)
        ops->ioctl(fds[0], PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
}

void btk_perf__reset(void)
{
    if (fds[0] >= 0)
        ops->ioctl(fds[0], PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
}

int btk_perf__read(btk_named_value *out, size_t cap, uint64_t iterations)
{
    /* PERF_FORMAT_GROUP layout: nr, time_enabled, time_running, values[nr] */
    uint64_t buf[3 + BTK_PERF_EVENTS];
    double scale;
    size_t i;

    if (fds[0] < 0)
        return btk_error_set(BTK_EINVAL, "hardware counters are not open");
    if (ops->read(fds[0], buf, sizeof(buf)) != (long)sizeof(buf) || buf[0] != BTK_PERF_EVENTS)
        return btk_error_set(BTK_EIO, "cannot read hardware counters: short read");
    if (buf[2] == 0 || iterations == 0)
        return 0; /* never scheduled: nothing to report */
    scale = (double)buf[1] / (double)buf[2];
    for (i = 0; i < BTK_PERF_EVENTS && i < cap; i++) {
        snprintf(out[i].name, sizeof(out[i].name), "%s", events[i].name);
        out[i].value = (double)buf[3 + i] * scale / (double)iterations;
    }
    return (int)i;
}

/* ---- counting mode: one instructions:u counter ---- */

static int ins_fd = -1;

int btk_perf__open_instructions(void)
{
    struct perf_event_attr attr;

    if (ins_fd >= 0)
        return 0;
    memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = PERF_TYPE_HARDWARE;
    attr.config = PERF_COUNT_HW_INSTRUCTIONS;
    attr.disabled = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    if ((ins_fd = ops->open(&attr, 0, -1, -1, 0)) < 0)
        return btk_error_set(BTK_EUNSUPPORTED,
                             "perf_event_open refuses user-space instructions: %s",
                             strerror(errno));
    return 0;
}

void btk_perf__instructions_enable(bool on)
{
    if (ins_fd >= 0)
        ops->ioctl(ins_fd, on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0);
}

int btk_perf__instructions_take(uint64_t *out)
{
    uint64_t v = 0;

    if (ins_fd < 0 || ops->read(ins_fd, &v, sizeof(v)) != (long)sizeof(v))
        return btk_error_set(BTK_EIO, "cannot read the instructions counter");
    ops->ioctl(ins_fd, PERF_EVENT_IOC_RESET, 0);
    *out = v;
    return 0;
}

void btk_perf__close_instructions(void)
{
    if (ins_fd >= 0)
        ops->close(ins_fd);
    ins_fd = -1;
}
