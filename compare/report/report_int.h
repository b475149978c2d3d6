/*
 * Internals shared by report.c (loading, charts, orchestration) and html_pages.c (the
 * pages and the site's file names): what the report knows about one machine and each of
 * its benchmarks. The calls go one way: report.c uses the functions below, which are all
 * defined in html_pages.c; html_pages.c calls nothing of report.c.
 */
#ifndef BTK_REPORT_INT_H
#define BTK_REPORT_INT_H

#include "report.h"
#include "escape.h"
#include "html.h"
#include "series.h"

/* A count change point (docs/statistics.md §10, "Count histories"): the commit (its run's
 * sha and subject, borrowed from machine_ctx.count_runs) and the counts before and after
 * (instructions per iteration). */
typedef struct count_change {
    const char *sha, *subject;
    int64_t time; /* committer time: the Regressions list's order */
    double before, after;
} count_change;

typedef struct bench_item {
    const char *name;          /* borrowed from machine_ctx.names */
    char *stem;                /* file-name stem (btk_escape_filename) */
    btk_history_point *points; /* oldest first */
    size_t count, slots;       /* points, and slots to free (btk_history_free) */
    bool *dirty;               /* per point: a run with uncommitted changes */
    bool *build;               /* per point: built otherwise than the point before */
    btk_trend_point *trend;          /* per point: median, CI, change-point step, level */
    btk_changepoint *changes;        /* the history's change points (index: a point) */
    size_t change_count;
    bool has_trend, has_dist;        /* a finite median to draw / samples on a side */
    const btk_verdict *verdict;      /* latest vs base; NULL when not compared */
    const btk_result *latest, *base; /* with samples; NULL when absent on that side */
    count_change *count_changes;     /* its count history's change points, oldest first */
    size_t count_change_count;
    btk_trend_point *count_trend;    /* its counts per commit with a count (the count
                                      * chart), oldest first; step: the change points */
    size_t count_trend_count;
} bench_item;

typedef struct machine_ctx {
    int index;      /* 1, 2, ...: files are named m<index>-... */
    const char *fp; /* borrowed */
    btk_machine info;
    char latest_sha[41], base_sha[41]; /* "" when none */
    btk_run **latest, **base;
    size_t latest_count, base_count;
    btk_buf excluded;    /* runs of the two commits left out (dirty, other build) */
    btk_buf build_diff;  /* the two sides' builds when they differ (then no cmp) */
    btk_comparison *cmp; /* NULL when a side has no runs or the builds differ */
    char **names;
    size_t name_count;
    bench_item *items; /* ordered by severity, then name */
    size_t item_count;
    btk_run **procs; /* the commits' runs on this machine, each process's samples
                      * reduced to their median (the change points' input) */
    size_t proc_run_count;
    bool cpu;                 /* --metric cpu: procs hold CPU medians */
    btk_run **count_runs;     /* the commits' counting runs on this machine, newest first */
    size_t count_run_count;
    btk_series *series; /* size series of the latest run, fitted (series.h) */
    char **series_stems; /* their file-name stems */
    size_t series_count;
} machine_ctx;

typedef struct report_ctx {
    btk_store *db;
    const btk_report_options *opts;
    char (*shas)[41];         /* the commits with results, newest first */
    size_t sha_count, walked; /* their number, and the commits given */
    btk_run_row *rows;        /* every stored run, newest first */
    size_t row_count;
    char (*oldest_first)[41];
    btk_chart *chart;
    const char *ext; /* "svg" or "png" */
} report_ctx;

/* Relative path of a chart: img/m<index>-<stem>-<kind>.<ext> (stem NULL: no stem). */
int btk_report__chart_path(btk_buf *b, const report_ctx *r, const machine_ctx *m,
                           const char *stem, const char *kind);
/* Relative path of a benchmark page: m<index>-<stem>.html */
int btk_report__page_path(btk_buf *b, const machine_ctx *m, const bench_item *it);
/* Append machine m's section of index.html to b. */
int btk_report__index_section(btk_buf *b, const report_ctx *r, const machine_ctx *m);
/* Write the page of benchmark it. */
int btk_report__bench_page(const report_ctx *r, const machine_ctx *m,
                           const bench_item *it);
/* Append the head of index.html (title, branch, commits covered) to b. */
int btk_report__index_head(btk_buf *b, const report_ctx *r, size_t machine_count);

#endif
