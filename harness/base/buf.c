/*
 * Growable string buffer with a hard cap (after curl's dynbuf): the way strings leave our
 * functions, so untrusted input can never grow one without bound.
 */
#include "internal.h"

static size_t buf_max(const btk_buf *buf)
{
    return buf->max ? buf->max : BTK_BUF_DEFAULT_MAX;
}

/* Make room for len more bytes plus the NUL. */
static int buf_grow(btk_buf *buf, size_t len)
{
    size_t need, alloc;
    char *p;

    if (len > buf_max(buf) - buf->len)
        return btk_error_set(BTK_ENOMEM, "text exceeds the limit of %zu bytes", buf_max(buf));
    need = buf->len + len + 1;
    if (need <= buf->alloc)
        return 0;
    alloc = buf->alloc ? buf->alloc : 64;
    while (alloc < need)
        alloc *= 2;
    if ((p = btk__realloc(buf->ptr, alloc)) == NULL)
        return BTK_ENOMEM;
    buf->ptr = p;
    buf->alloc = alloc;
    return 0;
}

int btk_buf_put(btk_buf *buf, const char *data, size_t len)
{
    int error;

    if ((error = buf_grow(buf, len)) < 0)
        return error;
    if (len)
        memcpy(buf->ptr + buf->len, data, len);
    buf->len += len;
    buf->ptr[buf->len] = '\0';
    return 0;
}

int btk_buf_puts(btk_buf *buf, const char *s)
{
    return btk_buf_put(buf, s, strlen(s));
}

int btk_buf_vprintf(btk_buf *buf, const char *fmt, va_list ap)
{
    va_list copy;
    int n, error;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return btk_error_set(BTK_EINVAL, "invalid format string");
    if ((error = buf_grow(buf, (size_t)n)) < 0)
        return error;
    vsnprintf(buf->ptr + buf->len, (size_t)n + 1, fmt, ap);
    buf->len += (size_t)n;
    return 0;
}

int btk_buf_printf(btk_buf *buf, const char *fmt, ...)
{
    va_list ap;
    int error;

    va_start(ap, fmt);
    error = btk_buf_vprintf(buf, fmt, ap);
    va_end(ap);
    return error;
}

const char *btk_buf_cstr(const btk_buf *buf)
{
    return buf->ptr ? buf->ptr : "";
}

void btk_buf_clear(btk_buf *buf)
{
    buf->len = 0;
    if (buf->ptr)
        buf->ptr[0] = '\0';
}

void btk_buf_free(btk_buf *buf)
{
    btk__free(buf->ptr);
    buf->ptr = NULL;
    buf->len = buf->alloc = 0;
}

char *btk_buf_detach(btk_buf *buf)
{
    char *p = buf->ptr ? buf->ptr : btk__strdup("");

    buf->ptr = NULL;
    buf->len = buf->alloc = 0;
    return p;
}
