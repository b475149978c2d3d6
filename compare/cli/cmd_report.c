/* benchtrack report: placeholder until its issue lands; says so and exits 2. */
#include "cli.h"

int cmd_report(int argc, char **argv)
{
    BTK_UNUSED(argc);
    BTK_UNUSED(argv);
    return cli_die(CLI_EXIT_USAGE, "'report' is not implemented yet");
}
