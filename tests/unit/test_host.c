/* Tests of host detection (host.c): the uname fields and the online CPU count against the
 * system's own answers computed here, the cpuinfo count against the file read here, and
 * the parsing rules against fake /proc and /etc trees. */
#include "check.h"
#include "host.h"

#include <sched.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static void put_file(const char *root, const char *path, const char *text)
{
    char full[1024], *slash;
    FILE *f;

    snprintf(full, sizeof(full), "%s%s", root, path);
    for (slash = strchr(full + strlen(root) + 1, '/'); slash;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(full, 0755);
        *slash = '/';
    }
    f = fopen(full, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void host__uname_fields_are_unames(void **state)
{
    struct utsname u;
    char kernel[300];
    btk_host h;

    (void)state;
    assert_int_equal(uname(&u), 0);
    snprintf(kernel, sizeof(kernel), "%s %s", u.sysname, u.release);
    btk_host_detect(&h, NULL);
    assert_string_equal(h.hostname, u.nodename);
    assert_string_equal(h.arch, u.machine);
    assert_string_equal(h.kernel, kernel);
}

/* Count the CPUs of a list like "0-3,8,10-11" (the format of /sys/.../cpu/online). */
static int count_cpu_list(const char *s)
{
    long lo, hi;
    char *end;
    int n = 0;

    while (*s) {
        lo = hi = strtol(s, &end, 10);
        if (*end == '-')
            hi = strtol(end + 1, &end, 10);
        n += (int)(hi - lo + 1);
        s = *end == ',' ? end + 1 : end;
        if (*s == '\n')
            break;
    }
    return n;
}

/* cpus_online is sysconf's online count, which is the kernel's online list; the CPUs this
 * process may use (affinity) are a subset of it, not its definition. */
static void host__cpus_online_is_sysconf_online(void **state)
{
    char *online = test_read_file("/sys/devices/system/cpu/online", NULL);
    cpu_set_t set;
    btk_host h;

    (void)state;
    btk_host_detect(&h, NULL);
    assert_int_equal(h.cpus_online, (int)sysconf(_SC_NPROCESSORS_ONLN));
    assert_true(h.cpus_online >= 1);
    if (online != NULL)
        assert_int_equal(h.cpus_online, count_cpu_list(online));
    free(online);
    if (sched_getaffinity(0, sizeof(set), &set) == 0)
        assert_true(CPU_COUNT(&set) <= h.cpus_online);
}

/* cpus_listed counts the "processor<blanks>:" lines of the real /proc/cpuinfo. */
static void host__cpus_listed_counts_real_cpuinfo(void **state)
{
    char *text = test_read_file("/proc/cpuinfo", NULL), *line, *save = NULL;
    int expected = 0;
    btk_host h;

    (void)state;
    if (text == NULL)
        skip();
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (strncmp(line, "processor", 9) == 0 &&
            line[9 + strspn(line + 9, " \t")] == ':')
            expected++;
    free(text);
    btk_host_detect(&h, NULL);
    assert_int_equal(h.cpus_listed, expected);
}

static void host__reads_a_fake_tree(void **state)
{
    char *root = test_tmpdir("host"), cpuinfo[4096], flags[1024] = "";
    btk_host h;
    int i;

    (void)state;
    /* the hypervisor flag far beyond byte 511 of the line still counts */
    for (i = 0; i < 100; i++)
        snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), "flag%02d ", i);
    snprintf(cpuinfo, sizeof(cpuinfo),
             "processor\t: 0\nmodel name\t: Test CPU 9000\nflags\t\t: %shypervisor\n\n"
             "processor\t: 1\nmodel name\t: Other CPU\n\nprocessor\t: 2\n",
             flags);
    put_file(root, "/proc/cpuinfo", cpuinfo);
    put_file(root, "/etc/os-release", "NAME=Test\nPRETTY_NAME=\"Test OS 1\"\nID=test\n");
    btk_host_detect(&h, root);
    assert_int_equal(h.cpus_listed, 3);
    assert_string_equal(h.cpu_model, "Test CPU 9000"); /* the first one */
    assert_true(h.hypervisor);
    assert_string_equal(h.os, "Test OS 1");
    test_rmtree(root);
}

/* "hypervisor" must be a whole flag; aarch64 has "CPU part" instead of a model name; an
 * unquoted PRETTY_NAME is taken to the end of its line. */
static void host__parsing_rules(void **state)
{
    char *root = test_tmpdir("host-rules");
    btk_host h;

    (void)state;
    put_file(root, "/proc/cpuinfo",
             "processor\t: 0\nFeatures\t: fp asimd\nCPU part\t: 0xd0c\n"
             "flags\t\t: fpu hypervisorx xhypervisor\n");
    put_file(root, "/etc/os-release", "PRETTY_NAME=Plain Name\nNAME=x\n");
    btk_host_detect(&h, root);
    assert_int_equal(h.cpus_listed, 1);
    assert_string_equal(h.cpu_model, "0xd0c");
    assert_false(h.hypervisor);
    assert_string_equal(h.os, "Plain Name");
    test_rmtree(root);
}

/* Nothing readable: the file facts stay unknown, uname and sysconf still answer. */
static void host__unreadable_tree_leaves_file_facts_unknown(void **state)
{
    char *root = test_tmpdir("host-empty");
    btk_host h;

    (void)state;
    btk_host_detect(&h, root);
    assert_int_equal(h.cpus_listed, 0);
    assert_string_equal(h.cpu_model, "");
    assert_string_equal(h.os, "");
    assert_false(h.hypervisor);
    assert_true(h.cpus_online >= 1);
    assert_true(h.arch[0] != '\0');
    test_rmtree(root);
}

static void read__cuts_trailing_whitespace_and_fits_the_buffer(void **state)
{
    char *root = test_tmpdir("host-read"), buf[8];

    (void)state;
    put_file(root, "/a", "1 \n\n");
    put_file(root, "/long", "0123456789");
    assert_true(btk_host_read(root, "/a", buf, sizeof(buf)));
    assert_string_equal(buf, "1");
    assert_true(btk_host_read(root, "/long", buf, sizeof(buf)));
    assert_string_equal(buf, "0123456");
    assert_false(btk_host_read(root, "/missing", buf, sizeof(buf)));
    test_rmtree(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(host__uname_fields_are_unames),
        cmocka_unit_test(host__cpus_online_is_sysconf_online),
        cmocka_unit_test(host__cpus_listed_counts_real_cpuinfo),
        cmocka_unit_test(host__reads_a_fake_tree),
        cmocka_unit_test(host__parsing_rules),
        cmocka_unit_test(host__unreadable_tree_leaves_file_facts_unknown),
        cmocka_unit_test(read__cuts_trailing_whitespace_and_fits_the_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
