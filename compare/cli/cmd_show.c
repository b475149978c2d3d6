/* benchtrack show: placeholder until its issue lands; says so and exits 2. */
#include "cli.h"

int cmd_show(int argc, char **argv)
{
    BTK_UNUSED(argc);
    BTK_UNUSED(argv);
    return cli_die(CLI_EXIT_USAGE, "'show' is not implemented yet");
}
