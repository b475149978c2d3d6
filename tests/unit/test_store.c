/* Tests of the results database: round trips of imported and synthetic runs, hostile
 * names, schema version handling, bad files, locking, and history/log queries. */
#include "check.h"
#include "import.h"
#include "store.h"
#include "store_int.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

static char *data_path(const char *rel)
{
    const char *src = getenv("BTK_SOURCE_DIR");
    static char buf[4096];

    snprintf(buf, sizeof(buf), "%s/tests/data/%s", src ? src : "..", rel);
    return buf;
}

static char *db_in(const char *dir, const char *name)
{
    static char buf[4096];

    snprintf(buf, sizeof(buf), "%s/%s", dir, name);
    return buf;
}

static void store__roundtrip_keeps_every_field(void **state)
{
    char *dir = test_tmpdir("store");
    btk_store *db = NULL;
    btk_run *in = NULL, *out = NULL;
    const btk_result *r;
    int64_t id = 0;

    (void)state;
    assert_int_equal(btk_import_file(&in, data_path("json/valid/full.json")), 0);
    snprintf(in->commit.sha, sizeof(in->commit.sha), "%s",
             "0123456789abcdef0123456789abcdef01234567");
    in->commit.branch = strdup("main");
    in->commit.time = 1700000000;
    in->commit.subject = strdup("subject");
    assert_int_equal(btk_store_open(&db, db_in(dir, "r.db"), 0), 0);
    assert_int_equal(btk_store_add_run(db, in, &id), 0);
    assert_true(id > 0);
    assert_int_equal(btk_store_load_run(&out, db, id, true), 0);
    assert_string_equal(out->commit.sha, in->commit.sha);
    assert_string_equal(out->commit.branch, "main");
    assert_string_equal(out->machine.fingerprint, in->machine.fingerprint);
    assert_string_equal(out->machine.cpu_model, "Intel(R) Xeon(R) CPU @ 2.30GHz");
    assert_string_equal(out->compiler, "GCC 12.2.0");
    assert_int_equal(out->warning_count, 2);
    assert_string_equal(out->warnings[0], "vm: running in a virtual machine");
    assert_int_equal(out->result_count, 2);
    r = btk_run_find(out, "sort/1024");
    assert_non_null(r);
    assert_true(r->has_param && r->param == 1024);
    check_near(r->stats.median, 11.0, 1e-12);
    check_near(r->stats.ci_high, 12.0, 1e-12);
    check_near(r->stats.cycles_median, 25.3, 1e-12);
    assert_int_equal(r->stats.outliers_high, 1);
    assert_int_equal(r->proc_count, 2);
    assert_int_equal(r->procs[1].count, 3);
    check_near(r->procs[1].ns[2], 14.0, 0);
    assert_int_equal(r->procs[1].batch[2], 1000);
    assert_int_equal(r->procs[1].peak_rss_bytes, 2101248);
    assert_int_equal(r->counter_count, 2);
    assert_string_equal(r->counters[0].name, "comparisons");
    check_near(r->counters[0].value, 10240.5, 0);
    assert_true(r->memory.tracked);
    check_near(r->memory.bytes_per_iter, 8192.0, 0);
    check_near(r->bytes_per_iter, 4096, 0);
    r = btk_run_find(out, "crashy");
    assert_non_null(r);
    assert_int_equal(r->status, BTK_RESULT_FAILED);
    assert_string_equal(r->error_kind, "signal");
    assert_true(isnan(r->stats.median));
    btk_run_free(out);
    btk_run_free(in);
    btk_store_close(db);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store__roundtrip_keeps_every_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
