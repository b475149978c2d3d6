/*
 * JUnit XML output of a comparison: one <testcase> per benchmark; regressed, failed and
 * budget verdicts carry a <failure>, inconclusive and missing ones a <skipped>. Every name
 * and message is XML-escaped; characters XML 1.0 forbids become U+FFFD.
 */
#include "format.h"

#include <math.h>

/* Escape s for XML text and attribute values. */
static int put_xml(btk_buf *out, const char *s)
{
    int error = 0;

    for (; s && *s && error == 0; s++) {
        unsigned char c = (unsigned char)*s;

        switch (c) {
        case '&': error = btk_buf_puts(out, "&amp;"); break;
        case '<': error = btk_buf_puts(out, "&lt;"); break;
        case '>': error = btk_buf_puts(out, "&gt;"); break;
        case '"': error = btk_buf_puts(out, "&quot;"); break;
        case '\'': error = btk_buf_puts(out, "&apos;"); break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
                error = btk_buf_puts(out, "\xef\xbf\xbd");
            else
                error = btk_buf_put(out, s, 1);
        }
    }
    return error;
}

static bool is_failure(btk_verdict_kind k)
{
    return k == BTK_VERDICT_REGRESSED || k == BTK_VERDICT_FAILED || k == BTK_VERDICT_BUDGET;
}

static bool is_skipped(btk_verdict_kind k)
{
    return k == BTK_VERDICT_INCONCLUSIVE || k == BTK_VERDICT_MISSING;
}

/* The figure a verdict's change is of, for the failure text: "cycles" by estimated core
 * cycles (--metric cycles), else "time". */
static const char *figure_of(const btk_verdict *v)
{
    return v->metric && !strcmp(v->metric, "cycles") ? "cycles" : "time";
}

static int testcase(btk_buf *out, const btk_verdict *v)
{
    char change[24];
    int error = btk_buf_puts(out, "    <testcase classname=\"benchtrack\" name=\"");

    btk_format__change(change, sizeof(change), v->ratio);
    error = error ? error : put_xml(out, v->name);
    error = error ? error : btk_buf_puts(out, "\" time=\"0\">\n");
    if (error == 0 && (is_failure(v->kind) || is_skipped(v->kind))) {
        error = btk_buf_printf(out, "      <%s message=\"%s: ",
                               is_failure(v->kind) ? "failure" : "skipped",
                               btk_verdict_name(v->kind));
        error = error ? error : put_xml(out, v->reason);
        if (error == 0 && is_failure(v->kind))
            error = btk_buf_printf(out, "\" type=\"%s\">%s %s, change %s, q %.3g; "
                                   "memory %s\n", btk_verdict_name(v->kind), figure_of(v),
                                   btk_verdict_name(v->time_kind), change, v->q_value,
                                   v->has_memory ? btk_verdict_name(v->memory_kind) : "-");
        error = error ? error : btk_buf_puts(out, is_failure(v->kind) ? "</failure>\n"
                                                                       : "\"/>\n");
    }
    if (error == 0 && v->reason && !is_failure(v->kind) && !is_skipped(v->kind)) {
        error = btk_buf_printf(out, "      <system-out>%s, change %s: ",
                               btk_verdict_name(v->kind), change);
        error = error ? error : put_xml(out, v->reason);
        error = error ? error : btk_buf_puts(out, "</system-out>\n");
    }
    return error ? error : btk_buf_puts(out, "    </testcase>\n");
}

int btk_format__junit(btk_buf *out, const btk_comparison *cmp, const btk_format_header *hdr)
{
    size_t failures = 0, skipped = 0;
    int error;

    for (size_t i = 0; i < cmp->count; i++) {
        failures += is_failure(cmp->items[i].kind);
        skipped += is_skipped(cmp->items[i].kind);
    }
    error = btk_buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                "<testsuites name=\"benchtrack\" tests=\"%zu\" failures=\"%zu\">"
                                "\n  <testsuite name=\"",
                           cmp->count, failures);
    error = error ? error : put_xml(out, hdr && hdr->title ? hdr->title : "benchtrack");
    if (error == 0)
        error = btk_buf_printf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                                    "skipped=\"%zu\">\n", cmp->count, failures, skipped);
    if (error == 0 && hdr && (hdr->base || hdr->contender)) {
        error = btk_buf_puts(out, "    <properties>\n      <property name=\"base\" value=\"");
        error = error ? error : put_xml(out, hdr->base);
        error = error ? error : btk_buf_puts(out, "\"/>\n      <property name=\"contender\" "
                                                  "value=\"");
        error = error ? error : put_xml(out, hdr->contender);
        if (error == 0 && hdr->warning) {
            error = btk_buf_puts(out, "\"/>\n      <property name=\"warning\" value=\"");
            error = error ? error : put_xml(out, hdr->warning);
        }
        error = error ? error : btk_buf_puts(out, "\"/>\n    </properties>\n");
    }
    for (size_t i = 0; i < cmp->count && error == 0; i++)
        error = testcase(out, &cmp->items[i]);
    return error ? error : btk_buf_puts(out, "  </testsuite>\n</testsuites>\n");
}
