/*
 * The single internal include shared by harness/ and compare/: system headers, assertion and
 * unused-value helpers, the allocator wrappers (one fault-injection hook for tests), the error
 * setter, the growable buffer, and FNV-1a hashing.
 */
#ifndef BTK_INTERNAL_H
#define BTK_INTERNAL_H

#include "benchtrack/error.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BTK_ASSERT(x) assert(x)
#define BTK_UNUSED(x) ((void)(x))
#define BTK_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define BTK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BTK_PRINTF(f, a)
#endif

/* ---- errors (error.c) ---- */

/* Record code and a printf-style one-line message for btk_error_last(); return code.
 * Call once, where the error is found; callers above pass the code up unchanged. */
int btk_error_set(int code, const char *fmt, ...) BTK_PRINTF(2, 3);

/* Write s into out (size len) with quotes and control characters escaped, truncated with
 * "..." to fit: for naming untrusted values in messages. Returns out. */
const char *btk_error_quote(char *out, size_t len, const char *s);

/* ---- allocation (alloc.c) ---- */

/* malloc/calloc/realloc/free/strdup wrappers. On failure they set BTK_ENOMEM and return
 * NULL. Tests can make the Nth allocation fail through btk__alloc_fail_after(). */
void *btk__malloc(size_t size);
void *btk__calloc(size_t count, size_t size);
void *btk__realloc(void *ptr, size_t size);
char *btk__strdup(const char *s);
char *btk__strndup(const char *s, size_t len);
void btk__free(void *ptr);

/* Fault injection: after n more successful allocations every allocation fails until
 * reset with n < 0. Returns the number of allocations made since the last call. */
long btk__alloc_fail_after(long n);

/* ---- numbers from the command line (number.c) ---- */

/* True when s is written as a plain decimal: an optional '-', digits, and with fraction
 * an optional ".digits". strtol and strtod alone also take " 5", "+5", "1e3", "0x10" and
 * "inf", which no option means. */
bool btk__is_plain_decimal(const char *s, bool fraction);

/* The value of hex digit c (0-9, a-f, A-F), or -1. */
int btk__hex_digit(int c);

/* ---- wall-clock deadlines (monotonic.c) ---- */

/* CLOCK_MONOTONIC in milliseconds, for deadlines and back-offs (not for measuring). */
double btk__monotonic_ms(void);

/* ---- hashing (hash.c) ---- */

#define BTK_FNV1A_INIT 0xcbf29ce484222325ULL /* the FNV-1a 64-bit offset basis */
#define BTK_FNV1A_PRIME 0x100000001b3ULL

/* Continue the 64-bit FNV-1a hash h over the len bytes at data (data may be NULL when
 * len is 0); start from BTK_FNV1A_INIT. Never fails. */
uint64_t btk__fnv1a(uint64_t h, const void *data, size_t len);

/* "fnv1a64:" and 16 hex digits, and the NUL. */
#define BTK_FILE_ID_LEN 25

/* The identity of the file at path: the FNV-1a of its bytes, as "fnv1a64:%016x" in out
 * ("" on failure). BTK_EIO names the path when it cannot be opened or read. */
int btk__file_id(char out[BTK_FILE_ID_LEN], const char *path);

/* ---- growable string buffer (buf.c), after curl's dynbuf: has a hard size cap ---- */
typedef struct btk_buf {
    char *ptr;     /* NUL-terminated contents, or NULL when empty and never grown */
    size_t len;    /* bytes used, not counting the NUL */
    size_t alloc;  /* bytes allocated */
    size_t max;    /* hard cap on len; 0 means BTK_BUF_DEFAULT_MAX */
} btk_buf;

#define BTK_BUF_INIT {NULL, 0, 0, 0}
#define BTK_BUF_DEFAULT_MAX ((size_t)1 << 30)

int btk_buf_put(btk_buf *buf, const char *data, size_t len);
int btk_buf_puts(btk_buf *buf, const char *s);
int btk_buf_printf(btk_buf *buf, const char *fmt, ...) BTK_PRINTF(2, 3);
int btk_buf_vprintf(btk_buf *buf, const char *fmt, va_list ap);
/* The contents as a string: never NULL ("" for an empty buffer). Borrowed. */
const char *btk_buf_cstr(const btk_buf *buf);
void btk_buf_clear(btk_buf *buf);  /* length 0, memory kept */
void btk_buf_free(btk_buf *buf);   /* memory released, buffer reusable */
/* Hand the contents to the caller (free with btk__free) and reset the buffer. */
char *btk_buf_detach(btk_buf *buf);

#endif
