/*
 * Escaping untrusted text for gnuplot, HTML, URLs, file names, CSV and OpenMetrics. Pure functions over
 * btk_buf; see escape.h for each contract and docs/report.md for the reasons.
 */
#include "escape.h"

size_t btk_escape_utf8_len(const unsigned char *s)
{
    size_t len, i;
    uint32_t cp;

    if (s[0] == 0)
        return 0;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        len = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        len = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        len = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* reject overlong forms, surrogates and values past U+10FFFF */
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

int btk_escape_gnuplot(btk_buf *buf, const char *s, size_t max_chars)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t chars = 0, n;
    int error = btk_buf_put(buf, "'", 1);

    while (error == 0 && *p) {
        if (max_chars && chars == max_chars) {
            error = btk_buf_puts(buf, "...");
            break;
        }
        n = btk_escape_utf8_len(p);
        if (n == 0 || *p < 0x20 || *p == 0x7f)
            error = btk_buf_put(buf, "?", 1), n = n ? n : 1;
        else if (*p == '\'')
            error = btk_buf_puts(buf, "\xe2\x80\x99"); /* U+2019, see escape.h */
        else
            error = btk_buf_put(buf, (const char *)p, n);
        p += n;
        chars++;
    }
    return error ? error : btk_buf_put(buf, "'", 1);
}

int btk_escape_html(btk_buf *buf, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    const char *rep;
    size_t n;
    int error = 0;

    while (error == 0 && *p) {
        n = btk_escape_utf8_len(p);
        rep = NULL;
        switch (*p) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        case '\t':
        case '\n':
            break;
        default:
            if (n == 0 || *p < 0x20 || *p == 0x7f)
                rep = "\xef\xbf\xbd"; /* U+FFFD */
        }
        error = rep ? btk_buf_puts(buf, rep) : btk_buf_put(buf, (const char *)p, n);
        p += n ? n : 1;
    }
    return error;
}

int btk_escape_url(btk_buf *buf, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p;
    char enc[3] = {'%', 0, 0};
    int error = 0;

    for (p = (const unsigned char *)s; error == 0 && *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
            *p == '~') {
            error = btk_buf_put(buf, (const char *)p, 1);
        } else {
            enc[1] = hex[*p >> 4];
            enc[2] = hex[*p & 15];
            error = btk_buf_put(buf, enc, 3);
        }
    }
    return error;
}

uint64_t btk_escape_hash(const char *s)
{
    return btk__fnv1a(BTK_FNV1A_INIT, s, strlen(s));
}

static bool filename_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

int btk_escape_filename(btk_buf *buf, const char *s)
{
    char stem[BTK_ESCAPE_FILENAME_STEM + 1];
    size_t i;

    for (i = 0; i < BTK_ESCAPE_FILENAME_STEM && s[i]; i++)
        stem[i] = filename_char(s[i]) ? s[i] : '_';
    stem[i] = '\0';
    if (i == 0)
        stem[i++] = '_', stem[i] = '\0';
    else if (stem[0] == '.')
        stem[0] = '_';
    return btk_buf_printf(buf, "%s-%016" PRIx64, stem, btk_escape_hash(s));
}

typedef struct stem_ref {
    const char *stem;
    size_t index;
} stem_ref;

static int cmp_stem_refs(const void *a, const void *b)
{
    const stem_ref *x = a, *y = b;
    int d = strcmp(x->stem, y->stem);

    return d ? d : (x->index > y->index) - (x->index < y->index);
}

int btk_escape_unique_stems(char **stems, size_t n)
{
    stem_ref *refs;
    btk_buf buf = BTK_BUF_INIT;
    size_t i, run = 1;
    int error = 0;

    if (n < 2)
        return 0;
    if ((refs = btk__malloc(n * sizeof(*refs))) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < n; i++)
        refs[i] = (stem_ref){stems[i], i};
    qsort(refs, n, sizeof(*refs), cmp_stem_refs);
    for (i = 1; i < n && error == 0; i++) {
        char *renamed;

        run = strcmp(refs[i].stem, refs[i - 1].stem) ? 1 : run + 1;
        if (run == 1)
            continue;
        btk_buf_clear(&buf);
        if ((error = btk_buf_printf(&buf, "%s-%zu", refs[i].stem, run)) < 0)
            break;
        if ((renamed = btk_buf_detach(&buf)) == NULL) {
            error = BTK_ENOMEM;
            break;
        }
        /* refs[i].stem stays the old string (still compared with the next one) until the
         * walk is done; the array gets the new one. */
        stems[refs[i].index] = renamed;
    }
    for (i = 0; i < n; i++)
        if (stems[refs[i].index] != refs[i].stem)
            btk__free((char *)refs[i].stem);
    btk_buf_free(&buf);
    btk__free(refs);
    return error;
}

int btk_escape_csv(btk_buf *buf, const char *s)
{
    size_t len = strlen(s);
    bool formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (len && (s[0] == ' ' || s[len - 1] == ' '));
    int error = 0;

    if (!quote && !formula)
        return btk_buf_put(buf, s, len);
    if (quote)
        error = btk_buf_put(buf, "\"", 1);
    if (error == 0 && formula)
        error = btk_buf_put(buf, "'", 1);
    for (; error == 0 && *s; s++)
        error = *s == '"' ? btk_buf_put(buf, "\"\"", 2) : btk_buf_put(buf, s, 1);
    return error == 0 && quote ? btk_buf_put(buf, "\"", 1) : error;
}

int btk_escape_openmetrics(btk_buf *buf, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;
    int error = 0;

    while (error == 0 && *p) {
        n = btk_escape_utf8_len(p);
        if (*p == '\\')
            error = btk_buf_puts(buf, "\\\\");
        else if (*p == '"')
            error = btk_buf_puts(buf, "\\\"");
        else if (*p == '\n')
            error = btk_buf_puts(buf, "\\n");
        else if (n == 0) /* U+FFFD and the byte's hex digits */
            error = btk_buf_printf(buf, "\xef\xbf\xbd%02x", *p), n = 1;
        else
            error = btk_buf_put(buf, (const char *)p, n);
        p += n ? n : 1;
    }
    return error;
}
