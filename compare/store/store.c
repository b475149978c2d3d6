/*
 * The store's front: picks the backend from the database location and forwards every
 * store.h call to it, and holds what all backends share (the location shown without its
 * password, the list destructors and the samples blob codec). Backends: store_sqlite*.c,
 * store_pg*.c; the interface: store_backend.h.
 */
#include "store.h"

#include "metric.h"
#include "store_backend.h"

#include <ctype.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static const char *const server_schemes[] = {"postgresql://", "postgres://"};

bool btk_store_supports_server(void)
{
    return btk_store__has_server;
}

bool btk_store_location_is_file(const char *location)
{
    for (size_t i = 0; location && i < BTK_ARRAY_SIZE(server_schemes); i++)
        if (!strncmp(location, server_schemes[i], strlen(server_schemes[i])))
            return false;
    return true;
}

/* The user info's password: after the scheme, up to the first '@' or '/' (as libpq reads
 * it), the part after its first ':'. */
static size_t userinfo_password(const char *location, size_t (*spans)[2], size_t max)
{
    const char *start = strstr(location, "://") + 3;
    size_t end = strcspn(start, "@/");
    const char *colon;

    if (max == 0 || start[end] != '@')
        return 0;
    if ((colon = memchr(start, ':', end)) == NULL)
        return 0;
    spans[0][0] = (size_t)(colon + 1 - location);
    spans[0][1] = (size_t)(start + end - (colon + 1));
    return 1;
}

size_t btk_store__password_spans(const char *location, size_t (*spans)[2], size_t max)
{
    const char *q;
    size_t n;

    if (btk_store_location_is_file(location))
        return 0;
    n = userinfo_password(location, spans, max);
    if ((q = strchr(location, '?')) == NULL)
        return n;
    for (q++; *q && n < max;) {
        size_t len = strcspn(q, "&");

        if (len >= 9 && !strncmp(q, "password=", 9)) {
            spans[n][0] = (size_t)(q + 9 - location);
            spans[n][1] = len - 9;
            n++;
        }
        q += len + (q[len] == '&');
    }
    return n;
}

int btk_store_redact(char **out, const char *location)
{
    size_t spans[8][2], n = btk_store__password_spans(location, spans, 8), at = 0;
    btk_buf buf = BTK_BUF_INIT;
    int error = 0;

    for (size_t i = 0; i < n && error == 0; i++) {
        error = btk_buf_put(&buf, location + at, spans[i][0] - at);
        if (error == 0)
            error = btk_buf_puts(&buf, "***");
        at = spans[i][0] + spans[i][1];
    }
    if (error == 0)
        error = btk_buf_puts(&buf, location + at);
    if (error < 0 || (*out = btk_buf_detach(&buf)) == NULL) {
        btk_buf_free(&buf);
        *out = NULL;
        return BTK_ENOMEM;
    }
    return 0;
}

int btk_store_open(btk_store **out, const char *path, unsigned flags)
{
    *out = NULL;
    if (path == NULL || *path == '\0')
        return btk_error_set(BTK_EINVAL, "no results database path given");
    if (!btk_store_location_is_file(path))
        return btk_store__open_server(out, path, flags);
    return btk_store__open_file(out, path, flags);
}

void btk_store_close(btk_store *db)
{
    if (db != NULL)
        db->backend->close(db);
}

/* 16 random bytes (getrandom; else a hash of the time, the pid and a counter, which still
 * differs between the runs of one machine) as BTK_STORE_UID_LEN hex digits. */
static void random_uid(char *out)
{
    static unsigned counter;
    unsigned char bytes[16];
    ssize_t got = getrandom(bytes, sizeof(bytes), GRND_NONBLOCK);

    if (got != (ssize_t)sizeof(bytes)) {
        struct timespec ts;
        uint64_t h[2];

        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned vals[] = {(unsigned)ts.tv_sec, (unsigned)ts.tv_nsec, (unsigned)getpid(),
                           counter++};
        h[0] = btk__fnv1a(BTK_FNV1A_INIT, vals, sizeof(vals));
        h[1] = btk__fnv1a(h[0] ^ 0x9e3779b97f4a7c15ULL, vals, sizeof(vals));
        memcpy(bytes, h, sizeof(bytes));
    }
    for (size_t i = 0; i < sizeof(bytes); i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

static bool valid_uid(const char *uid)
{
    size_t i;

    for (i = 0; uid && i < BTK_STORE_UID_LEN; i++)
        if (!isxdigit((unsigned char)uid[i]) || isupper((unsigned char)uid[i]))
            return false;
    return uid && uid[i] == '\0';
}

void btk_store__content_uid(char *out, int64_t id, const char *const *fields, size_t count)
{
    uint64_t h[2] = {btk__fnv1a(BTK_FNV1A_INIT, &id, sizeof(id)), 0};

    h[1] = btk__fnv1a(h[0] ^ 0x9e3779b97f4a7c15ULL, &id, sizeof(id));
    for (size_t i = 0; i < count; i++)
        for (int k = 0; k < 2; k++) {
            h[k] = btk__fnv1a(h[k], fields[i], fields[i] ? strlen(fields[i]) : 0);
            h[k] = btk__fnv1a(h[k], fields[i] ? "\x1f" : "\x1e", 1);
        }
    snprintf(out, BTK_STORE_UID_LEN + 1, "%016" PRIx64 "%016" PRIx64, h[0], h[1]);
}

int btk_store_add_run(btk_store *db, const btk_run *run, int64_t *id_out)
{
    char uid[BTK_STORE_UID_LEN + 1];
    bool added;

    if (db == NULL)
        return btk_error_set(BTK_EINVAL, "cannot add a run: database not open for writing");
    random_uid(uid);
    return db->backend->add_run(db, run, uid, id_out, &added);
}

int btk_store_add_run_uid(btk_store *db, const btk_run *run, const char *uid, int64_t *id_out,
                          bool *added_out)
{
    if (db == NULL)
        return btk_error_set(BTK_EINVAL, "cannot add a run: database not open for writing");
    if (!valid_uid(uid))
        return btk_error_set(BTK_EINVAL, "cannot add a run: malformed run uid");
    return db->backend->add_run(db, run, uid, id_out, added_out);
}

int btk_store_run_uid(char *out, btk_store *db, int64_t run_id)
{
    return db->backend->run_uid(out, db, run_id);
}

int btk_store_find_uid(int64_t *id_out, btk_store *db, const char *uid)
{
    if (!valid_uid(uid))
        return btk_error_set(BTK_ENOTFOUND, "no run with a malformed uid");
    return db->backend->find_uid(id_out, db, uid);
}

/* With its samples, a loaded run's processes are set aside by the rule import applies
 * (btk_run_mark_aside, on the stored branch ratios), so that a stored run is read as the
 * same run imported; without them its results hold no processes to set aside. */
int btk_store_load_run(btk_run **out, btk_store *db, int64_t run_id, bool with_samples)
{
    int error = db->backend->load_run(out, db, run_id, with_samples);

    if (error < 0 || !with_samples)
        return error;
    if ((error = btk_run_mark_aside(*out)) < 0) {
        btk_run_free(*out);
        *out = NULL;
        return error;
    }
    return 0;
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
