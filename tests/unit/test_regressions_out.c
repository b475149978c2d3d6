/* Tests of the output formats of benchtrack regressions (compare/cli/regressions_out.c):
 * every untrusted string (benchmark name, subject, author, note, branch) with quotes,
 * markup, control characters and invalid UTF-8, in each format; the JSON read back by
 * jansson, the CSV cells checked one by one. */
#include "check.h"
#include "regressions.h"

#include <jansson.h>
#include <math.h>

static const char *const NAME = "a|b<script>\"x\",'y'*_`z`";
static const char *const SUBJECT = "=cmd() <b>\"bold\"</b>\t\x1b[31mred \xff\xfe end";
static const char *const AUTHOR = "Eve, \"E\" <e@x>";
#define SHA_TEXT "0123456789abcdef0123456789abcdef01234567"
static const char *const SHA = SHA_TEXT;

/* Print found in format into a string (free with free). */
static char *print(const reg_found *found, const char *format)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    assert_non_null(f);
    assert_int_equal(cli_regressions_print(f, found, format), 0);
    fclose(f);
    return text;
}

/* text read back as JSON (the test fails when it is not). */
static json_t *parse(const char *text)
{
    json_error_t err;
    json_t *doc = json_loads(text, 0, &err);

    if (doc == NULL)
        fail_msg("not JSON (%s): %s", err.text, text);
    return doc;
}

static void make(reg_found *found, reg_item *items, btk_ack *ack)
{
    memset(items, 0, 2 * sizeof(*items));
    items[0] = (reg_item){NAME, SHA, SUBJECT, AUTHOR, 3, {0}, NULL, false, 0, 0, NULL, NULL, 0};
    items[0].cp.before = 1000, items[0].cp.after = 1100, items[0].cp.magnitude = 0.1;
    items[0].cp.p = 1e-9, items[0].cp.count_before = 20, items[0].cp.count_after = 10;
    items[1] = (reg_item){"plain", SHA, NULL, NULL, 7, {0}, ack, false, 0, 0, NULL, NULL, 0};
    items[1].cp.before = 1000, items[1].cp.after = 800, items[1].cp.magnitude = -0.2;
    items[1].cp.p = 1e-5, items[1].cp.count_before = 5, items[1].cp.count_after = 6;
    *found = (reg_found){
        "main\nx", "729b9d7dc587acef8fdf083dc089f4a0", 30, SHA, SHA, items, 2, 1, 0,
        BTK_HISTORY_TIME};
}

/* A count history's findings (--metric instructions): a regression from 1000 to 1010
 * instructions (+1 %, no p) and a nondeterministic count at another commit, its processes
 * counting 990 to 1089 (the hostile name again). */
static void make_counts(reg_found *found, reg_item *items)
{
    make(found, items, NULL);
    items[0].cp.before = 1000, items[0].cp.after = 1010, items[0].cp.magnitude = 0.01;
    items[0].cp.p = NAN, items[0].cp.count_before = 3, items[0].cp.count_after = 1;
    items[1] = (reg_item){NAME, SHA, NULL, NULL, 1, {0}, NULL, true, 990, 1089, NULL, NULL, 0};
    items[1].cp.before = 1000, items[1].cp.after = 990;
    items[1].cp.magnitude = items[1].cp.p = NAN;
    found->nondeterministic = 1;
    found->metric = BTK_HISTORY_COUNT;
}

static void regressions_out__counts_in_every_format(void **state)
{
    reg_item items[2];
    reg_found found;
    json_t *doc, *cp;
    char *text;

    (void)state;
    make_counts(&found, items);
    text = print(&found, "json");
    doc = parse(text);
    assert_string_equal(json_string_value(json_object_get(doc, "metric")), "instructions");
    assert_int_equal(json_integer_value(json_object_get(doc, "nondeterministic")), 1);
    cp = json_array_get(json_object_get(doc, "change_points"), 0);
    check_near(json_number_value(json_object_get(cp, "before_instructions")), 1000, 0);
    check_near(json_number_value(json_object_get(cp, "after_instructions")), 1010, 0);
    assert_null(json_object_get(cp, "before_ns"));
    assert_true(json_is_null(json_object_get(cp, "p")));
    cp = json_array_get(json_object_get(doc, "change_points"), 1);
    assert_string_equal(json_string_value(json_object_get(cp, "kind")), "nondeterministic");
    assert_string_equal(json_string_value(json_object_get(cp, "benchmark")), NAME);
    assert_true(json_is_null(json_object_get(cp, "magnitude")));
    check_near(json_number_value(json_object_get(json_object_get(cp, "spread"), "max")), 1089,
               0);
    json_decref(doc);
    free(text);

    text = print(&found, "table");
    assert_non_null(strstr(text, "1 change point(s) in 30 commit(s) of main\\nx on machine "
                                 "729b9d7dc587; 1 unacknowledged regression(s) (metric "
                                 "instructions); 1 nondeterministic count(s), not change "
                                 "points\n"));
    assert_non_null(strstr(text, "regression  0123456789ab  a|b<script>\"x\",'y'*_`z`  "
                                 "1000 ins -> 1010 ins  +1.00 %  p -\n"));
    assert_non_null(strstr(text, "nondeterministic 0123456789ab  a|b<script>\"x\",'y'*_`z`  "
                                 "1000 ins -> 990 ins  nondeterministic: 990 to 1089 ins "
                                 "across processes, not trusted  p -\n"));
    free(text);

    text = print(&found, "csv");
    assert_non_null(strstr(text, "before_instructions,after_instructions,magnitude,p,"));
    assert_non_null(strstr(text, ",1000,1010,0.01,,no,," SHA_TEXT "," SHA_TEXT ",1\n"));
    assert_non_null(strstr(text, "nondeterministic,\"a|b<script>"));
    assert_non_null(strstr(text, ",1000,990,,,no,," SHA_TEXT "," SHA_TEXT ",1\n"));
    free(text);

    text = print(&found, "markdown");
    assert_null(strstr(text, "<script>"));
    assert_non_null(strstr(text, "| 1000 ins | 1010 ins | +1.00 % | - |"));
    assert_non_null(strstr(text, "| :grey_question: | a\\|b&lt;script&gt;"));
    free(text);
}

static void regressions_out__json_reads_back_every_string(void **state)
{
    btk_ack ack = {4, "", (char *)"p*", (char *)"note \"q\"\n<i>", 0};
    reg_item items[2];
    reg_found found;
    json_t *doc, *cp;
    char *text;

    (void)state;
    make(&found, items, &ack);
    text = print(&found, "json");
    doc = parse(text);
    assert_string_equal(json_string_value(json_object_get(doc, "branch")), "main\nx");
    assert_int_equal(json_integer_value(json_object_get(doc, "unacknowledged")), 1);
    cp = json_array_get(json_object_get(doc, "change_points"), 0);
    assert_string_equal(json_string_value(json_object_get(cp, "benchmark")), NAME);
    assert_string_equal(json_string_value(json_object_get(cp, "kind")), "regression");
    /* invalid UTF-8 (0xff 0xfe) becomes U+FFFD each; everything else is kept */
    assert_string_equal(
        json_string_value(json_object_get(cp, "subject")),
        "=cmd() <b>\"bold\"</b>\t\x1b[31mred \xef\xbf\xbd\xef\xbf\xbd end");
    assert_string_equal(json_string_value(json_object_get(cp, "author")), AUTHOR);
    check_near(json_real_value(json_object_get(cp, "magnitude")), 0.1, 1e-15);
    assert_true(json_is_null(json_object_get(cp, "acknowledgement")));
    cp = json_array_get(json_object_get(doc, "change_points"), 1);
    assert_true(json_is_null(json_object_get(cp, "subject")));
    assert_string_equal(json_string_value(json_object_get(cp, "kind")), "improvement");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(cp, "acknowledgement"), "note")),
                        "note \"q\"\n<i>");
    json_decref(doc);
    free(text);
}

static void regressions_out__csv_cells_are_quoted_and_defused(void **state)
{
    reg_item items[2];
    reg_found found;
    char *text;

    (void)state;
    make(&found, items, NULL);
    text = print(&found, "csv");
    /* header, then the name quoted with doubled quotes, the subject prefixed with ' (it
     * starts with =) and quoted (it holds a quote), the author quoted (a comma) */
    assert_non_null(strstr(text,
                           "kind,benchmark,commit,subject,author,before_ns,after_ns,"
                           "magnitude,p,acknowledged,note,first_possible,last_possible,"
                           "possible_commits\n"));
    assert_non_null(strstr(text, "regression,\"a|b<script>\"\"x\"\",'y'*_`z`\","));
    assert_non_null(strstr(text, ",\"'=cmd() <b>\"\"bold\"\"</b>"));
    assert_non_null(strstr(text, ",\"Eve, \"\"E\"\" <e@x>\","));
    assert_non_null(strstr(text, ",no,," SHA_TEXT "," SHA_TEXT ",1\n"));
    free(text);
}

/* A change point whose commit the data cannot tell exactly: the range in every format. */
static void regressions_out__a_range_of_possible_commits(void **state)
{
    static const char *const FIRST = "1111111111111111111111111111111111111111";
    static const char *const LAST = "2222222222222222222222222222222222222222";
    reg_item items[2];
    reg_found found;
    json_t *doc, *cp;
    char *text;

    (void)state;
    make(&found, items, NULL);
    items[0].first_sha = FIRST, items[0].last_sha = LAST, items[0].possible = 4;
    text = print(&found, "table");
    assert_non_null(strstr(text, "\n    where: one of 4 commits from 111111111111 to "
                                 "222222222222 (the data cannot tell which; bisect pins "
                                 "it)\n"));
    /* the second item is exact: no range line for it */
    assert_null(strstr(strstr(text, "where:") + 1, "where:"));
    free(text);
    text = print(&found, "markdown");
    assert_non_null(strstr(text, "| `0123456789ab` (one of 4: `111111111111`..`222222222222`) |"));
    free(text);
    text = print(&found, "csv");
    assert_non_null(strstr(text, ",no,,1111111111111111111111111111111111111111,"
                                 "2222222222222222222222222222222222222222,4\n"));
    free(text);
    text = print(&found, "json");
    doc = parse(text);
    cp = json_array_get(json_object_get(doc, "change_points"), 0);
    assert_string_equal(json_string_value(json_object_get(cp, "first_possible")), FIRST);
    assert_string_equal(json_string_value(json_object_get(cp, "last_possible")), LAST);
    assert_int_equal(json_integer_value(json_object_get(cp, "possible_commits")), 4);
    cp = json_array_get(json_object_get(doc, "change_points"), 1); /* exact: its own commit */
    assert_string_equal(json_string_value(json_object_get(cp, "first_possible")), SHA);
    assert_int_equal(json_integer_value(json_object_get(cp, "possible_commits")), 1);
    json_decref(doc);
    free(text);
}

static void regressions_out__markdown_and_table_carry_no_markup_or_controls(void **state)
{
    btk_ack ack = {4, "", (char *)"p*", (char *)"<i>ok</i>|", 0};
    reg_item items[2];
    reg_found found;
    char *md, *table;

    (void)state;
    make(&found, items, &ack);
    md = print(&found, "markdown");
    assert_null(strstr(md, "<script>"));
    assert_null(strstr(md, "<b>"));
    assert_null(strstr(md, "<i>"));
    assert_null(strchr(md, '\x1b'));
    assert_null(strchr(md, '\t'));
    assert_non_null(strstr(
        md, "| :x: | a\\|b&lt;script&gt;&quot;x&quot;,&#39;y&#39;\\*\\_\\`z\\` |"));
    assert_non_null(strstr(md, "| :rocket: | plain |"));
    assert_non_null(strstr(md, "yes: &lt;i&gt;ok&lt;/i&gt;\\| |"));
    table = print(&found, "table");
    assert_null(strchr(table, '\x1b'));
    assert_null(strchr(table, '\t'));
    assert_non_null(
        strstr(table, " of main\\nx on machine 729b9d7dc587; 1 unacknowledged"));
    assert_non_null(strstr(table, "regression  0123456789ab  a|b<script>\"x\",'y'*_`z`  "
                                  "1000 ns -> 1100 ns  +10.0 %  p 1e-09\n"));
    assert_non_null(strstr(table, "\\x1b[31mred"));
    assert_non_null(strstr(table, "    acknowledged (#4): <i>ok</i>|\n"));
    free(md);
    free(table);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regressions_out__json_reads_back_every_string),
        cmocka_unit_test(regressions_out__csv_cells_are_quoted_and_defused),
        cmocka_unit_test(regressions_out__a_range_of_possible_commits),
        cmocka_unit_test(regressions_out__markdown_and_table_carry_no_markup_or_controls),
        cmocka_unit_test(regressions_out__counts_in_every_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
