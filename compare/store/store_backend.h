/*
 * The interface between the store's front (store.c: the functions of store.h) and its
 * backends (store_sqlite*.c, SQLite; store_pg*.c, PostgreSQL). A backend's open returns a
 * handle whose first member is a btk_store naming the backend's table; the front calls
 * through it, so nothing above the store knows which backend it talks to.
 */
#ifndef BTK_STORE_BACKEND_H
#define BTK_STORE_BACKEND_H

#include "store.h"

/* The schema version this build writes, the same on every backend (SQLite keeps it in
 * PRAGMA user_version; docs/database.md). */
#define BTK_STORE_SCHEMA_VERSION 9
/* The versions that added machine classes (runs.hostname, machines.name), acknowledged
 * regressions (acks), counts and CPU time (run_counts, result_metrics, cpu_samples) and run
 * uids. */
#define BTK_STORE_MACHINE_VERSION 3
#define BTK_STORE_ACK_VERSION 4
#define BTK_STORE_METRICS_VERSION 5
#define BTK_STORE_UID_VERSION 6
/* Schema v7: results.call_percentiles (per-call mode: p50..p999 are of single calls). */
#define BTK_STORE_CALLS_VERSION 7
/* Schema v8: the core clock of each sample (clock_samples) and a result's core-cycle
 * statistics (result_metrics.core_*): the cycles metric (docs/database.md). */
#define BTK_STORE_CLOCK_VERSION 8
/* Schema v9: each process's shared-core reading (samples.branch_ratio), from which a
 * loaded run's processes are set aside as at import (docs/database.md, "Shared core"). */
#define BTK_STORE_RATIO_VERSION 9

/* One backend: the store.h functions of an open handle, with their contracts. close
 * accepts NULL. */
typedef struct btk_store_backend {
    const char *name;
    void (*close)(btk_store *db);
    /* add the run under uid (BTK_STORE_UID_LEN hex digits); when a run with that uid is
     * there already, nothing is added, *added_out is false and *id_out is that run's id */
    int (*add_run)(btk_store *db, const btk_run *run, const char *uid, int64_t *id_out,
                   bool *added_out);
    /* the uid of a run (BTK_ENOTFOUND when absent) / the run of a uid (BTK_ENOTFOUND) */
    int (*run_uid)(char *out, btk_store *db, int64_t run_id);
    int (*find_uid)(int64_t *id_out, btk_store *db, const char *uid);
    int (*load_run)(btk_run **out, btk_store *db, int64_t run_id, bool with_samples);
    int (*runs_for_commit)(int64_t **ids_out, size_t *count_out, btk_store *db,
                           const char *sha, const char *machine_fp);
    int (*list_runs)(btk_run_row **rows_out, size_t *count_out, btk_store *db,
                     size_t limit);
    int (*history)(btk_history_point **points_out, size_t *count_out, btk_store *db,
                   const char *bench_name, const char *machine_fp,
                   const char (*shas)[41], size_t sha_count, btk_history_metric metric);
    int (*machines)(char ***fps_out, size_t *count_out, btk_store *db);
    int (*benchmark_names)(char ***names_out, size_t *count_out, btk_store *db,
                           const char *machine_fp);
    int (*machine_info)(btk_machine *out, btk_store *db, const char *fingerprint);
    int (*machine_has_host)(btk_store *db, const char *fingerprint, const char *host);
    int (*add_ack)(btk_store *db, const char *sha, const char *glob, const char *note,
                   int64_t *id_out);
    int (*list_acks)(btk_ack **acks_out, size_t *count_out, btk_store *db);
    int (*remove_ack)(btk_store *db, int64_t id);
} btk_store_backend;

struct btk_store {
    const btk_store_backend *backend;
};

/* The backends' constructors: a database file (SQLite) and a server location (PostgreSQL;
 * BTK_EUNSUPPORTED from a build without it). Contract of btk_store_open. */
int btk_store__open_file(btk_store **out, const char *path, unsigned flags);
int btk_store__open_server(btk_store **out, const char *location, unsigned flags);
/* Whether btk_store__open_server is a real backend (btk_store_supports_server). */
extern const bool btk_store__has_server;

/* The byte ranges {offset, length} of the passwords a server location holds (the user
 * info's, "password=" query parameters), at most max, in order; 0 for a file. */
size_t btk_store__password_spans(const char *location, size_t (*spans)[2], size_t max);

/* The uid an old run (stored before schema version 4) gets from its content: the run's id
 * in its store and the given fields (NULL allowed), hashed (two FNV-1a 64 passes) into
 * BTK_STORE_UID_LEN hex digits + NUL in out. Copies of one old database so give their runs
 * the same uids. */
void btk_store__content_uid(char *out, int64_t id, const char *const *fields, size_t count);

/* Samples blob codec, the same bytes on every backend: little-endian IEEE-754 float64 (ns)
 * / uint64 (batch) arrays. */
void btk_store__encode_u64(unsigned char *out, const uint64_t *v, size_t n);
void btk_store__decode_u64(uint64_t *out, const unsigned char *in, size_t n);
void btk_store__encode_f64(unsigned char *out, const double *v, size_t n);
void btk_store__decode_f64(double *out, const unsigned char *in, size_t n);

#endif
