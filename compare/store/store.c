/*
 * The store's front: picks the backend from the database location and forwards every
 * store.h call to it, and holds what all backends share (the list destructors and the
 * samples blob codec). Backends: store_sqlite*.c; the interface: store_backend.h.
 */
#include "store.h"

#include "store_backend.h"
#include "store_sqlite.h"

int btk_store_open(btk_store **out, const char *path, unsigned flags)
{
    *out = NULL;
    if (path == NULL || *path == '\0')
        return btk_error_set(BTK_EINVAL, "no results database path given");
    return btk_sqlite__open(out, path, flags);
}

void btk_store_close(btk_store *db)
{
    if (db != NULL)
        db->backend->close(db);
}

int btk_store_add_run(btk_store *db, const btk_run *run, int64_t *id_out)
{
    if (db == NULL)
        return btk_error_set(BTK_EINVAL, "cannot add a run: database not open for writing");
    return db->backend->add_run(db, run, id_out);
}

int btk_store_load_run(btk_run **out, btk_store *db, int64_t run_id, bool with_samples)
{
    return db->backend->load_run(out, db, run_id, with_samples);
}

int btk_store_runs_for_commit(int64_t **ids_out, size_t *count_out, btk_store *db,
                              const char *sha, const char *machine_fp)
{
    return db->backend->runs_for_commit(ids_out, count_out, db, sha, machine_fp);
}

int btk_store_list_runs(btk_run_row **rows_out, size_t *count_out, btk_store *db,
                        size_t limit)
{
    return db->backend->list_runs(rows_out, count_out, db, limit);
}

int btk_store_history(btk_history_point **points_out, size_t *count_out, btk_store *db,
                      const char *bench_name, const char *machine_fp,
                      const char (*shas)[41], size_t sha_count)
{
    return db->backend->history(points_out, count_out, db, bench_name, machine_fp, shas,
                                sha_count, BTK_HISTORY_TIME);
}

int btk_store_history_metric(btk_history_point **points_out, size_t *count_out,
                             btk_store *db, const char *bench_name, const char *machine_fp,
                             const char (*shas)[41], size_t sha_count,
                             btk_history_metric metric)
{
    return db->backend->history(points_out, count_out, db, bench_name, machine_fp, shas,
                                sha_count, metric);
}

int btk_store_machines(char ***fps_out, size_t *count_out, btk_store *db)
{
    return db->backend->machines(fps_out, count_out, db);
}

int btk_store_benchmark_names(char ***names_out, size_t *count_out, btk_store *db,
                              const char *machine_fp)
{
    return db->backend->benchmark_names(names_out, count_out, db, machine_fp);
}

int btk_store_machine_info(btk_machine *out, btk_store *db, const char *fingerprint)
{
    return db->backend->machine_info(out, db, fingerprint);
}

int btk_store_machine_has_host(btk_store *db, const char *fingerprint, const char *host)
{
    return db->backend->machine_has_host(db, fingerprint, host);
}

/* A full 40-digit lower-case sha. */
static bool full_sha(const char *sha)
{
    size_t i;

    for (i = 0; sha && sha[i]; i++)
        if (!strchr("0123456789abcdef", sha[i]))
            return false;
    return i == 40;
}

int btk_store_add_ack(btk_store *db, const char *sha, const char *glob, const char *note,
                      int64_t *id_out)
{
    if (!full_sha(sha) || glob == NULL || glob[0] == '\0' || note == NULL)
        return btk_error_set(BTK_EINVAL, "an acknowledgement needs a full commit sha, a "
                                         "non-empty benchmark glob and a note");
    return db->backend->add_ack(db, sha, glob, note, id_out);
}

int btk_store_list_acks(btk_ack **acks_out, size_t *count_out, btk_store *db)
{
    *acks_out = NULL;
    *count_out = 0;
    return db->backend->list_acks(acks_out, count_out, db);
}

int btk_store_remove_ack(btk_store *db, int64_t id)
{
    return db->backend->remove_ack(db, id);
}

void btk_acks_free(btk_ack *acks, size_t count)
{
    for (size_t i = 0; acks && i < count; i++) {
        btk__free(acks[i].glob);
        btk__free(acks[i].note);
    }
    btk__free(acks);
}

void btk_run_rows_free(btk_run_row *rows, size_t count)
{
    size_t i;

    for (i = 0; rows && i < count; i++) {
        btk__free(rows[i].branch);
        btk__free(rows[i].subject);
        btk__free(rows[i].date);
        btk__free(rows[i].machine_fp);
        btk__free(rows[i].hostname);
        btk__free(rows[i].machine_name);
        btk__free(rows[i].machine_host);
        btk__free(rows[i].compiler);
        btk__free(rows[i].flags);
    }
    btk__free(rows);
}

void btk_history_free(btk_history_point *points, size_t count)
{
    size_t i;

    for (i = 0; points && i < count; i++)
        btk__free(points[i].subject);
    btk__free(points);
}

void btk_strings_free(char **strings, size_t count)
{
    size_t i;

    for (i = 0; strings && i < count; i++)
        btk__free(strings[i]);
    btk__free(strings);
}

void btk_store__encode_u64(unsigned char *out, const uint64_t *v, size_t n)
{
    size_t i, b;

    for (i = 0; i < n; i++)
        for (b = 0; b < 8; b++)
            out[i * 8 + b] = (unsigned char)(v[i] >> (8 * b));
}

void btk_store__decode_u64(uint64_t *out, const unsigned char *in, size_t n)
{
    size_t i, b;

    for (i = 0; i < n; i++) {
        out[i] = 0;
        for (b = 0; b < 8; b++)
            out[i] |= (uint64_t)in[i * 8 + b] << (8 * b);
    }
}

void btk_store__encode_f64(unsigned char *out, const double *v, size_t n)
{
    size_t i;
    uint64_t bits;

    for (i = 0; i < n; i++) {
        memcpy(&bits, &v[i], sizeof(bits));
        btk_store__encode_u64(out + i * 8, &bits, 1);
    }
}

void btk_store__decode_f64(double *out, const unsigned char *in, size_t n)
{
    size_t i;
    uint64_t bits;

    for (i = 0; i < n; i++) {
        btk_store__decode_u64(&bits, in + i * 8, 1);
        memcpy(&out[i], &bits, sizeof(bits));
    }
}
