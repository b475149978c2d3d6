/*
 * `empty`: a benchmark whose body does nothing. Its figure is the harness's own cost per
 * iteration (the counted loop: about one compare-and-branch), which is what every other
 * benchmark's figure carries on top of its real work. bench/self/overhead.sh prints it.
 */
#include <benchtrack.h>

BTK_BENCH(empty)
{
    BTK_LOOP(state) {
    }
}
