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
#define BTK_STORE_SCHEMA_VERSION 2

/* One backend: the store.h functions of an open handle, with their contracts. close
 * accepts NULL. */
typedef struct btk_store_backend {
    const char *name;
    void (*close)(btk_store *db);
    int (*add_run)(btk_store *db, const btk_run *run, int64_t *id_out);
    int (*load_run)(btk_run **out, btk_store *db, int64_t run_id, bool with_samples);
    int (*runs_for_commit)(int64_t **ids_out, size_t *count_out, btk_store *db,
                           const char *sha, const char *machine_fp);
    int (*list_runs)(btk_run_row **rows_out, size_t *count_out, btk_store *db,
                     size_t limit);
    int (*history)(btk_history_point **points_out, size_t *count_out, btk_store *db,
                   const char *bench_name, const char *machine_fp,
                   const char (*shas)[41], size_t sha_count);
    int (*machines)(char ***fps_out, size_t *count_out, btk_store *db);
    int (*benchmark_names)(char ***names_out, size_t *count_out, btk_store *db,
                           const char *machine_fp);
    int (*machine_info)(btk_machine *out, btk_store *db, const char *fingerprint);
} btk_store_backend;

struct btk_store {
    const btk_store_backend *backend;
};

/* Samples blob codec, the same bytes on every backend: little-endian IEEE-754 float64 (ns)
 * / uint64 (batch) arrays. */
void btk_store__encode_u64(unsigned char *out, const uint64_t *v, size_t n);
void btk_store__decode_u64(uint64_t *out, const unsigned char *in, size_t n);
void btk_store__encode_f64(unsigned char *out, const double *v, size_t n);
void btk_store__decode_f64(double *out, const unsigned char *in, size_t n);

#endif
