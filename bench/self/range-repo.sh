# Sourced by bench/self/history-*.sh: the range of e2e.history.proof in a temporary
# repository. range_repo SRC BUILD LAST [STEP] makes ./repo (and enters it) with commits 0
# to LAST of a CPU-bound loop (spin(2000) per iteration), each commit after the first
# adding a line to NOTES, except STEP (if given), which makes the loop do 25 % more work;
# it sets buildcmd, the command that builds ./bench there against BUILD's libraries.
range_repo() {
    local src=$1 build=$2 last=$3 step=${4:-} i
    git init -q -b main repo && cd repo
    git config user.email b@example.com && git config user.name b
    cat >bench.c <<'C'
#include <benchtrack.h>
#ifndef WORK
#define WORK 2000
#endif
static unsigned spin(unsigned n) { unsigned x = 1; for (unsigned i = 0; i < n; i++) x = x * 33u + i; return x; }
BTK_BENCH(work) { BTK_LOOP(state) { btk_do_not_optimize(spin(WORK)); } }
C
    git add -A && git commit -qm "commit 0"
    for i in $(seq 1 "$last"); do
        if [ "$i" = "$step" ]; then sed -i 's/#define WORK 2000/#define WORK 2500/' bench.c
        else echo "$i" >>NOTES && git add NOTES; fi
        git commit -qam "commit $i"
    done
    buildcmd="cc -O2 -DNDEBUG -I$src/include bench.c $build/libbenchtrack_main.a \
$build/libbenchtrack.a $(pkg-config --libs jansson) -lm -ldl -o bench"
}
