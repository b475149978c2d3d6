/* Tests of the acknowledgements table (store.c, store_sqlite_ack.c; schema v4): round
 * trips with hostile text, the replace-on-same-pair rule, bad input, a v1 database read
 * without the table and migrated by a writing open to the current version, and allocation
 * failures. */
#include "check.h"
#include "store.h"
#include "store_sqlite.h"

static const char *const SHA_A = "0123456789abcdef0123456789abcdef01234567";
static const char *const SHA_B = "e5ab34268cc252398dcd82b900dc169a8520c7de";

static char *in_dir(const char *dir, const char *name)
{
    static char buf[4096];

    snprintf(buf, sizeof(buf), "%s/%s", dir, name);
    return buf;
}

static void acks__add_list_remove_round_trip(void **state)
{
    char *dir = test_tmpdir("ack");
    const char *note = "expected: <b>'new'\n\"checks\"</b>; DROP TABLE acks; --";
    btk_store *db = NULL;
    btk_ack *acks = NULL;
    size_t count = 0;
    int64_t id1 = 0, id2 = 0, id3 = 0;

    (void)state;
    assert_int_equal(btk_store_open(&db, in_dir(dir, "a.db"), 0), 0);
    assert_int_equal(btk_store_list_acks(&acks, &count, db), 0);
    assert_int_equal(count, 0);
    assert_null(acks);
    assert_int_equal(btk_store_add_ack(db, SHA_A, "sort/*", note, &id1), 0);
    assert_int_equal(btk_store_add_ack(db, SHA_B, "x'y\"z", "", &id2), 0);
    assert_true(id1 > 0 && id2 > id1);
    /* the same (commit, glob) again: one row, the new note, the same id */
    assert_int_equal(btk_store_add_ack(db, SHA_A, "sort/*", "second note", &id3), 0);
    assert_int_equal(id3, id1);
    assert_int_equal(btk_store_list_acks(&acks, &count, db), 0);
    assert_int_equal(count, 2);
    assert_int_equal(acks[0].id, id1);
    assert_string_equal(acks[0].sha, SHA_A);
    assert_string_equal(acks[0].glob, "sort/*");
    assert_string_equal(acks[0].note, "second note");
    assert_true(acks[0].created > 1700000000);
    assert_string_equal(acks[1].glob, "x'y\"z");
    assert_string_equal(acks[1].note, "");
    btk_acks_free(acks, count);
    /* the hostile note is stored verbatim */
    assert_int_equal(btk_store_add_ack(db, SHA_B, "other", note, &id3), 0);
    assert_int_equal(btk_store_list_acks(&acks, &count, db), 0);
    assert_int_equal(count, 3);
    assert_string_equal(acks[2].note, note);
    btk_acks_free(acks, count);
    assert_int_equal(btk_store_remove_ack(db, id1), 0);
    assert_int_equal(btk_store_remove_ack(db, id1), BTK_ENOTFOUND);
    assert_string_equal(btk_error_last()->message, "no acknowledgement #1");
    assert_int_equal(btk_store_list_acks(&acks, &count, db), 0);
    assert_int_equal(count, 2);
    assert_int_equal(acks[0].id, id2);
    btk_acks_free(acks, count);
    btk_store_close(db);
    test_rmtree(dir);
}

static void acks__bad_input_is_einval_with_message(void **state)
{
    char *dir = test_tmpdir("ackbad");
    static const char *const shas[] = {"0123", "0123456789ABCDEF0123456789abcdef01234567",
                                       "0123456789abcdef0123456789abcdef0123456g",
                                       "0123456789abcdef0123456789abcdef012345678"};
    btk_store *db = NULL;
    btk_ack *acks = NULL;
    size_t count = 0, i;
    int64_t id = 0;

    (void)state;
    assert_int_equal(btk_store_open(&db, in_dir(dir, "a.db"), 0), 0);
    for (i = 0; i < sizeof(shas) / sizeof(shas[0]); i++)
        assert_int_equal(btk_store_add_ack(db, shas[i], "x", "n", &id), BTK_EINVAL);
    assert_int_equal(btk_store_add_ack(db, SHA_A, "", "n", &id), BTK_EINVAL);
    assert_string_equal(
        btk_error_last()->message,
        "an acknowledgement needs a full commit sha, a non-empty benchmark "
        "glob and a note");
    assert_int_equal(btk_store_list_acks(&acks, &count, db), 0);
    assert_int_equal(count, 0);
    btk_store_close(db);
    test_rmtree(dir);
}

/* tests/data/db/v1.sql: read-only it has no acks (and no table for them); a writing open
 * migrates it to the current version, after which acks are stored. */
static void acks__v1_database_reads_none_and_migrates(void **state)
{
    char *dir = test_tmpdir("ackv1"), path[4096], src[4096], *sql;
    const char *root = getenv("BTK_SOURCE_DIR");
    sqlite3 *c = NULL;
    btk_store *db = NULL;
    btk_ack *acks = NULL;
    size_t count = 0;
    int64_t id = 0;

    (void)state;
    snprintf(path, sizeof(path), "%s", in_dir(dir, "v1.db"));
    snprintf(src, sizeof(src), "%s/tests/data/db/v1.sql", root ? root : "..");
    assert_non_null(sql = test_read_file(src, NULL));
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);
    free(sql);
    assert_int_equal(btk_store_open(&db, path, BTK_STORE_READONLY), 0);
    assert_int_equal(btk_sqlite__of(db)->version, 1);
    assert_int_equal(btk_store_list_acks(&acks, &count, db), 0);
    assert_int_equal(count, 0);
    btk_store_close(db);
    assert_int_equal(btk_store_open(&db, path, 0), 0);
    assert_int_equal(btk_sqlite__of(db)->version, BTK_STORE_SCHEMA_VERSION);
    assert_int_equal(btk_store_add_ack(db, SHA_A, "*", "all", &id), 0);
    assert_int_equal(btk_store_list_acks(&acks, &count, db), 0);
    assert_int_equal(count, 1);
    btk_acks_free(acks, count);
    btk_store_close(db);
    test_rmtree(dir);
}

static void acks__allocation_failures_are_clean(void **state)
{
    char *dir = test_tmpdir("ackfault");
    btk_store *db = NULL;
    btk_ack *acks = NULL;
    size_t count = 0;
    int64_t id = 0;
    long n;
    int error;

    (void)state;
    assert_int_equal(btk_store_open(&db, in_dir(dir, "a.db"), 0), 0);
    assert_int_equal(btk_store_add_ack(db, SHA_A, "a*", "one", &id), 0);
    assert_int_equal(btk_store_add_ack(db, SHA_B, "b*", "two", &id), 0);
    for (n = 0;; n++) {
        btk__alloc_fail_after(n);
        error = btk_store_list_acks(&acks, &count, db);
        btk__alloc_fail_after(-1);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
        assert_null(acks);
        assert_int_equal(count, 0);
    }
    assert_true(n >= 4); /* two rows, each a slot, a glob and a note */
    assert_int_equal(count, 2);
    assert_string_equal(acks[1].note, "two");
    btk_acks_free(acks, count);
    btk_store_close(db);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(acks__add_list_remove_round_trip),
        cmocka_unit_test(acks__bad_input_is_einval_with_message),
        cmocka_unit_test(acks__v1_database_reads_none_and_migrates),
        cmocka_unit_test(acks__allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
