/* libFuzzer target: benchtrack.json (compare/stats/config.h) and, through it, the budget
 * expression parser. A parsed config is queried as compare does (settings for a benchmark
 * name, every budget checked against a value); the first line of the input is also parsed
 * as a lone budget expression. Seeds: tests/fuzz/corpus/config/. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_budget(const btk_budget *budget, void *payload)
{
    (void)payload;
    (void)btk_budget_holds(budget, 1.0);
    (void)btk_metric_name(budget->metric);
    return 0;
}

static void parse_expression(const uint8_t *data, size_t size)
{
    char expr[256];
    size_t len = 0;
    btk_budget budget;

    while (len < size && len < sizeof(expr) - 1 && data[len] != '\n')
        len++;
    memcpy(expr, data, len);
    expr[len] = '\0';
    memset(&budget, 0, sizeof(budget));
    if (btk_budget_parse(&budget, expr) == 0)
        btk_budget_clear(&budget);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const benches[] = {"lookup/100000", "sort/64", "", "a*b?[c]"};
    btk_config *config = NULL;
    size_t i;

    parse_expression(data, size);
    if (btk_config_parse(&config, (const char *)data, size, "benchtrack.json") == 0) {
        (void)btk_config_alpha(config, 0.01);
        (void)btk_config_target_branch(config);
        for (i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
            (void)btk_config_noise_band(config, benches[i], 0.02);
            (void)btk_config_max_regression(config, benches[i]);
            (void)btk_config_rss_tolerance(config, benches[i]);
            btk_config_foreach_budget(config, benches[i], check_budget, NULL);
        }
        btk_config_free(config);
    }
    btk_error_clear();
    return 0;
}
