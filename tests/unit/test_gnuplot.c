/* gnuplot sessions (compare/report/gnuplot.c): what a piece of script becomes on the way
 * out (sent whole, or dropped on error), data blocks, literals and paths, write errors,
 * and a real gnuplot's errors and absence. Chart scripts are tested in test_chart.c. */
#include "gnuplot.h"

#include "check.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>

static bool have_gnuplot(void)
{
    btk_buf b = BTK_BUF_INIT;
    int rc = btk_gnuplot_find(&b);

    btk_buf_free(&b);
    btk_error_clear();
    return rc == 0;
}

/* A script-only session writing into a memory stream. */
typedef struct sink {
    char *text;
    size_t len;
    FILE *f;
    btk_gnuplot *gp;
} sink;

static void sink_open(sink *s)
{
    memset(s, 0, sizeof(*s));
    s->f = open_memstream(&s->text, &s->len);
    assert_non_null(s->f);
    assert_int_equal(btk_gnuplot_open_script(&s->gp, s->f), 0);
}

static void sink_close(sink *s)
{
    assert_int_equal(btk_gnuplot_close(s->gp), 0);
    fclose(s->f);
}

/* Entries of directory path, "." and ".." not counted; -1 when it cannot be read. */
static int test_count_entries(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void gnuplot__pieces_are_sent_whole_or_dropped(void **state)
{
    sink s;

    (void)state;
    sink_open(&s);
    assert_int_equal(btk_gnuplot_begin(s.gp), 0);
    assert_int_equal(btk_gnuplot_puts(s.gp, "set title "), 0);
    assert_int_equal(btk_gnuplot_printf(s.gp, "%d\n", 42), 0);
    assert_int_equal(btk_gnuplot_send(s.gp, 0), 0);
    assert_int_equal(btk_gnuplot_begin(s.gp), 0);
    assert_int_equal(btk_gnuplot_puts(s.gp, "half a chart"), 0);
    assert_int_equal(btk_gnuplot_send(s.gp, BTK_ENOMEM), BTK_ENOMEM);
    assert_int_equal(btk_gnuplot_begin(s.gp), 0); /* a dropped piece is not sticky */
    assert_int_equal(btk_gnuplot_puts(s.gp, "plot x\n"), 0);
    assert_int_equal(btk_gnuplot_send(s.gp, 0), 0);
    sink_close(&s);
    assert_string_equal(s.text, "set title 42\nplot x\n");
    free(s.text);
}

static void gnuplot__data_blocks_hold_numbers_only(void **state)
{
    sink s;

    (void)state;
    sink_open(&s);
    assert_int_equal(btk_gnuplot_begin(s.gp), 0);
    assert_int_equal(btk_gnuplot_block_begin(s.gp, "d"), 0);
    assert_int_equal(btk_gnuplot_num(s.gp, 1.5), 0);
    assert_int_equal(btk_gnuplot_num(s.gp, NAN), 0);
    assert_int_equal(btk_gnuplot_num(s.gp, -INFINITY), 0);
    assert_int_equal(btk_gnuplot_num(s.gp, 1.0 / 3), 0);
    assert_int_equal(btk_gnuplot_puts(s.gp, "\n"), 0);
    assert_int_equal(btk_gnuplot_block_end(s.gp), 0);
    assert_int_equal(btk_gnuplot_send(s.gp, 0), 0);
    sink_close(&s);
    assert_string_equal(s.text, "$d << EOD\n 1.5 NaN NaN 0.333333333\nEOD\n");
    free(s.text);
}

/* Untrusted text is one single-quoted literal on one line, whatever it holds. */
static void gnuplot__text_is_one_literal(void **state)
{
    sink s;

    (void)state;
    sink_open(&s);
    assert_int_equal(btk_gnuplot_begin(s.gp), 0);
    assert_int_equal(btk_gnuplot_text(s.gp, "a'b\n`c` @d", 0), 0);
    assert_int_equal(btk_gnuplot_send(s.gp, 0), 0);
    sink_close(&s);
    assert_true(s.len >= 2 && s.text[0] == '\'' && s.text[s.len - 1] == '\'');
    assert_null(memchr(s.text + 1, '\'', s.len - 2));
    assert_null(strchr(s.text, '\n'));
    free(s.text);
}

static void gnuplot__path_refuses_what_gnuplot_would_reinterpret(void **state)
{
    sink s;

    (void)state;
    sink_open(&s);
    assert_int_equal(btk_gnuplot_begin(s.gp), 0);
    assert_int_equal(btk_gnuplot_path(s.gp, "a\nb.svg"), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message,
                        "chart file name 'a\\nb.svg' cannot be written into a gnuplot "
                        "script intact");
    /* escaping would change these bytes, so the script would name another file */
    assert_int_equal(btk_gnuplot_path(s.gp, "it's.svg"), BTK_EINVAL);
    assert_int_equal(btk_gnuplot_path(s.gp, "bad\xff.svg"), BTK_EINVAL);
    assert_int_equal(btk_gnuplot_path(s.gp, "~/x.svg"), BTK_EINVAL);
    assert_int_equal(btk_gnuplot_path(s.gp, ""), BTK_EINVAL);
    assert_int_equal(btk_gnuplot_path(s.gp, "img/m1-a.svg"), 0);
    assert_int_equal(btk_gnuplot_send(s.gp, 0), 0);
    sink_close(&s);
    assert_string_equal(s.text, "'img/m1-a.svg'");
    free(s.text);
}

/* In a gnuplot session an image goes to its name byte for byte, whatever the name holds
 * (a quote, invalid UTF-8, a newline), and nothing else is left in the output folder or in
 * $TMPDIR (the staging folder is removed). */
static void gnuplot__image_names_keep_every_byte(void **state)
{
    static const char *const names[] = {"it's.svg", "bad\xff\xfe.svg", "new\nline.svg"};
    char *dir, *tmp, path[600];
    btk_gnuplot *gp;
    size_t i, len;
    char *data;
    int n;

    (void)state;
    if (!have_gnuplot())
        skip();
    dir = test_tmpdir("gp-names");
    tmp = test_tmpdir("gp-tmp");
    setenv("TMPDIR", tmp, 1);
    assert_int_equal(btk_gnuplot_open(&gp), 0);
    for (i = 0; i < BTK_ARRAY_SIZE(names); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        assert_int_equal(btk_gnuplot_begin(gp), 0);
        assert_int_equal(btk_gnuplot_puts(gp, "set terminal svg\nset output "), 0);
        assert_int_equal(btk_gnuplot_path(gp, path), 0);
        assert_int_equal(btk_gnuplot_puts(gp, "\nplot x\nunset output\n"), 0);
        assert_int_equal(btk_gnuplot_send(gp, 0), 0);
    }
    assert_int_equal(btk_gnuplot_close(gp), 0);
    unsetenv("TMPDIR");
    for (i = 0; i < BTK_ARRAY_SIZE(names); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        assert_non_null(data = test_read_file(path, &len));
        assert_non_null(strstr(data, "<svg"));
        free(data);
    }
    n = test_count_entries(dir);
    assert_int_equal(n, (int)BTK_ARRAY_SIZE(names));
    assert_int_equal(test_count_entries(tmp), 0);
    test_rmtree(dir);
    test_rmtree(tmp);
}

/* A failed write is kept: every later piece is refused with it, and close reports it. */
static void gnuplot__write_error_is_sticky(void **state)
{
    FILE *f = fopen("/dev/full", "w");
    btk_gnuplot *gp;

    (void)state;
    if (f == NULL)
        skip();
    setvbuf(f, NULL, _IONBF, 0);
    assert_int_equal(btk_gnuplot_open_script(&gp, f), 0);
    assert_int_equal(btk_gnuplot_begin(gp), 0);
    assert_int_equal(btk_gnuplot_puts(gp, "plot x\n"), 0);
    assert_int_equal(btk_gnuplot_send(gp, 0), BTK_EIO);
    assert_non_null(strstr(btk_error_last()->message, "cannot write the gnuplot script"));
    assert_int_equal(btk_gnuplot_begin(gp), BTK_EIO);
    assert_int_equal(btk_gnuplot_close(gp), BTK_EIO);
    fclose(f);
}

static void gnuplot__error_of_gnuplot_is_reported(void **state)
{
    btk_gnuplot *gp;

    (void)state;
    if (!have_gnuplot())
        skip();
    assert_int_equal(btk_gnuplot_open(&gp), 0);
    assert_int_equal(btk_gnuplot_begin(gp), 0);
    assert_int_equal(btk_gnuplot_puts(gp, "set terminal dumb\nplot nosuchfunction(x)\n"),
                     0);
    assert_int_equal(btk_gnuplot_send(gp, 0), 0);
    assert_int_equal(btk_gnuplot_close(gp), BTK_EIO);
    assert_non_null(strstr(btk_error_last()->message, "gnuplot reported an error: "));
    assert_non_null(
        strstr(btk_error_last()->message, "undefined function: nosuchfunction"));
}

static void gnuplot__missing_gnuplot_names_the_package(void **state)
{
    char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL,
         *dir = test_tmpdir("nogp");
    btk_gnuplot *gp = (btk_gnuplot *)&gp;

    (void)state;
    setenv("PATH", dir, 1);
    assert_int_equal(btk_gnuplot_open(&gp), BTK_EUNSUPPORTED);
    assert_null(gp);
    assert_non_null(strstr(btk_error_last()->message, "gnuplot-nox"));
    if (old)
        setenv("PATH", old, 1);
    free(old);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gnuplot__pieces_are_sent_whole_or_dropped),
        cmocka_unit_test(gnuplot__data_blocks_hold_numbers_only),
        cmocka_unit_test(gnuplot__text_is_one_literal),
        cmocka_unit_test(gnuplot__path_refuses_what_gnuplot_would_reinterpret),
        cmocka_unit_test(gnuplot__image_names_keep_every_byte),
        cmocka_unit_test(gnuplot__write_error_is_sticky),
        cmocka_unit_test(gnuplot__error_of_gnuplot_is_reported),
        cmocka_unit_test(gnuplot__missing_gnuplot_names_the_package),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
