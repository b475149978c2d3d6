/*
 * Output files written only where asked: never the results database (or its -wal,
 * -shm, -journal and -lock files), and inside a report directory never through a
 * symbolic link. Every file that benchtrack writes for the user (compare --out, chart -o,
 * the report's pages and images) goes through here. docs/cli/chart.md, "Files".
 */
#ifndef BTK_OUTFILE_H
#define BTK_OUTFILE_H

#include "internal.h"

enum {
    /* Write a temporary file beside path and rename it over path: a symbolic link at path
     * is replaced, never followed, and an interrupted write leaves the old file whole. For
     * names that benchtrack makes up inside a directory (the report's pages and images).
     * Without it, path is opened as named (a link the user named is followed: /dev/stdout
     * works) and truncated only after checking it is not the database. */
    BTK_OUTFILE_REPLACE = 1 << 0
};

/* Remember path (and path-wal, -shm, -journal and -lock, where they exist) by device and
 * inode, so that no btk_outfile_* function writes over them. For the open database: called
 * by the CLI when it opens the store. Up to 16 files; more are ignored. */
void btk_outfile_protect(const char *path);
/* Forget every protected file (tests). */
void btk_outfile__unprotect_all(void);

/* Write len bytes of data to path (flags: BTK_OUTFILE_*). Errors, each naming path:
 * BTK_EINVAL when path is a protected file ("refusing to overwrite the results database")
 * or a directory, BTK_EIO when it cannot be written; on error nothing was written over
 * an existing file with BTK_OUTFILE_REPLACE. */
int btk_outfile_write(const char *path, const void *data, size_t len, unsigned flags);

/* Copy the whole file src_fd (read from its current offset) to path, as btk_outfile_write
 * does. */
int btk_outfile_copy(const char *path, int src_fd, unsigned flags);

/* Make the directory path, or accept it when it exists. With follow false a symbolic link
 * at path is refused (BTK_EINVAL naming it) instead of being used: for folders inside an
 * output directory. BTK_EIO when it cannot be made. */
int btk_outfile_mkdir(const char *path, bool follow);

/* Remove the temporary file of a BTK_OUTFILE_REPLACE write in progress, if any (its
 * ".<name>.XXXXXX" beside the target). Async-signal-safe: for the handlers of SIGINT,
 * SIGTERM and SIGHUP of the commands that write reports and charts. */
void btk_outfile_signal_cleanup(void);

/* Remove from directory dir the temporary files of BTK_OUTFILE_REPLACE writes that were
 * cut short (a process killed between creating and renaming it: SIGKILL, power loss):
 * regular files of this user named ".<name>.XXXXXX" (6 letters or digits) whose <name> is
 * in dir too, or ends in .html, .svg or .png, and that are over a minute old (a
 * concurrent writer's are younger). Never follows links. Best effort; returns how many
 * were removed. */
int btk_outfile_sweep(const char *dir);

#endif
