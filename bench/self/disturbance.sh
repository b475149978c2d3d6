#!/usr/bin/env bash
# How long do disturbances from outside the guest last, and what do they do to ab's two
# schedules? (docs/figures/compare.md, "Benchmark-level stepping".) Records a timeline of a
# 4 KiB L1 copy (bench/self/disturbance.c, one sample per ~0.85 ms) pinned to CPU, then:
#  - the share of slow samples (> 1.15 x the median) per 10 s;
#  - the autocorrelation of the slow share of 100 ms windows at lags 0.1 s .. 10 s;
#  - A/A trials of ab's two schedules replayed on the timeline: 10 rounds 8 s apart; a
#    "process" is the median of a 100 ms window; whole invocations put a benchmark's two
#    processes 4 s apart (half a round: the examples suite), stepping puts them 0.1 s apart,
#    which first alternating. Each trial: Mann-Whitney p (normal approximation) and the
#    Hodges-Lehmann ratio; flagged when p < 0.05 and the ratio is more than 2 % from 1.
# usage: bench/self/disturbance.sh [SECONDS] [CPU]   (default 600 s on CPU 1)
#   env: TIMELINE=FILE: analyse FILE (one ns value per line) instead of recording.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-600}
cpu=${2:-1}
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-disturb-XXXXXX")
trap 'rm -rf "$work"' EXIT
timeline=${TIMELINE:-}
if [ -z "$timeline" ]; then
    cc -O2 "$here/disturbance.c" -o "$work/disturbance"
    echo "recording $secs s on CPU $cpu, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
    taskset -c "$cpu" "$work/disturbance" $(( secs * 1176 )) > "$work/timeline"
    timeline=$work/timeline
fi
python3 - "$timeline" <<'PY'
import math, statistics as st, sys
v = [float(x) for x in open(sys.argv[1])]
dt = 40000 * st.median(v) * 1e-9  # seconds per sample
base = st.median(v)
slow = [x > 1.15 * base for x in v]
print(f"{len(v)} samples, {len(v) * dt:.0f} s; median {base:.2f} ns per copy; "
      f"slow samples (> 1.15 x median): {100 * sum(slow) / len(v):.1f} %")
per = int(10 / dt)
print("slow share per 10 s:", " ".join(f"{sum(slow[i:i + per]) / per:.2f}"
                                       for i in range(0, len(v) - per + 1, per)))
w = int(0.1 / dt)
share = [sum(slow[i:i + w]) / w for i in range(0, len(v) - w + 1, w)]
m, var = st.mean(share), st.pvariance(share)
acf = []
for lag in (1, 2, 5, 10, 20, 50, 100):
    if lag < len(share) and var > 0:
        c = sum((share[i] - m) * (share[i + lag] - m) for i in range(len(share) - lag))
        acf.append(f"{lag / 10:g} s: {c / (len(share) - lag) / var:.2f}")
print("autocorrelation of the slow share of 100 ms windows:", ", ".join(acf))

def window(t):
    a, b = int(t / dt), int((t + 0.1) / dt)
    return st.median(v[a:b]) if b <= len(v) else None

def mw_p(x, y):
    allv = sorted([(a, 0) for a in x] + [(b, 1) for b in y])
    ranks, i = [0.0] * len(allv), 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1][0] == allv[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    n1, n2 = len(x), len(y)
    u = sum(r for r, (_, s) in zip(ranks, allv) if s == 0) - n1 * (n1 + 1) / 2
    z = (abs(u - n1 * n2 / 2) - 0.5) / math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12)
    return math.erfc(max(z, 0) / math.sqrt(2))

for name, gap, alternate in (("whole invocations (4 s apart)", 4.0, False),
                             ("stepped (0.1 s apart, alternating)", 0.1, True)):
    flagged = trials = 0
    errs = []
    t0 = 0.0
    while True:
        a, b = [], []
        for r in range(10):
            ta, tb = t0 + 8 * r, t0 + 8 * r + gap
            if alternate and r % 2:
                ta, tb = tb, ta
            x, y = window(ta), window(tb)
            if x is None or y is None:
                break
            a.append(x)
            b.append(y)
        if len(a) < 10:
            break
        trials += 1
        hl = st.median([q / p for p in a for q in b])
        errs.append(abs(hl - 1) * 100)
        flagged += mw_p(a, b) < 0.05 and abs(hl - 1) > 0.02
        t0 += 1.3
    if trials:
        print(f"A/A replay, {name}: {trials} trials, flagged {flagged} "
              f"({100 * flagged / trials:.1f} %), median |ratio - 1| {st.median(errs):.2f} %")
PY
