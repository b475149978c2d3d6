/*
 * Framing of one process's result for the runner's pipe. Parent and child are the same
 * binary (fork, no exec), so the scalar block is a plain struct copied byte for byte; the
 * reader still checks the magic, the version, the payload length against the sample count,
 * the counter counts, the enum ranges and the NUL termination of every name.
 */
#include "wire.h"

#include <math.h>
#include <unistd.h>

#define WIRE_MAGIC 0x52544b42u /* "BKTR" little-endian */
#define WIRE_VERSION 4u /* 2: CPU time, threads, disturbance, per-call times; 3: core clock;
                         * 4: branch ratio (shared core) */

typedef struct wire_head {
    uint32_t magic, version, kind, reserved;
    uint64_t payload_len;
} wire_head;

/* The scalar fields of a btk_proc_result, without its pointers. */
typedef struct wire_scalars {
    int32_t index, pid, cpu;
    uint32_t stop;
    uint64_t count;
    uint32_t mem_tracked, reserved;
    uint64_t allocs, frees, alloc_bytes, mem_iterations;
    int64_t peak_rss_bytes, minor_faults, major_faults;
    double bytes_per_iter, items_per_iter;
    uint64_t counter_count, hw_count;
    btk_named_value counters[BTK_MAX_COUNTERS];
    btk_named_value hw[8];
    btk_count_figures counted;
    uint32_t threads, per_call;
    uint64_t disturbed, switches, migrations, call_count;
    double branch_ratio;
} wire_scalars;

#define HW_MAX (sizeof(((btk_proc_result *)0)->hw) / sizeof(btk_named_value))
#define PER_SAMPLE (sizeof(double) + sizeof(uint64_t) + 3 * sizeof(double))

static int put_head(btk_buf *out, btk_wire_kind kind, uint64_t payload_len)
{
    wire_head h;

    memset(&h, 0, sizeof(h));
    h.magic = WIRE_MAGIC;
    h.version = WIRE_VERSION;
    h.kind = (uint32_t)kind;
    h.payload_len = payload_len;
    return btk_buf_put(out, (const char *)&h, sizeof(h));
}

static void scalars_from(wire_scalars *s, const btk_proc_result *r)
{
    memset(s, 0, sizeof(*s));
    s->index = r->index;
    s->pid = r->pid;
    s->cpu = r->cpu;
    s->stop = (uint32_t)r->stop;
    s->count = r->count;
    s->mem_tracked = r->mem_tracked;
    s->allocs = r->allocs;
    s->frees = r->frees;
    s->alloc_bytes = r->alloc_bytes;
    s->mem_iterations = r->mem_iterations;
    s->peak_rss_bytes = r->peak_rss_bytes;
    s->minor_faults = r->minor_faults;
    s->major_faults = r->major_faults;
    s->bytes_per_iter = r->bytes_per_iter;
    s->items_per_iter = r->items_per_iter;
    s->counter_count = r->counter_count;
    s->hw_count = r->hw_count;
    memcpy(s->counters, r->counters, sizeof(s->counters));
    memcpy(s->hw, r->hw, sizeof(s->hw));
    s->counted = r->counted;
    s->threads = r->threads;
    s->per_call = r->per_call;
    s->disturbed = r->disturbed;
    s->switches = r->switches;
    s->migrations = r->migrations;
    s->branch_ratio = r->branch_ratio;
    s->call_count = r->call_count;
}

/* Append n doubles from v, or n copies of fill when v is NULL (a result without CPU times
 * or core clocks). */
static int put_or_fill(btk_buf *out, const double *v, size_t n, double fill)
{
    size_t i;
    int error;

    if (v != NULL)
        return btk_buf_put(out, (const char *)v, n * sizeof(double));
    for (i = 0; i < n; i++)
        if ((error = btk_buf_put(out, (const char *)&fill, sizeof(fill))) < 0)
            return error;
    return 0;
}

int btk_wire_encode_result(btk_buf *out, const btk_proc_result *r)
{
    wire_scalars s;
    size_t n = r->count;
    int error;

    if (n > BTK_WIRE_MAX_SAMPLES || r->call_count > BTK_WIRE_MAX_SAMPLES)
        return btk_error_set(BTK_EINVAL, "too many samples to send (%zu)", n);
    scalars_from(&s, r);
    if ((error = put_head(out, BTK_WIRE_RESULT,
                          sizeof(s) + n * PER_SAMPLE + r->call_count * sizeof(double))) < 0 ||
        (error = btk_buf_put(out, (const char *)&s, sizeof(s))) < 0)
        return error;
    if (n > 0 &&
        ((error = btk_buf_put(out, (const char *)r->samples, n * sizeof(double))) < 0 ||
         (error = btk_buf_put(out, (const char *)r->batch, n * sizeof(uint64_t))) < 0 ||
         (error = btk_buf_put(out, (const char *)r->cycles, n * sizeof(double))) < 0))
        return error;
    if (n > 0 && ((error = put_or_fill(out, r->cpu_samples, n, 0)) < 0 ||
                  (error = put_or_fill(out, r->clock_ghz, n, NAN)) < 0))
        return error;
    if (r->call_count == 0)
        return 0;
    return btk_buf_put(out, (const char *)r->calls, r->call_count * sizeof(double));
}

int btk_wire_encode_error(btk_buf *out, const char *message)
{
    char text[256];
    int error;

    memset(text, 0, sizeof(text));
    snprintf(text, sizeof(text), "%s", message ? message : "unknown error");
    if ((error = put_head(out, BTK_WIRE_ERROR, sizeof(text))) < 0)
        return error;
    return btk_buf_put(out, text, sizeof(text));
}

static int bad(const char *what)
{
    return btk_error_set(BTK_EFORMAT, "malformed result frame: %s", what);
}

/* Check the scalar block's counts, enums and strings. */
static int check_scalars(wire_scalars *s, size_t payload_len)
{
    size_t i;

    if (s->count > BTK_WIRE_MAX_SAMPLES || s->call_count > BTK_WIRE_MAX_SAMPLES)
        return bad("sample count out of range");
    if (payload_len != sizeof(*s) + s->count * PER_SAMPLE + s->call_count * sizeof(double))
        return bad("payload length does not match the sample count");
    if (s->counter_count > BTK_MAX_COUNTERS || s->hw_count > HW_MAX)
        return bad("counter count out of range");
    if (s->stop > (uint32_t)BTK_STOP_MAX_SAMPLES || s->mem_tracked > 1 ||
        s->counted.events > BTK_COUNT_EVENTS || s->counted.aslr_off > 1 ||
        s->per_call > 1 || (s->per_call == 0 && s->call_count > 0) ||
        s->disturbed > s->count || s->migrations > s->count ||
        !(s->branch_ratio >= 0 && s->branch_ratio < 1e6))
        return bad("field out of range");
    for (i = 0; i < s->counter_count; i++)
        if (memchr(s->counters[i].name, '\0', BTK_COUNTER_NAME_MAX) == NULL)
            return bad("counter name not terminated");
    for (i = 0; i < s->hw_count; i++)
        if (memchr(s->hw[i].name, '\0', BTK_COUNTER_NAME_MAX) == NULL)
            return bad("counter name not terminated");
    return 0;
}

static void scalars_to(btk_proc_result *r, const wire_scalars *s)
{
    memset(r, 0, sizeof(*r));
    r->index = s->index;
    r->pid = s->pid;
    r->cpu = s->cpu;
    r->stop = (btk_stop_reason)s->stop;
    r->count = (size_t)s->count;
    r->mem_tracked = s->mem_tracked != 0;
    r->allocs = s->allocs;
    r->frees = s->frees;
    r->alloc_bytes = s->alloc_bytes;
    r->mem_iterations = s->mem_iterations;
    r->peak_rss_bytes = s->peak_rss_bytes;
    r->minor_faults = s->minor_faults;
    r->major_faults = s->major_faults;
    r->bytes_per_iter = s->bytes_per_iter;
    r->items_per_iter = s->items_per_iter;
    r->counter_count = (size_t)s->counter_count;
    r->hw_count = (size_t)s->hw_count;
    memcpy(r->counters, s->counters, sizeof(r->counters));
    memcpy(r->hw, s->hw, sizeof(r->hw));
    r->counted = s->counted;
    r->threads = s->threads;
    r->per_call = s->per_call != 0;
    r->disturbed = s->disturbed;
    r->switches = s->switches;
    r->migrations = s->migrations;
    r->branch_ratio = s->branch_ratio;
    r->call_count = (size_t)s->call_count;
}

/* Copy the per-call times after the sample arrays; they must be finite. */
static int decode_calls(btk_proc_result *r, const unsigned char *p)
{
    size_t n = r->call_count, i;

    if (n == 0)
        return 0;
    if ((r->calls = btk__malloc(n * sizeof(double))) == NULL)
        return BTK_ENOMEM;
    memcpy(r->calls, p, n * sizeof(double));
    for (i = 0; i < n; i++)
        if (!isfinite(r->calls[i]))
            return bad("call time not finite");
    return 0;
}

/* Copy the five sample arrays that follow the scalars, then the per-call times; samples
 * must be finite. */
static int decode_arrays(btk_proc_result *r, const unsigned char *p)
{
    size_t n = r->count, i;

    if (n == 0)
        return decode_calls(r, p);
    r->samples = btk__malloc(n * sizeof(double));
    r->batch = btk__malloc(n * sizeof(uint64_t));
    r->cycles = btk__malloc(n * sizeof(double));
    r->cpu_samples = btk__malloc(n * sizeof(double));
    r->clock_ghz = btk__malloc(n * sizeof(double));
    if (r->samples == NULL || r->batch == NULL || r->cycles == NULL || r->cpu_samples == NULL ||
        r->clock_ghz == NULL)
        return BTK_ENOMEM;
    memcpy(r->samples, p, n * sizeof(double));
    memcpy(r->batch, p + n * sizeof(double), n * sizeof(uint64_t));
    memcpy(r->cycles, p + n * (sizeof(double) + sizeof(uint64_t)), n * sizeof(double));
    memcpy(r->cpu_samples, p + n * (2 * sizeof(double) + sizeof(uint64_t)),
           n * sizeof(double));
    memcpy(r->clock_ghz, p + n * (3 * sizeof(double) + sizeof(uint64_t)), n * sizeof(double));
    for (i = 0; i < n; i++)
        if (!isfinite(r->samples[i]) || !isfinite(r->cycles[i]) ||
            !isfinite(r->cpu_samples[i]) || r->batch[i] == 0 ||
            !(isnan(r->clock_ghz[i]) || r->clock_ghz[i] > 0) || isinf(r->clock_ghz[i]))
            return bad("sample not finite or empty batch");
    return decode_calls(r, p + n * PER_SAMPLE);
}

static int decode_result(btk_proc_result *out, const unsigned char *p, size_t len)
{
    wire_scalars s;
    int error;

    if (len < sizeof(s))
        return bad("result shorter than its fixed part");
    memcpy(&s, p, sizeof(s));
    if ((error = check_scalars(&s, len)) < 0)
        return error;
    scalars_to(out, &s);
    if ((error = decode_arrays(out, p + sizeof(s))) < 0)
        btk_proc_result_clear(out);
    return error;
}

bool btk_wire_frame_complete(const void *data, size_t len)
{
    wire_head h;

    if (len < sizeof(h))
        return false;
    memcpy(&h, data, sizeof(h));
    return h.payload_len <= len - sizeof(h);
}

int btk_wire_decode(btk_wire_kind *kind_out, btk_proc_result *out, char *msg, size_t msg_len,
                    const void *data, size_t len)
{
    const unsigned char *p = data;
    wire_head h;

    memset(out, 0, sizeof(*out));
    if (len < sizeof(h))
        return bad("truncated header");
    memcpy(&h, p, sizeof(h));
    if (h.magic != WIRE_MAGIC || h.version != WIRE_VERSION)
        return bad("bad magic or version");
    if (h.payload_len != len - sizeof(h))
        return bad("length prefix does not match the data received");
    *kind_out = (btk_wire_kind)h.kind;
    if (h.kind == BTK_WIRE_RESULT)
        return decode_result(out, p + sizeof(h), len - sizeof(h));
    if (h.kind != BTK_WIRE_ERROR || h.payload_len != 256)
        return bad("unknown frame kind");
    if (msg_len > 0)
        snprintf(msg, msg_len, "%.*s", 255, (const char *)(p + sizeof(h)));
    return 0;
}

static void write_all(int fd, const char *p, size_t len)
{
    ssize_t n;

    while (len > 0) {
        n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* the parent is gone or gave up: nothing to report to */
        p += n;
        len -= (size_t)n;
    }
}

int btk_wire_send(int fd, int error, const btk_proc_result *r)
{
    btk_buf frame = BTK_BUF_INIT;

    if (error < 0)
        error = btk_wire_encode_error(&frame, btk_error_last()->message);
    else
        error = btk_wire_encode_result(&frame, r);
    fflush(stdout);
    fflush(stderr);
    if (error == 0)
        write_all(fd, frame.ptr, frame.len);
    btk_buf_free(&frame);
    close(fd);
    return error;
}
