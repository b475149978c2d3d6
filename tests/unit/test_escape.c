/* Escaping untrusted text for gnuplot, HTML, URLs and file names (compare/report/escape.c). */
#include "escape.h"

#include "check.h"

static char *esc(int (*fn)(btk_buf *, const char *), const char *s)
{
    btk_buf b = BTK_BUF_INIT;

    assert_int_equal(fn(&b, s), 0);
    return btk_buf_detach(&b);
}

static void expect_gp(const char *in, size_t max, const char *want)
{
    btk_buf b = BTK_BUF_INIT;

    assert_int_equal(btk_escape_gnuplot(&b, in, max), 0);
    assert_string_equal(btk_buf_cstr(&b), want);
    btk_buf_free(&b);
}

static void gnuplot__single_quotes_doubled_and_dangerous_text_inert(void **state)
{
    (void)state;
    expect_gp("plain", 0, "'plain'");
    expect_gp("it's", 0, "'it\xe2\x80\x99s'");
    expect_gp("''''", 0, "'\xe2\x80\x99\xe2\x80\x99\xe2\x80\x99\xe2\x80\x99'");
    expect_gp("\"`touch X`\" @m \\", 0, "'\"`touch X`\" @m \\'");
    expect_gp("a\nsystem('x')", 0, "'a?system(\xe2\x80\x99x\xe2\x80\x99)'");
    expect_gp("a\rb\tc\x7f", 0, "'a?b?c?'");
    expect_gp("", 0, "''");
}

static void gnuplot__invalid_utf8_replaced_valid_kept(void **state)
{
    (void)state;
    expect_gp("µs", 0, "'µs'");
    expect_gp("a\xff\xc3", 0, "'a\?\?'");
    expect_gp("\xed\xa0\x80", 0, "'\?\?\?'"); /* a UTF-16 surrogate is not UTF-8 */
    expect_gp("\xc0\xaf", 0, "'\?\?'");       /* overlong '/' */
}

static void gnuplot__truncates_by_characters(void **state)
{
    (void)state;
    expect_gp("abcdef", 3, "'abc...'");
    expect_gp("µµµµ", 2, "'µµ...'");
    expect_gp("abc", 3, "'abc'");
}

static void html__escapes_markup_and_control(void **state)
{
    char *s;

    (void)state;
    s = esc(btk_escape_html, "<script>alert('x&y')</script> \"q\"");
    assert_string_equal(s, "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt; "
                           "&quot;q&quot;");
    btk__free(s);
    s = esc(btk_escape_html, "a\x01\xffz\n");
    assert_string_equal(s, "a\xef\xbf\xbd\xef\xbf\xbdz\n");
    btk__free(s);
}

static void url__percent_encodes_all_but_unreserved(void **state)
{
    char *s;

    (void)state;
    s = esc(btk_escape_url, "a b/../\"<x>%~._-Z9");
    assert_string_equal(s, "a%20b%2F..%2F%22%3Cx%3E%25~._-Z9");
    btk__free(s);
    s = esc(btk_escape_url, "javascript:alert(1)");
    assert_null(strchr(s, ':'));
    btk__free(s);
}

/* The stem (before the 17-character hash suffix) of an escaped file name. */
static void check_safe_filename(const char *name)
{
    char *s = esc(btk_escape_filename, name);
    size_t len = strlen(s), i;

    assert_true(len > 17 && len <= BTK_ESCAPE_FILENAME_STEM + 17);
    assert_true(s[0] != '.');
    for (i = 0; i < len; i++)
        assert_non_null(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789._-",
                               s[i]));
    btk__free(s);
}

static void filename__no_traversal_no_separator(void **state)
{
    static const char *hostile[] = {
        "../../etc/passwd", "/abs/path", "..",   ".",    "",
        ".hidden",          "a\nb",      "con:", "x\\y", "\xff\xfe bad utf8",
        "name with spaces"};
    char longname[5000];
    size_t i;

    (void)state;
    for (i = 0; i < BTK_ARRAY_SIZE(hostile); i++)
        check_safe_filename(hostile[i]);
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    check_safe_filename(longname);
}

static void filename__distinct_names_do_not_collide(void **state)
{
    /* all of these sanitize to the same stem */
    static const char *names[] = {"a/b", "a b", "a:b", "a_b", "a\nb", "a\xc3\xa9", "a.b"};
    char *out[BTK_ARRAY_SIZE(names)];
    size_t i, j;

    (void)state;
    for (i = 0; i < BTK_ARRAY_SIZE(names); i++)
        out[i] = esc(btk_escape_filename, names[i]);
    for (i = 0; i < BTK_ARRAY_SIZE(names); i++)
        for (j = i + 1; j < BTK_ARRAY_SIZE(names); j++)
            assert_string_not_equal(out[i], out[j]);
    /* the same name maps to the same file every time (stable links) */
    {
        char *again = esc(btk_escape_filename, names[0]);
        assert_string_equal(out[0], again);
        btk__free(again);
    }
    for (i = 0; i < BTK_ARRAY_SIZE(names); i++)
        btk__free(out[i]);
}

/* Stems of distinct names that collide (as crafted names could make the 64-bit hash do)
 * are told apart; stems that do not collide are left alone. */
static void filename__colliding_stems_are_told_apart(void **state)
{
    static const char *in[] = {"x-00ff", "y-0001", "x-00ff", "x-00ff", "y-0001", "z-0002"};
    static const char *want[] = {"x-00ff", "y-0001", "x-00ff-2", "x-00ff-3", "y-0001-2",
                                 "z-0002"};
    char *stems[BTK_ARRAY_SIZE(in)];
    size_t i, j;
    long n;
    int rc;

    (void)state;
    /* Every allocation failing in turn: ENOMEM with every stem still a valid string. */
    for (n = 0;; n++) {
        for (i = 0; i < BTK_ARRAY_SIZE(in); i++)
            stems[i] = btk__strdup(in[i]);
        btk__alloc_fail_after(n);
        rc = btk_escape_unique_stems(stems, BTK_ARRAY_SIZE(in));
        btk__alloc_fail_after(-1);
        if (rc == 0)
            break;
        assert_int_equal(rc, BTK_ENOMEM);
        for (i = 0; i < BTK_ARRAY_SIZE(in); i++)
            btk__free(stems[i]);
    }
    assert_true(n >= 1);
    for (i = 0; i < BTK_ARRAY_SIZE(in); i++) {
        assert_string_equal(stems[i], want[i]);
        for (j = 0; j < i; j++)
            assert_string_not_equal(stems[i], stems[j]);
    }
    for (i = 0; i < BTK_ARRAY_SIZE(in); i++)
        btk__free(stems[i]);
}

static void filename__keeps_readable_stem(void **state)
{
    char *s;

    (void)state;
    s = esc(btk_escape_filename, "sort/1024");
    assert_int_equal(strncmp(s, "sort_1024-", 10), 0);
    assert_int_equal(strlen(s), 10 + 16);
    btk__free(s);
}

static void escape__out_of_memory_is_reported(void **state)
{
    btk_buf b = BTK_BUF_INIT;
    long n;
    int rc;

    (void)state;
    for (n = 0;; n++) {
        btk__alloc_fail_after(n);
        rc = btk_escape_html(&b, "<a lot of text & more>");
        btk__alloc_fail_after(-1);
        btk_buf_free(&b);
        if (rc == 0)
            break;
        assert_int_equal(rc, BTK_ENOMEM);
    }
    assert_true(n >= 1);
}

static void check_csv(const char *in, const char *want)
{
    btk_buf b = BTK_BUF_INIT;

    assert_int_equal(btk_escape_csv(&b, in), 0);
    assert_string_equal(btk_buf_cstr(&b), want);
    btk_buf_free(&b);
}

/* Expected cells written out by hand from RFC 4180 (quote a cell holding , " CR LF; double
 * the quotes) and OWASP's CSV-injection rule (a leading = + - @ TAB CR gets a '). */
static void csv__quotes_and_defuses_formulas(void **state)
{
    (void)state;
    check_csv("plain/1", "plain/1");
    check_csv("", "");
    check_csv("a,b", "\"a,b\"");
    check_csv("say \"hi\"", "\"say \"\"hi\"\"\"");
    check_csv("two\nlines", "\"two\nlines\"");
    check_csv(" padded", "\" padded\"");
    check_csv("=1+2", "'=1+2");
    check_csv("+x", "'+x");
    check_csv("-neg", "'-neg");
    check_csv("@SUM(A1)", "'@SUM(A1)");
    check_csv("\tx", "'\tx");
    check_csv("=HYPERLINK(\"a,b\")", "\"'=HYPERLINK(\"\"a,b\"\")\"");
    check_csv("mid=dle", "mid=dle");
}

static void check_om(const char *in, const char *want)
{
    btk_buf b = BTK_BUF_INIT;

    assert_int_equal(btk_escape_openmetrics(&b, in), 0);
    assert_string_equal(btk_buf_cstr(&b), want);
    btk_buf_free(&b);
}

/* OpenMetrics label values escape exactly backslash, double quote and LF; everything else
 * valid UTF-8 stays; an invalid byte becomes U+FFFD and its hex digits. */
static void openmetrics__escapes_what_the_format_requires(void **state)
{
    (void)state;
    check_om("sort/1024", "sort/1024");
    check_om("a\\b", "a\\\\b");
    check_om("q\"q", "q\\\"q");
    check_om("l1\nl2", "l1\\nl2");
    check_om("tab\there", "tab\there");
    check_om("caf\xc3\xa9", "caf\xc3\xa9");
    check_om("bad\xff!", "bad\xef\xbf\xbd" "ff!");
    check_om("\xc3(", "\xef\xbf\xbd" "c3(");
    check_om("\xff\xfe", "\xef\xbf\xbd" "ff\xef\xbf\xbd" "fe");
    /* a literal backslash-x in a name is not mistaken for an escape */
    check_om("\\xff", "\\\\xff");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gnuplot__single_quotes_doubled_and_dangerous_text_inert),
        cmocka_unit_test(gnuplot__invalid_utf8_replaced_valid_kept),
        cmocka_unit_test(gnuplot__truncates_by_characters),
        cmocka_unit_test(html__escapes_markup_and_control),
        cmocka_unit_test(url__percent_encodes_all_but_unreserved),
        cmocka_unit_test(filename__no_traversal_no_separator),
        cmocka_unit_test(filename__distinct_names_do_not_collide),
        cmocka_unit_test(filename__colliding_stems_are_told_apart),
        cmocka_unit_test(filename__keeps_readable_stem),
        cmocka_unit_test(escape__out_of_memory_is_reported),
        cmocka_unit_test(csv__quotes_and_defuses_formulas),
        cmocka_unit_test(openmetrics__escapes_what_the_format_requires),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
