/* benchtrack history: placeholder until its issue lands; says so and exits 2. */
#include "cli.h"

int cmd_history(int argc, char **argv)
{
    BTK_UNUSED(argc);
    BTK_UNUSED(argv);
    return cli_die(CLI_EXIT_USAGE, "'history' is not implemented yet");
}
