/* libFuzzer target: the CLI's option parser (compare/cli/opt.c) with every command's real
 * table and argument struct. The first input byte picks a command, the rest is its argv
 * (arguments separated by NUL bytes). The command's own function runs; its call to
 * cli_parse_args is redirected here by the linker (-Wl,--wrap=cli_parse_args, see
 * tests/fuzz/CMakeLists.txt), which parses with the table it was given, builds the usage
 * and help from it, and stops the command before it does anything else. So the tables stay
 * static in their files and the parse writes into the real struct (ASan sees a bad offset).
 * Seeds: tests/fuzz/corpus/cli_opt/. */
#include "cli.h"
#include "opt.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
bool __wrap_cli_parse_args(int *status_out, void *args, const cli_cmd *cmd, int argc,
                           char **argv);

#define MAX_ARGS 32

bool __wrap_cli_parse_args(int *status_out, void *args, const cli_cmd *cmd, int argc,
                           char **argv)
{
    btk_buf text = BTK_BUF_INIT;
    bool help = false;

    (void)cli_opt_parse(args, &help, cmd, argc, argv);
    (void)cli_opt_usage(&text, cmd);
    (void)cli_opt_help(&text, cmd);
    btk_buf_free(&text);
    btk_error_clear();
    *status_out = 0;
    return false; /* the command returns at once */
}

typedef int (*command_fn)(int argc, char **argv);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const command_fn commands[] = {cmd_run,     cmd_import, cmd_history,
                                          cmd_log,     cmd_show,   cmd_compare,
                                          cmd_ab,      cmd_chart,  cmd_report};
    char *copy, *argv[MAX_ARGS + 1];
    int argc = 1;
    size_t i;

    if (size < 1)
        return 0;
    if ((copy = malloc(size + 1)) == NULL)
        return 0;
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '\0';
    argv[0] = "benchtrack-cmd";
    /* arguments: the NUL-separated pieces of the rest (an empty one is kept: "--db=") */
    for (i = 0; i < size - 1 && argc < MAX_ARGS; i++) {
        if (i == 0 || copy[i - 1] == '\0')
            argv[argc++] = &copy[i];
    }
    argv[argc] = NULL;
    commands[data[0] % (sizeof(commands) / sizeof(commands[0]))](argc, argv);
    free(copy);
    return 0;
}
