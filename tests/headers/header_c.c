/* Compiles the public umbrella header alone as C11 (libgit2's headertest idea): it must be
 * self-contained and warning-free under -Wall -Wextra -Wpedantic -Werror. */
#include <benchtrack.h>

int btk_header_test_c(void);
int btk_header_test_c(void)
{
    return BTK_OK;
}
