/*
 * The last-error record: one per thread, fixed size, so reporting an out-of-memory error
 * never allocates. Set once where an error is found; read by btk_error_last().
 */
#include "internal.h"

#include <ctype.h>

static _Thread_local btk_error last_error;

const btk_error *btk_error_last(void)
{
    return &last_error;
}

void btk_error_clear(void)
{
    last_error.code = BTK_OK;
    last_error.message[0] = '\0';
}

int btk_error_set(int code, const char *fmt, ...)
{
    va_list ap;

    last_error.code = code;
    va_start(ap, fmt);
    vsnprintf(last_error.message, sizeof(last_error.message), fmt, ap);
    va_end(ap);
    return code;
}

/* Append one escaped character at out[*pos] if it fits within limit; return false when not. */
static bool quote_char(char *out, size_t *pos, size_t limit, unsigned char c)
{
    char tmp[8];
    size_t n;

    if (c == '\n')
        n = (size_t)snprintf(tmp, sizeof(tmp), "\\n");
    else if (c == '\t')
        n = (size_t)snprintf(tmp, sizeof(tmp), "\\t");
    else if (c == '\'' || c == '\\')
        n = (size_t)snprintf(tmp, sizeof(tmp), "\\%c", c);
    else if (c < 0x20 || c == 0x7f)
        n = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", c);
    else {
        tmp[0] = (char)c;
        n = 1;
    }
    if (*pos + n > limit)
        return false;
    memcpy(out + *pos, tmp, n);
    *pos += n;
    return true;
}

const char *btk_error_quote(char *out, size_t len, const char *s)
{
    size_t pos = 0, limit;

    if (len == 0)
        return out;
    if (s == NULL)
        s = "(null)";
    limit = len > 4 ? len - 4 : 0; /* room for "..." and the NUL */
    for (; *s; s++) {
        if (!quote_char(out, &pos, limit, (unsigned char)*s)) {
            if (len >= 4) {
                memcpy(out + pos, "...", 3);
                pos += 3;
            }
            break;
        }
    }
    out[pos < len ? pos : len - 1] = '\0';
    return out;
}
