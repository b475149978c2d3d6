/* benchtrack run: placeholder until its issue lands; says so and exits 2. */
#include "cli.h"

int cmd_run(int argc, char **argv)
{
    BTK_UNUSED(argc);
    BTK_UNUSED(argv);
    return cli_die(CLI_EXIT_USAGE, "'run' is not implemented yet");
}
