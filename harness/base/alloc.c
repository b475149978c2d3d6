/*
 * The one allocator of benchtrack's own code. Every internal allocation goes through here so
 * that tests can fail the Nth allocation and check for a clean error and no leak.
 */
#include "internal.h"

/* Fault injection state: fail_after < 0 means never fail. Not thread-safe by design: tests
 * that inject faults are single-threaded. */
static long fail_after = -1;
static long alloc_count;

long btk__alloc_fail_after(long n)
{
    long made = alloc_count;

    alloc_count = 0;
    fail_after = n;
    return made;
}

/* True when this allocation must fail for fault injection. */
static bool should_fail(void)
{
    if (fail_after < 0)
        return false;
    if (alloc_count >= fail_after)
        return true;
    alloc_count++;
    return false;
}

static void *oom(size_t size)
{
    btk_error_set(BTK_ENOMEM, "out of memory allocating %zu bytes", size);
    return NULL;
}

void *btk__malloc(size_t size)
{
    void *p;

    if (should_fail() || (p = malloc(size ? size : 1)) == NULL)
        return oom(size);
    return p;
}

void *btk__calloc(size_t count, size_t size)
{
    void *p;

    if (should_fail() || (p = calloc(count ? count : 1, size ? size : 1)) == NULL)
        return oom(count * size);
    return p;
}

void *btk__realloc(void *ptr, size_t size)
{
    void *p;

    if (should_fail() || (p = realloc(ptr, size ? size : 1)) == NULL)
        return oom(size);
    return p;
}

char *btk__strndup(const char *s, size_t len)
{
    char *p;
    size_t n = strnlen(s, len);

    if ((p = btk__malloc(n + 1)) == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *btk__strdup(const char *s)
{
    return btk__strndup(s, strlen(s));
}

void btk__free(void *ptr)
{
    free(ptr);
}
