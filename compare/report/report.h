/*
 * The static HTML report: for each machine with results on a branch, an index of all
 * benchmarks (latest value, change against a base, verdict, sparkline) and a page per
 * benchmark (trend, distribution, history, memory, counters). Works from file:// with no
 * server and no network. Charts come from one gnuplot session (chart.h).
 */
#ifndef BTK_REPORT_H
#define BTK_REPORT_H

#include "chart.h"
#include "store.h"

typedef struct btk_report_options {
    unsigned version;
    const char *out_dir;    /* created when absent */
    const char *branch;     /* shown only; may be NULL */
    const char (*shas)[41]; /* the branch in first-parent order, newest first */
    size_t sha_count;
    const char *base_sha;    /* NULL: per machine, the commit before the newest one
                              * with results */
    btk_chart_format format; /* charts: SVG (default) or PNG */
    const btk_compare_options *compare; /* NULL: defaults */
    size_t limit;            /* at most this many commits with results (0: all) */
    bool include_dirty;      /* also runs recorded with uncommitted changes */
    int64_t base_run_id;     /* > 0: this run is the base (on its machine), not base_sha */
} btk_report_options;

#define BTK_REPORT_OPTIONS_INIT                                                          \
    {                                                                                    \
        1, NULL, NULL, NULL, 0, NULL, BTK_CHART_SVG, NULL, 0, false, 0             \
    }

/* A benchmark's points for the given commits, as btk_store_history gives them (newest run
 * of each commit on machine fp), except for runs recorded with uncommitted changes: unless
 * include_dirty, such a point is replaced by the newest clean run of its commit that has
 * the benchmark, or dropped when there is none, and the dirty run's id is appended to
 * excluded ("#5, #6"); with include_dirty, (*dirty_out)[i] is true for the points that are
 * dirty runs. rows is every stored run (btk_store_list_runs, newest first), read once by
 * the caller. Free the points with btk_history_free(points, sha_count) and *dirty_out with
 * btk__free. Store errors, BTK_ENOMEM. Used by `benchtrack history` and the report. */
typedef struct btk_report_history_in {
    const btk_run_row *rows;
    size_t row_count;
    const char *name, *fp;
    const char (*shas)[41];
    size_t sha_count;
    bool include_dirty;
    btk_history_metric metric; /* which figure (btk_store_history_metric); 0: time */
} btk_report_history_in;
int btk_report_history(btk_history_point **points_out, size_t *count_out, bool **dirty_out,
                       btk_buf *excluded, btk_store *db, const btk_report_history_in *in);
/* Mark the build changes of points p (newest first, or oldest first when oldest_first):
 * (*changed_out)[i] is true when point i's run was built with another compiler or other
 * flags than the next older point's run (both known from in->rows). Free *changed_out with
 * btk__free. BTK_ENOMEM. */
int btk_report_build_changes(bool **changed_out, const btk_history_point *p, size_t count,
                             bool oldest_first, const btk_report_history_in *in);

/* Write the report into opts->out_dir and append the path of its index.html to
 * index_out. The commits shown are those of opts->shas with stored runs (clean ones
 * unless include_dirty), at most opts->limit of them. Errors: BTK_EUNSUPPORTED (no gnuplot), BTK_EIO (cannot write, gnuplot
 * failed), store errors. Files of an earlier report in the directory are overwritten. */
int btk_report_write(btk_store *db, const btk_report_options *opts, btk_buf *index_out);

#endif
