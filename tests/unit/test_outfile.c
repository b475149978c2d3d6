/* Tests of output files (compare/report/outfile.c): the protected database is refused
 * by name, by a link to it and by a hard link; a replace never writes through a link and
 * leaves the old file whole when it fails; a named link is followed without the flag; a
 * directory inside an output folder must not be a link. */
#include "check.h"
#include "outfile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = test_tmpdir("outfile");
    btk_outfile__unprotect_all();
    return dir ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    btk_outfile__unprotect_all();
    test_rmtree(dir);
    return 0;
}

/* dir/name into out. */
static const char *at(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", dir, name);
    return out;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void expect_text(const char *path, const char *text)
{
    size_t len;
    char *data = test_read_file(path, &len);

    assert_non_null(data);
    assert_string_equal(data, text);
    free(data);
}

static void outfile__database_refused_by_name_link_and_hard_link(void **state)
{
    char db[512], wal[512], soft[512], hard[512], msg[700];
    unsigned flags[] = {0, BTK_OUTFILE_REPLACE};
    size_t i;

    (void)state;
    put(at(db, sizeof(db), "bt.db"), "database");
    put(at(wal, sizeof(wal), "bt.db-wal"), "wal");
    assert_int_equal(symlink(db, at(soft, sizeof(soft), "link.svg")), 0);
    assert_int_equal(link(db, at(hard, sizeof(hard), "hard.svg")), 0);
    btk_outfile_protect(db);
    for (i = 0; i < BTK_ARRAY_SIZE(flags); i++) {
        assert_int_equal(btk_outfile_write(db, "x", 1, flags[i]), BTK_EINVAL);
        snprintf(msg, sizeof(msg), "refusing to overwrite the results database with "
                 "output '%s'", db);
        assert_string_equal(btk_error_last()->message, msg);
        assert_int_equal(btk_outfile_write(wal, "x", 1, flags[i]), BTK_EINVAL);
        assert_int_equal(btk_outfile_write(soft, "x", 1, flags[i]), BTK_EINVAL);
        assert_int_equal(btk_outfile_write(hard, "x", 1, flags[i]), BTK_EINVAL);
    }
    expect_text(db, "database");
    expect_text(wal, "wal");
}

static void outfile__replace_never_follows_a_link(void **state)
{
    char victim[512], link[512], plain[512];
    struct stat st;

    (void)state;
    put(at(victim, sizeof(victim), "victim.txt"), "keep me");
    assert_int_equal(symlink(victim, at(link, sizeof(link), "index.html")), 0);
    assert_int_equal(btk_outfile_write(link, "<html>", 6, BTK_OUTFILE_REPLACE), 0);
    expect_text(victim, "keep me");
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    expect_text(link, "<html>");
    /* without the flag a named link is followed: the user named it */
    put(at(plain, sizeof(plain), "plain.txt"), "old old old");
    assert_int_equal(unlink(link), 0);
    assert_int_equal(symlink(plain, link), 0);
    assert_int_equal(btk_outfile_write(link, "new", 3, 0), 0);
    expect_text(plain, "new");
}

static void outfile__failed_replace_keeps_the_old_file(void **state)
{
    char sub[512], path[512], msg[700];

    (void)state;
    assert_int_equal(mkdir(at(sub, sizeof(sub), "sub"), 0777), 0);
    assert_int_equal(btk_outfile_write(sub, "x", 1, BTK_OUTFILE_REPLACE), BTK_EINVAL);
    snprintf(msg, sizeof(msg), "cannot write '%s': it is a directory", sub);
    assert_string_equal(btk_error_last()->message, msg);
    assert_int_equal(btk_outfile_write(at(path, sizeof(path), "nodir/x.svg"), "x", 1,
                                       BTK_OUTFILE_REPLACE),
                     BTK_EIO);
    snprintf(msg, sizeof(msg), "cannot write '%s': No such file or directory", path);
    assert_string_equal(btk_error_last()->message, msg);
}

static void outfile__mkdir_refuses_a_link_unless_followed(void **state)
{
    char target[512], link[512], msg[700];

    (void)state;
    assert_int_equal(mkdir(at(target, sizeof(target), "elsewhere"), 0777), 0);
    assert_int_equal(symlink(target, at(link, sizeof(link), "img")), 0);
    assert_int_equal(btk_outfile_mkdir(link, false), BTK_EINVAL);
    snprintf(msg, sizeof(msg), "'%s' is a symbolic link: not writing through it (remove "
             "it, or choose another output directory)", link);
    assert_string_equal(btk_error_last()->message, msg);
    assert_int_equal(btk_outfile_mkdir(link, true), 0);
    assert_int_equal(btk_outfile_mkdir(target, false), 0); /* exists: fine */
}

/* A copy fails cleanly at every allocation and then succeeds with the whole file. */
static void outfile__copy_survives_every_allocation_failure(void **state)
{
    char src[512], dst[512];
    int fd, n, error = -1;

    (void)state;
    put(at(src, sizeof(src), "src.svg"), "<svg>image</svg>");
    at(dst, sizeof(dst), "dst.svg");
    for (n = 0; n < 100 && error != 0; n++) {
        assert_true((fd = open(src, O_RDONLY)) >= 0);
        btk__alloc_fail_after(n);
        error = btk_outfile_copy(dst, fd, BTK_OUTFILE_REPLACE);
        btk__alloc_fail_after(-1);
        close(fd);
        assert_true(error == 0 || error == BTK_ENOMEM);
    }
    assert_int_equal(error, 0);
    expect_text(dst, "<svg>image</svg>");
}

/* A protected side file that SQLite deletes (its -journal) frees its inode number, which a
 * new unrelated file can get: that file is not the database and must be writable. Moving
 * the protected file away stands in for the reuse (the same inode, no longer named so). A
 * failure seen in CI: ab --out refused a new output that had the old journal's inode. */
static void outfile__a_file_no_longer_named_so_is_not_protected(void **state)
{
    char db[4200], journal[4200], moved[4200];

    (void)state;
    put(at(db, sizeof(db), "r.db"), "database");
    put(at(journal, sizeof(journal), "r.db-journal"), "journal");
    btk_outfile_protect(db);
    assert_int_equal(btk_outfile_write(journal, "x", 1, 0), BTK_EINVAL); /* still named */
    assert_int_equal(rename(journal, at(moved, sizeof(moved), "out.json")), 0);
    assert_int_equal(btk_outfile_write(moved, "output", 6, 0), 0);
    expect_text(moved, "output");
    assert_int_equal(btk_outfile_write(db, "x", 1, 0), BTK_EINVAL);
    expect_text(db, "database");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(outfile__database_refused_by_name_link_and_hard_link,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(outfile__a_file_no_longer_named_so_is_not_protected,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(outfile__replace_never_follows_a_link, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(outfile__failed_replace_keeps_the_old_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(outfile__mkdir_refuses_a_link_unless_followed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(outfile__copy_survives_every_allocation_failure,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
