/* Tests of the shared base: error record, quoting of untrusted values, the capped buffer,
 * the allocator's fault injection and FNV-1a. */
#include "check.h"
#include "internal.h"
#include <string.h>
#include <unistd.h>

static void error__set_returns_code_and_keeps_message(void **state)
{
    (void)state;
    assert_int_equal(btk_error_set(BTK_EIO, "cannot open '%s'", "x.db"), BTK_EIO);
    assert_int_equal(btk_error_last()->code, BTK_EIO);
    assert_string_equal(btk_error_last()->message, "cannot open 'x.db'");
    btk_error_clear();
    assert_int_equal(btk_error_last()->code, BTK_OK);
    assert_string_equal(btk_error_last()->message, "");
}

static void quote__escapes_control_chars_and_quotes(void **state)
{
    char out[64];

    (void)state;
    assert_string_equal(btk_error_quote(out, sizeof(out), "a'b\nc\x01"), "a\\'b\\nc\\x01");
}

static void quote__truncates_long_values_with_ellipsis(void **state)
{
    char out[16];
    char longname[100];

    (void)state;
    memset(longname, 'x', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    btk_error_quote(out, sizeof(out), longname);
    assert_true(strlen(out) < sizeof(out));
    assert_non_null(strstr(out, "..."));
}

static void buf__printf_appends_and_grows(void **state)
{
    btk_buf b = BTK_BUF_INIT;
    int i;

    (void)state;
    assert_string_equal(btk_buf_cstr(&b), "");
    for (i = 0; i < 1000; i++)
        assert_int_equal(btk_buf_printf(&b, "%d,", i), 0);
    assert_int_equal(strncmp(btk_buf_cstr(&b), "0,1,2,", 6), 0);
    assert_int_equal(b.len, strlen(btk_buf_cstr(&b)));
    btk_buf_free(&b);
}

static void buf__refuses_to_pass_its_cap(void **state)
{
    btk_buf b = BTK_BUF_INIT;

    (void)state;
    b.max = 8;
    assert_int_equal(btk_buf_puts(&b, "12345678"), 0);
    assert_int_equal(btk_buf_puts(&b, "9"), BTK_ENOMEM);
    assert_string_equal(btk_buf_cstr(&b), "12345678");
    btk_buf_free(&b);
}

static void alloc__fault_injection_fails_nth_allocation(void **state)
{
    void *a, *b;

    (void)state;
    btk__alloc_fail_after(1);
    a = btk__malloc(16);
    b = btk__malloc(16);
    btk__alloc_fail_after(-1);
    assert_non_null(a);
    assert_null(b);
    assert_int_equal(btk_error_last()->code, BTK_ENOMEM);
    btk__free(a);
}

static void buf__survives_every_allocation_failure(void **state)
{
    long n;

    (void)state;
    for (n = 0;; n++) {
        btk_buf b = BTK_BUF_INIT;
        int error = 0, i;

        btk__alloc_fail_after(n);
        for (i = 0; i < 200 && error == 0; i++)
            error = btk_buf_printf(&b, "%08d", i);
        btk__alloc_fail_after(-1);
        btk_buf_free(&b);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
    }
    assert_true(n > 0);
}

/* The published FNV-1a 64-bit test vectors (offset basis for "", "a", "foobar"). */
static void hash__fnv1a_matches_reference_vectors(void **state)
{
    (void)state;
    assert_true(btk__fnv1a(BTK_FNV1A_INIT, NULL, 0) == 0xcbf29ce484222325ULL);
    assert_true(btk__fnv1a(BTK_FNV1A_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(btk__fnv1a(BTK_FNV1A_INIT, "foobar", 6) == 0x85944171f73967e8ULL);
}

/* Hashing in pieces is hashing the whole: the fingerprint feeds fields one at a time. */
static void hash__fnv1a_continues_across_calls(void **state)
{
    uint64_t h;

    (void)state;
    h = btk__fnv1a(BTK_FNV1A_INIT, "foo", 3);
    assert_true(btk__fnv1a(h, "bar", 3) == btk__fnv1a(BTK_FNV1A_INIT, "foobar", 6));
    assert_true(btk__fnv1a(h, "", 0) == h);
}

/* A file's identity is the FNV-1a of its bytes (the vectors above), also past the 64 KiB
 * read chunk; a missing file is BTK_EIO naming it and leaves "". */
static void hash__file_id_hashes_the_bytes(void **state)
{
    char path[] = "/tmp/btk-file-id-XXXXXX", id[BTK_FILE_ID_LEN], want[BTK_FILE_ID_LEN];
    static unsigned char big[200000];
    int fd;

    (void)state;
    assert_true((fd = mkstemp(path)) >= 0);
    assert_int_equal(btk__file_id(id, path), 0);
    assert_string_equal(id, "fnv1a64:cbf29ce484222325");
    assert_int_equal(write(fd, "foobar", 6), 6);
    assert_int_equal(btk__file_id(id, path), 0);
    assert_string_equal(id, "fnv1a64:85944171f73967e8");
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (unsigned char)(i * 7u + (i >> 9));
    assert_int_equal(ftruncate(fd, 0), 0);
    assert_int_equal(pwrite(fd, big, sizeof(big), 0), (ssize_t)sizeof(big));
    snprintf(want, sizeof(want), "fnv1a64:%016llx",
             (unsigned long long)btk__fnv1a(BTK_FNV1A_INIT, big, sizeof(big)));
    assert_int_equal(btk__file_id(id, path), 0);
    assert_string_equal(id, want);
    close(fd);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(btk__file_id(id, path), BTK_EIO);
    assert_string_equal(id, "");
    assert_non_null(strstr(btk_error_last()->message, path));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error__set_returns_code_and_keeps_message),
        cmocka_unit_test(quote__escapes_control_chars_and_quotes),
        cmocka_unit_test(quote__truncates_long_values_with_ellipsis),
        cmocka_unit_test(buf__printf_appends_and_grows),
        cmocka_unit_test(buf__refuses_to_pass_its_cap),
        cmocka_unit_test(alloc__fault_injection_fails_nth_allocation),
        cmocka_unit_test(buf__survives_every_allocation_failure),
        cmocka_unit_test(hash__fnv1a_matches_reference_vectors),
        cmocka_unit_test(hash__fnv1a_continues_across_calls),
        cmocka_unit_test(hash__file_id_hashes_the_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
