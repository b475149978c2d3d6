/*
 * The results database: one interface over its backends (store.c picks one by the location;
 * SQLite: store_sqlite*.c, the only files that include sqlite3.h). Each backend translates
 * its errors to BTK_EIO / BTK_EFORMAT / BTK_ESCHEMA with a one-line message naming the
 * database. Nothing above the store knows which backend it talks to.
 */
#ifndef BTK_STORE_H
#define BTK_STORE_H

#include "model.h"

typedef struct btk_store btk_store;

#define BTK_STORE_READONLY 1u  /* open an existing database for reading only */

/* Whether a database location names a file (SQLite), rather than a server
 * ("postgresql://..." or "postgres://...", PostgreSQL). */
bool btk_store_location_is_file(const char *location);
/* Whether this build can open a server location (built with PostgreSQL's libpq). */
bool btk_store_supports_server(void);
/* The location as it may be shown: every password it holds replaced by "***". Free *out
 * with btk__free. */
int btk_store_redact(char **out, const char *location);

/* Open (creating when absent and not READONLY) and migrate; the location picks the
 * backend (btk_store_location_is_file). Messages name it without its password. A newer schema: BTK_ESCHEMA;
 * not a database / corrupt: BTK_EFORMAT; cannot open or locked: BTK_EIO. *out = NULL on
 * failure. */
int btk_store_open(btk_store **out, const char *path, unsigned flags);
void btk_store_close(btk_store *db);

/* Store a whole run in one transaction (all or nothing); sets run id in *id_out. The run
 * gets a new random uid. */
int btk_store_add_run(btk_store *db, const btk_run *run, int64_t *id_out);

/* A run's uid: its identity in every store it is copied to (benchtrack push), hex digits. */
#define BTK_STORE_UID_LEN 32
/* Copy a run into this store under its uid (from btk_store_run_uid of its source): when a
 * run with that uid is there already, nothing is stored and *added_out is false; either
 * way *id_out is the run's id here. BTK_EINVAL for a malformed uid. */
int btk_store_add_run_uid(btk_store *db, const btk_run *run, const char *uid, int64_t *id_out,
                          bool *added_out);
/* The uid of run run_id into out (BTK_STORE_UID_LEN + 1 bytes); BTK_ENOTFOUND when absent. */
int btk_store_run_uid(char *out, btk_store *db, int64_t run_id);
/* The id of the run with that uid into *id_out; BTK_ENOTFOUND when there is none. */
int btk_store_find_uid(int64_t *id_out, btk_store *db, const char *uid);

/* Load one run; with_samples loads the per-process samples too, and sets aside the
 * processes that ran on a shared core when that state moved their benchmark, as import
 * does (btk_run_mark_aside; a process without a stored branch ratio counts as alone).
 * BTK_ENOTFOUND when absent, BTK_ENOMEM. */
int btk_store_load_run(btk_run **out, btk_store *db, int64_t run_id, bool with_samples);

/* Ids of the runs of a commit (full sha), newest first, optionally only on one machine
 * fingerprint (NULL: any). Caller frees *ids_out with btk__free. Zero runs is not an error. */
int btk_store_runs_for_commit(int64_t **ids_out, size_t *count_out, btk_store *db,
                              const char *sha, const char *machine_fp);

/* A row of `benchtrack log`. */
typedef struct btk_run_row {
    int64_t id;
    char sha[41];
    char *branch, *subject, *date, *machine_fp, *hostname;
    char *machine_name; /* NULL unless the machine is a named class (--machine NAME) */
    char *machine_host; /* the host name of the machine's first run: stable across runs */
    char *compiler, *flags; /* the run's build (context build.compiler, build.flags); NULL
                             * when unknown */
    bool dirty;
    int64_t benchmarks, failures;
} btk_run_row;
/* The newest runs first, at most limit (0: all). Free with btk_run_rows_free. */
int btk_store_list_runs(btk_run_row **rows_out, size_t *count_out, btk_store *db,
                        size_t limit);
void btk_run_rows_free(btk_run_row *rows, size_t count);

/* One point of a benchmark's history: the newest run of that commit on that machine. */
typedef struct btk_history_point {
    char sha[41];
    int64_t run_id;
    int64_t commit_time;
    char *subject;       /* commit subject, may be NULL */
    btk_result_status status;
    btk_stats stats;
    double cycles_median; /* ticks per iteration, NAN when unknown */
    btk_memory memory;
} btk_history_point;
/* The benchmark's points for the given commits, in the order given (commits without a
 * result are skipped). shas is the first-parent order from git. Free with
 * btk_history_free. */
int btk_store_history(btk_history_point **points_out, size_t *count_out, btk_store *db,
                      const char *bench_name, const char *machine_fp,
                      const char (*shas)[41], size_t sha_count);
void btk_history_free(btk_history_point *points, size_t count);
/* Which figure a history holds (docs/cli/history.md, --metric): TIME the time runs' wall
 * clock (btk_store_history), CPU the time runs' CPU statistics (points without CPU time
 * are left out; only min, max, mean, median, ci_low, ci_high are known, the others NAN),
 * COUNT the counting runs' instructions per iteration, CYCLES the time runs' core-cycle
 * statistics (as CPU; points without a core clock are left out). Before schema v5 only
 * TIME has points, before v8 CYCLES has none. */
typedef enum btk_history_metric {
    BTK_HISTORY_TIME = 0,
    BTK_HISTORY_CPU,
    BTK_HISTORY_COUNT,
    BTK_HISTORY_CYCLES
} btk_history_metric;
int btk_store_history_metric(btk_history_point **points_out, size_t *count_out,
                             btk_store *db, const char *bench_name, const char *machine_fp,
                             const char (*shas)[41], size_t sha_count,
                             btk_history_metric metric);

/* Distinct machine fingerprints with their hostname/cpu, and benchmark names; for report
 * and `--machine` lookups. Free with btk_strings_free. */
int btk_store_machines(char ***fps_out, size_t *count_out, btk_store *db);
int btk_store_benchmark_names(char ***names_out, size_t *count_out, btk_store *db,
                              const char *machine_fp);
void btk_strings_free(char **strings, size_t count);
/* btk_store_machines returns bare fingerprints (machines with at least one run); this fills
 * hostname (of its first run)/arch/cpu_model/cpus/name of one (release with
 * btk_machine_clear). BTK_ENOTFOUND when unknown. */
int btk_store_machine_info(btk_machine *out, btk_store *db, const char *fingerprint);
/* 1 when machine fingerprint has a run recorded on host (its host name), 0 when not,
 * BTK_EIO. */
int btk_store_machine_has_host(btk_store *db, const char *fingerprint, const char *host);

/* An acknowledged regression (benchtrack regressions ack): change points at commit sha of
 * the benchmarks whose names match glob (fnmatch) are expected, with the user's note. */
typedef struct btk_ack {
    int64_t id;
    char sha[41];
    char *glob, *note;
    int64_t created; /* seconds since the epoch */
} btk_ack;
/* Acknowledge (sha, glob) with note; an existing ack of the same pair gets the new note
 * and time. *id_out gets its id. sha is a full 40-digit sha (not checked against any
 * repository here). BTK_EINVAL for a malformed sha or an empty glob, BTK_EIO. */
int btk_store_add_ack(btk_store *db, const char *sha, const char *glob, const char *note,
                      int64_t *id_out);
/* Every ack, oldest first; none before schema v4. Free with btk_acks_free. */
int btk_store_list_acks(btk_ack **acks_out, size_t *count_out, btk_store *db);
/* Delete the ack with this id. BTK_ENOTFOUND when there is none. */
int btk_store_remove_ack(btk_store *db, int64_t id);
void btk_acks_free(btk_ack *acks, size_t count);

#endif
