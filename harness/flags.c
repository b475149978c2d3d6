/*
 * Parsing the benchmark binary's flags. Every flag is a row of one table: its name, kind,
 * accepted range and where the value goes, so parsing, range checks and error messages are
 * uniform. "--flag=value" and "--flag value" are both accepted; boolean flags take no value.
 */
#include "flags.h"

#include "pin.h"
#include "wire.h"

#include <math.h>

typedef enum kind { K_BOOL, K_UINT, K_INT, K_DOUBLE, K_STRING, K_FORMAT, K_MEASURE } kind;

typedef struct flag {
    const char *name;
    kind kind;
    double lo, hi;  /* inclusive range for numbers */
    size_t offset;  /* into btk_main_options */
} flag;

#define OFF(field) offsetof(btk_main_options, field)

static const flag flags[] = {
    {"help", K_BOOL, 0, 0, OFF(help)},
    {"version", K_BOOL, 0, 0, OFF(version)},
    {"list", K_BOOL, 0, 0, OFF(list)},
    {"no-fork", K_BOOL, 0, 0, OFF(runner.no_fork)},
    {"no-memtrack", K_BOOL, 0, 0, OFF(runner.run.memtrack)},
    {"format", K_FORMAT, 0, 0, OFF(format)},
    {"measure", K_MEASURE, 0, 0, OFF(runner.measure)},
    {"cache-sim", K_BOOL, 0, 0, OFF(runner.cache_sim)},
    {"out", K_STRING, 0, 0, OFF(out_path)},
    {"filter", K_STRING, 0, 0, OFF(filter)},
    {"processes", K_UINT, 1, BTK_RUNNER_MAX_PROCESSES, OFF(runner.processes)},
    {"cpu", K_INT, -1, BTK_PIN_MAX_CPUS - 1, OFF(runner.cpu)},
    {"time-budget", K_DOUBLE, 0.001, 3600000, OFF(runner.run.time_budget_ms)},
    {"min-samples", K_UINT, 1, BTK_WIRE_MAX_SAMPLES, OFF(runner.run.min_samples)},
    {"max-samples", K_UINT, 1, BTK_WIRE_MAX_SAMPLES, OFF(runner.run.max_samples)},
    {"precision", K_DOUBLE, 0.000001, 0.99, OFF(runner.run.precision)},
    {"timeout", K_DOUBLE, 1, 86400000, OFF(runner.run.timeout_ms)},
    {"warmup", K_DOUBLE, 0, 3600000, OFF(runner.run.warmup_ms)},
    {"sample-time", K_DOUBLE, 1, 1000000, OFF(runner.run.sample_us)},
    {"step-fd", K_INT, 0, 1048575, OFF(step_fd)},
};

static const flag *find_flag(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < BTK_ARRAY_SIZE(flags); i++)
        if (strlen(flags[i].name) == len && strncmp(flags[i].name, name, len) == 0)
            return &flags[i];
    return NULL;
}

/* Parse value as a finite number within f's range into *out. */
static int parse_number(const flag *f, const char *value, double *out)
{
    char qv[80];
    char *end;
    double v;

    btk_error_quote(qv, sizeof(qv), value);
    errno = 0;
    v = strtod(value, &end);
    if (!btk__is_plain_decimal(value, true) || end == value || *end != '\0' || errno == ERANGE ||
        !isfinite(v))
        return btk_error_set(BTK_EINVAL, "invalid value '%s' for '--%s': not a number", qv,
                             f->name);
    if (f->kind != K_DOUBLE && v != floor(v))
        return btk_error_set(BTK_EINVAL, "invalid value '%s' for '--%s': not an integer",
                             qv, f->name);
    if (v < f->lo || v > f->hi)
        return btk_error_set(BTK_EINVAL, "value '%s' for '--%s' is out of range (%g..%g)",
                             qv, f->name, f->lo, f->hi);
    *out = v;
    return 0;
}

static int set_value(btk_main_options *o, const flag *f, const char *value)
{
    char *field = (char *)o + f->offset, qv[80];
    double v = 0;
    int error;

    if (f->kind == K_STRING) {
        if (*value == '\0')
            return btk_error_set(BTK_EINVAL, "option '--%s' needs a value", f->name);
        *(const char **)field = value;
        return 0;
    }
    if (f->kind == K_FORMAT) {
        if (strcmp(value, "console") == 0 || strcmp(value, "json") == 0) {
            o->format = value[0] == 'j' ? BTK_FORMAT_JSON : BTK_FORMAT_CONSOLE;
            return 0;
        }
        return btk_error_set(BTK_EINVAL, "unknown format '%s' for '--format' (console or json)",
                             btk_error_quote(qv, sizeof(qv), value));
    }
    if (f->kind == K_MEASURE) {
        if (btk_count_measure_parse(&o->runner.measure, value))
            return 0;
        return btk_error_set(BTK_EINVAL, "unknown measure '%s' for '--measure' (time, "
                                         "instructions or perf-instructions)",
                             btk_error_quote(qv, sizeof(qv), value));
    }
    if ((error = parse_number(f, value, &v)) < 0)
        return error;
    if (f->kind == K_UINT)
        *(unsigned *)field = (unsigned)v;
    else if (f->kind == K_INT)
        *(int *)field = (int)v;
    else
        *(double *)field = v;
    return 0;
}

static void set_bool(btk_main_options *o, const flag *f)
{
    /* --no-memtrack clears the memtrack switch; every other boolean flag sets its own */
    *(bool *)((char *)o + f->offset) = f->offset != OFF(runner.run.memtrack);
}

/* Handle argv[*i]; advances *i past a separate value. */
static int parse_one(btk_main_options *o, int argc, char **argv, int *i)
{
    const char *arg = argv[*i], *name, *eq, *value;
    const flag *f;
    char qa[80];

    if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0')
        return btk_error_set(BTK_EINVAL, "unexpected argument '%s' (flags start with --)",
                             btk_error_quote(qa, sizeof(qa), arg));
    name = arg + 2;
    eq = strchr(name, '=');
    if ((f = find_flag(name, eq ? (size_t)(eq - name) : strlen(name))) == NULL)
        return btk_error_set(BTK_EINVAL, "unknown option '%s' (see --help)",
                             btk_error_quote(qa, sizeof(qa), arg));
    if (f->kind == K_BOOL) {
        if (eq != NULL)
            return btk_error_set(BTK_EINVAL, "option '--%s' takes no value", f->name);
        set_bool(o, f);
        return 0;
    }
    if (eq != NULL)
        value = eq + 1;
    else if (*i + 1 < argc)
        value = argv[++*i];
    else
        return btk_error_set(BTK_EINVAL, "option '--%s' needs a value", f->name);
    return set_value(o, f, value);
}

/* The counting modes' rules: at least two processes (default 2), each a fresh counted
 * process (no --no-fork); --cache-sim only with callgrind. Fills the default processes. */
static int check_counting(btk_runner_options *r)
{
    const char *m = btk_count_measure_name(r->measure);

    if (r->cache_sim && r->measure != BTK_MEASURE_INSTRUCTIONS)
        return btk_error_set(BTK_EINVAL, "--cache-sim needs --measure instructions");
    if (r->measure == BTK_MEASURE_TIME) {
        r->processes = r->processes ? r->processes : 1;
        return 0;
    }
    if (r->no_fork)
        return btk_error_set(BTK_EINVAL, "--no-fork cannot be used with --measure %s "
                                         "(each count is a fresh process)", m);
    if (r->processes == 1)
        return btk_error_set(BTK_EINVAL, "--measure %s needs --processes 2 or more (counts "
                                         "are compared across processes)", m);
    r->processes = r->processes ? r->processes : 2;
    return 0;
}

int btk_flags_parse(btk_main_options *out, int argc, char **argv)
{
    int i, error;

    memset(out, 0, sizeof(*out));
    btk_run_options_default(&out->runner.run);
    if (out->runner.run.timeout_ms <= 0)
        out->runner.run.timeout_ms = BTK_RUNNER_DEFAULT_TIMEOUT_MS;
    out->runner.processes = 0; /* 0: not given */
    out->runner.cpu = -1;
    out->step_fd = -1;
    for (i = 1; i < argc; i++)
        if ((error = parse_one(out, argc, argv, &i)) < 0)
            return error;
    if ((error = check_counting(&out->runner)) < 0)
        return error;
    if (out->runner.run.min_samples > out->runner.run.max_samples &&
        out->runner.run.max_samples > 0)
        return btk_error_set(BTK_EINVAL, "--min-samples (%u) is larger than --max-samples (%u)",
                             out->runner.run.min_samples, out->runner.run.max_samples);
    /* "-" is not standard output here: a file of that name would surprise (and --format
     * json already writes the document to standard output) */
    if (out->out_path != NULL && strcmp(out->out_path, "-") == 0)
        return btk_error_set(BTK_EINVAL, "--out takes a file name, not '-': for the JSON on "
                                         "standard output use --format json (a file named "
                                         "'-' is --out ./-)");
    return 0;
}

void btk_flags_usage(FILE *f, const char *argv0)
{
    btk_run_options d;

    btk_run_options_default(&d);
    fprintf(f,
            "usage: %s [options]\n"
            "Run the benchmarks in this binary; see docs/benchmark-binary.md.\n\n"
            "  --list                 list benchmark names and exit\n"
            "  --filter PATTERNS      comma-separated globs matched against the full name\n"
            "                         or the family; a pattern starting with - excludes\n"
            "  --format console|json  format of stdout (default console)\n"
            "  --out FILE             also write the JSON document to FILE\n"
            "  --processes K          fresh processes per benchmark (default 1)\n"
            "  --cpu N                pin benchmark processes to CPU N (default: automatic)\n"
            "  --no-fork              run in this process (no isolation, no timeout)\n"
            "  --time-budget MS       wall time per benchmark per process: setup, warm-up,\n"
            "                         samples, counting (default %g)\n"
            "  --warmup MS            warm-up time, at most budget/10 (default %g)\n"
            "  --sample-time US       a sample's length, at least (default %g)\n"
            "  --min-samples N        at least N samples (default %u)\n"
            "  --max-samples N        at most N samples (default %u)\n"
            "  --precision X          stop at this relative CI half-width (default %g)\n"
            "  --timeout MS           kill a benchmark process after MS (default %g)\n"
            "  --no-memtrack          do not count allocations\n"
            "  --measure WHAT         time (default), instructions (under callgrind) or\n"
            "                         perf-instructions; counting runs 2 processes\n"
            "  --cache-sim            with --measure instructions: L1 and LL misses too\n"
            "  --step-fd N            run each benchmark process when the controller on\n"
            "                         socket N says so (benchtrack ab; step protocol 1)\n"
            "  --help, --version      this text / the library version\n",
            argv0, d.time_budget_ms, d.warmup_ms, d.sample_us, d.min_samples, d.max_samples,
            d.precision, d.timeout_ms > 0 ? d.timeout_ms : BTK_RUNNER_DEFAULT_TIMEOUT_MS);
}
