/* Placeholder: the benchmark binary's flags arrive with the harness issue. */
#include "benchtrack.h"
#include "internal.h"

int btk_main(int argc, char **argv)
{
    BTK_UNUSED(argc);
    BTK_UNUSED(argv);
    fprintf(stderr, "benchtrack: no benchmarks yet\n");
    return 2;
}
