/*
 * Counting-mode backend for Linux: personality(ADDR_NO_RANDOMIZE) turns address-space
 * randomization off for the programs this process executes (the counted process), as
 * `setarch -R` does, so its stack, heap and mappings land at the same addresses every run.
 * The program re-executes its own file, found through /proc/self/exe.
 */
#include "count.h"

#include <sys/personality.h>
#include <unistd.h>

bool btk_count__no_aslr(char *why, size_t len)
{
    int cur = personality(0xffffffff);

    if (cur == -1 || personality((unsigned long)cur | ADDR_NO_RANDOMIZE) == -1) {
        snprintf(why, len, "cannot turn address-space randomization off: %s",
                 strerror(errno));
        return false;
    }
    return true;
}

bool btk_count__aslr_is_off(void)
{
    int cur = personality(0xffffffff);

    return cur != -1 && (cur & ADDR_NO_RANDOMIZE) != 0;
}

int btk_count__program(char *buf, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);

    if (n <= 0)
        return btk_error_set(BTK_EIO, "cannot find this program's file: %s", strerror(errno));
    buf[n] = '\0';
    return 0;
}
