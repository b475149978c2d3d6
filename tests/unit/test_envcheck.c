/* Tests of the environment checks (envcheck.c) against fake /proc and /sys trees: each
 * condition gives exactly its warning code, a clean or unreadable tree gives none. */
#include "check.h"
#include "envcheck.h"
#include "registry.h"

#include <sys/stat.h>
#include <unistd.h>

static void put_file(const char *root, const char *path, const char *text)
{
    char full[1024], *slash;
    FILE *f;

    snprintf(full, sizeof(full), "%s%s", root, path);
    for (slash = strchr(full + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(full, 0755);
        *slash = '/';
    }
    f = fopen(full, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *cpuinfo_plain =
    "processor\t: 0\nmodel name\t: Test CPU 9000\nflags\t\t: fpu sse2 avx2\n\n"
    "processor\t: 1\nmodel name\t: Test CPU 9000\nflags\t\t: fpu sse2 avx2\n\n";
static const char *cpuinfo_vm =
    "processor\t: 0\nmodel name\t: Virtual CPU\nflags\t\t: fpu sse2 hypervisor avx2\n\n"
    "processor\t: 1\nmodel name\t: Virtual CPU\nflags\t\t: fpu sse2 hypervisor avx2\n\n";

static char *quiet_tree(void)
{
    char *root = test_tmpdir("envcheck");

    put_file(root, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance\n");
    put_file(root, "/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance\n");
    put_file(root, "/sys/devices/system/cpu/intel_pstate/no_turbo", "1\n");
    put_file(root, "/proc/sys/kernel/randomize_va_space", "0\n");
    put_file(root, "/proc/loadavg", "0.10 0.20 0.30 1/100 4242\n");
    put_file(root, "/proc/cpuinfo", cpuinfo_plain);
    put_file(root, "/etc/os-release", "NAME=Test\nPRETTY_NAME=\"Test OS 1\"\nID=test\n");
    return root;
}

static void clean_input(btk_env_input *in, const char *root)
{
    memset(in, 0, sizeof(*in));
    in->root = root;
    in->optimized = true;
    in->perf_available = true;
    in->memtrack_wanted = true;
    in->memtrack_available = true;
}

/* The codes of r joined by spaces. */
static const char *codes(const btk_env_report *r, char *buf, size_t len)
{
    size_t i, at = 0;

    buf[0] = '\0';
    for (i = 0; i < r->count && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? " " : "", r->warnings[i].code);
    return buf;
}

static void envcheck__quiet_machine_gives_no_warnings(void **state)
{
    char *root = quiet_tree(), buf[256];
    btk_env_input in;
    btk_env_report r;

    (void)state;
    clean_input(&in, root);
    btk_envcheck_run(&r, &in);
    assert_string_equal(codes(&r, buf, sizeof(buf)), "");
    assert_int_equal(r.cpus, 2);
    assert_false(r.hypervisor);
    assert_string_equal(r.cpu_model, "Test CPU 9000");
    assert_string_equal(r.os, "Test OS 1");
    check_near(r.loadavg1, 0.10, 1e-9);
    test_rmtree(root);
}

static void envcheck__noisy_machine_gives_every_code_once(void **state)
{
    char *root = quiet_tree(), buf[256];
    btk_env_input in;
    btk_env_report r;

    (void)state;
    put_file(root, "/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "powersave\n");
    put_file(root, "/sys/devices/system/cpu/intel_pstate/no_turbo", "0\n");
    put_file(root, "/proc/sys/kernel/randomize_va_space", "2\n");
    put_file(root, "/proc/loadavg", "3.50 2.00 1.00 3/200 4242\n");
    put_file(root, "/proc/cpuinfo", cpuinfo_vm);
    clean_input(&in, root);
    in.optimized = false;
    in.assertions = true;
    in.perf_available = false;
    in.perf_reason = "cycles: No such file or directory";
    in.memtrack_available = false;
    in.memtrack_reason = "built with AddressSanitizer";
    btk_envcheck_run(&r, &in);
    assert_string_equal(codes(&r, buf, sizeof(buf)),
                        "governor turbo aslr load vm unoptimized assertions perf memtrack");
    assert_true(r.hypervisor);
    assert_non_null(strstr(r.warnings[0].message, "'powersave' on cpu1"));
    assert_non_null(strstr(r.warnings[3].message, "3.50 on 2 cpus"));
    assert_non_null(strstr(r.warnings[7].message, "cycles: No such file or directory"));
    assert_non_null(strstr(r.warnings[8].message, "AddressSanitizer"));
    test_rmtree(root);
}

/* Without intel_pstate, cpufreq/boost = 1 is turbo; load at exactly half the cpus is not. */
static void envcheck__boost_file_and_load_threshold(void **state)
{
    char *root = quiet_tree(), buf[256];
    btk_env_input in;
    btk_env_report r;

    (void)state;
    put_file(root, "/sys/devices/system/cpu/intel_pstate/no_turbo", "");
    put_file(root, "/sys/devices/system/cpu/cpufreq/boost", "1\n");
    put_file(root, "/proc/loadavg", "1.00 1.00 1.00 1/100 4242\n");
    clean_input(&in, root);
    btk_envcheck_run(&r, &in);
    assert_string_equal(codes(&r, buf, sizeof(buf)), "turbo");
    assert_non_null(strstr(r.warnings[0].message, "cpufreq/boost"));
    test_rmtree(root);
}

/* A tree with nothing readable means "cannot tell": no warnings, cpus from the system. */
static void envcheck__unreadable_tree_warns_nothing(void **state)
{
    char *root = test_tmpdir("envcheck-empty"), buf[256];
    btk_env_input in;
    btk_env_report r;

    (void)state;
    clean_input(&in, root);
    btk_envcheck_run(&r, &in);
    assert_string_equal(codes(&r, buf, sizeof(buf)), "");
    assert_int_equal(r.cpus, (int)sysconf(_SC_NPROCESSORS_ONLN)); /* no cpuinfo: online */
    assert_true(r.loadavg1 < 0);
    test_rmtree(root);
}

/* --no-memtrack: allocation counting was not wanted, so its absence is no warning. */
static void envcheck__memtrack_off_by_flag_is_silent(void **state)
{
    char *root = quiet_tree(), buf[256];
    btk_env_input in;
    btk_env_report r;

    (void)state;
    clean_input(&in, root);
    in.memtrack_wanted = false;
    in.memtrack_available = false;
    btk_envcheck_run(&r, &in);
    assert_string_equal(codes(&r, buf, sizeof(buf)), "");
    test_rmtree(root);
}

/* Untrusted file contents are quoted; a code is added once; print prefixes every line. */
static void envcheck__quotes_values_and_prints_each_once(void **state)
{
    char *root = quiet_tree(), *text = NULL;
    size_t len = 0;
    btk_env_input in;
    btk_env_report r;
    FILE *f;

    (void)state;
    put_file(root, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "od\x1b[31m\n");
    clean_input(&in, root);
    btk_envcheck_run(&r, &in);
    assert_int_equal(r.count, 1);
    assert_non_null(strstr(r.warnings[0].message, "'od\\x1b[31m'"));
    btk_envcheck_add(&r, "governor", "again");
    btk_envcheck_add(&r, "pin", "cannot pin");
    assert_int_equal(r.count, 2);
    assert_true(btk_envcheck_has(&r, "pin"));
    assert_false(btk_envcheck_has(&r, "vm"));
    f = open_memstream(&text, &len);
    btk_envcheck_print(&r, 1, f);
    fclose(f);
    assert_string_equal(text, "benchtrack: warning: cannot pin\n");
    free(text);
    test_rmtree(root);
}

/* A message longer than its 255 characters is cut and ends in "..." (the cut shows); one
 * that fits is kept whole. */
static void envcheck__long_message_shows_its_cut(void **state)
{
    btk_env_report r;
    char name[400];

    (void)state;
    memset(&r, 0, sizeof(r));
    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    btk_envcheck_add(&r, "levels", "1 benchmark: %s", name);
    btk_envcheck_add(&r, "pin", "%.*s", 255, name);
    assert_int_equal(r.count, 2);
    assert_int_equal(strlen(r.warnings[0].message), 255);
    assert_memory_equal(r.warnings[0].message, "1 benchmark: xxx", 16);
    assert_string_equal(r.warnings[0].message + 252, "...");
    assert_int_equal(strlen(r.warnings[1].message), 255);
    assert_null(strchr(r.warnings[1].message, '.'));
}

static void instance(btk_instance *inst, btk_bench_options *opts, const char *family,
                     unsigned build)
{
    memset(inst, 0, sizeof(*inst));
    memset(opts, 0, sizeof(*opts));
    opts->build = build;
    opts->compiler = "TestCC 1.0";
    inst->family = family;
    inst->opts = opts;
}

/* The build warnings describe the benchmarks' own files: families compiled without
 * optimization or with assertions are named once each; unrecorded ones are ignored. */
static void envcheck__build_flags_come_from_the_benchmarks(void **state)
{
    const unsigned ok = BTK_BUILD_KNOWN | BTK_BUILD_OPTIMIZED;
    btk_bench_options opts[5];
    btk_instance insts[5];
    btk_env_input in;

    (void)state;
    instance(&insts[0], &opts[0], "fast", ok);
    instance(&insts[1], &opts[1], "slow", BTK_BUILD_KNOWN | BTK_BUILD_ASSERTS);
    instance(&insts[2], &opts[2], "slow", BTK_BUILD_KNOWN | BTK_BUILD_ASSERTS);
    instance(&insts[3], &opts[3], "checked", ok | BTK_BUILD_ASSERTS);
    instance(&insts[4], &opts[4], "unknown", 0);
    memset(&in, 0, sizeof(in));
    btk_envcheck_build_from(&in, insts, 5);
    assert_false(in.optimized);
    assert_true(in.assertions);
    assert_string_equal(in.compiler, "TestCC 1.0");
    assert_string_equal(in.unoptimized_names, "slow");
    assert_string_equal(in.assertion_names, "slow, checked");

    btk_envcheck_build_from(&in, insts, 1);
    assert_true(in.optimized);
    assert_false(in.assertions);
    assert_string_equal(in.unoptimized_names, "");
}

/* Many unoptimized families end the list with "..." instead of overflowing it. */
static void envcheck__long_name_lists_are_cut(void **state)
{
    static char names[40][16];
    btk_bench_options opts[40];
    btk_instance insts[40];
    btk_env_input in;
    size_t i;

    (void)state;
    for (i = 0; i < 40; i++) {
        snprintf(names[i], sizeof(names[i]), "family_%02zu", i);
        instance(&insts[i], &opts[i], names[i], BTK_BUILD_KNOWN);
    }
    memset(&in, 0, sizeof(in));
    btk_envcheck_build_from(&in, insts, 40);
    assert_true(strlen(in.unoptimized_names) < sizeof(in.unoptimized_names));
    assert_non_null(strstr(in.unoptimized_names, "family_00, family_01"));
    assert_non_null(strstr(in.unoptimized_names, "..."));
    assert_null(strstr(in.unoptimized_names, "family_39"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(envcheck__quiet_machine_gives_no_warnings),
        cmocka_unit_test(envcheck__long_message_shows_its_cut),
        cmocka_unit_test(envcheck__noisy_machine_gives_every_code_once),
        cmocka_unit_test(envcheck__boost_file_and_load_threshold),
        cmocka_unit_test(envcheck__unreadable_tree_warns_nothing),
        cmocka_unit_test(envcheck__memtrack_off_by_flag_is_silent),
        cmocka_unit_test(envcheck__quotes_values_and_prints_each_once),
        cmocka_unit_test(envcheck__build_flags_come_from_the_benchmarks),
        cmocka_unit_test(envcheck__long_name_lists_are_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
