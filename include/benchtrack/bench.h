/* Placeholder: the benchmark registration API arrives with the harness issue. */
#ifndef BENCHTRACK_BENCH_H
#define BENCHTRACK_BENCH_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

BTK_API int btk_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif
