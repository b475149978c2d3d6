/*
 * Choosing an output format of a comparison: parsing its name and dispatching to the
 * writer in format_text.c, format_json.c or format_junit.c. Only this file calls the
 * writers, so the format files depend on one another only through the shared helpers in
 * format_text.c.
 */
#include "format.h"

int btk_format_parse(btk_format_kind *out, const char *name)
{
    static const struct {
        const char *name;
        btk_format_kind kind;
    } table[] = {{"table", BTK_FORMAT_TABLE}, {"markdown", BTK_FORMAT_MARKDOWN},
                 {"md", BTK_FORMAT_MARKDOWN}, {"json", BTK_FORMAT_JSON},
                 {"junit", BTK_FORMAT_JUNIT}, {"csv", BTK_FORMAT_CSV}};
    char quoted[64];

    for (size_t i = 0; name && i < BTK_ARRAY_SIZE(table); i++)
        if (!strcmp(name, table[i].name))
            return *out = table[i].kind, 0;
    return btk_error_set(BTK_EINVAL, "unknown format '%s' (expected table, markdown, json, "
                         "junit or csv)", btk_error_quote(quoted, sizeof(quoted),
                                                          name ? name : ""));
}

int btk_format_comparison(btk_buf *out, const btk_comparison *cmp,
                          const btk_format_header *hdr, btk_format_kind kind, bool color)
{
    switch (kind) {
    case BTK_FORMAT_TABLE: return btk_format__table(out, cmp, hdr, color);
    case BTK_FORMAT_MARKDOWN: return btk_format__markdown(out, cmp, hdr);
    case BTK_FORMAT_JSON: return btk_format__json(out, cmp, hdr);
    case BTK_FORMAT_JUNIT: return btk_format__junit(out, cmp, hdr);
    case BTK_FORMAT_CSV: return btk_format__csv(out, cmp, hdr);
    }
    return btk_error_set(BTK_EINVAL, "unknown format");
}
