/*
 * The library-supplied main(). It sits alone in its archive member so the linker pulls it
 * in only when the benchmark program defines no main of its own.
 */
#include "benchtrack.h"

int main(int argc, char **argv)
{
    return btk_main(argc, argv);
}
