#!/usr/bin/env bash
# Run-to-run stability at equal wall time (docs/figures/harness.md): benchtrack against
# Google Benchmark on nine example kernels (cpu, hash/64, hash/4096, memcpy/64,
# memcpy/4096, chase/8388608, alloc/1, alloc/16, lookup/100000; KERNELS=a,b,... for a
# subset), each tool given the same wall time for the whole suite.
#  1. benchtrack's suite (`examples --filter ... --processes P --time-budget B`, otherwise
#     its defaults) is timed 3 times; W is the median wall time.
#  2. Google Benchmark's suite (bench/self/stability_gbench.cc, pinned by taskset to the CPU
#     benchtrack pins to) is timed at two --benchmark_min_time values; a line through the
#     two points gives the min_time whose wall time is W.
#  3. RUNS rounds, each one fresh run of each tool, alternately (benchtrack, Google
#     Benchmark), so both see the same load; every run's wall time is recorded. After each
#     round Google Benchmark's next min_time is read off that line for benchtrack's median
#     wall time so far, the line shifted by the median of Google Benchmark's misses so far,
#     so the walls stay matched when benchtrack's (which stops early on precision) differs
#     from the probes.
# Prints per kernel the coefficient of variation (stddev/mean over the runs) of the figure
# each run reports (benchtrack's median, Google Benchmark's real_time per iteration, the
# mean over its repetitions), the ratio of the two CVs with a 90 % bootstrap interval
# (runs resampled; below 1: benchtrack steadier, an interval across 1: not shown either
# way), and the median wall time of each tool's runs; then the same for each tool's
# fastest figure: benchtrack's min (the fastest sample of the run, a sample being the mean
# of a batch of iterations; printed in its table) against the fastest of Google
# Benchmark's repetitions (GB_REPS, default 10: the suite runs with
# --benchmark_repetitions=GB_REPS, each repetition sampling min_time; GB_REPS=1 is one
# long run as before 2026-12-02, whose fastest figure is its mean); and the CV of
# benchtrack's estimated core cycles from the same runs (the median over the run's
# samples of ns x clock_ghz, docs/timer.md#core-clock), which Google Benchmark has no
# counterpart of without hardware counters: the ratios compare wall time with wall time
# only. Last, benchtrack's figure as --metric auto would pick it (wall time or estimated
# cycles, per kernel, learned on the first half of the rounds) against Google Benchmark's
# wall time, both over the second half.
# usage: bench/self/equal-wall.sh [BUILD_DIR] [RUNS] [PROCESSES] [BUDGET_MS] [PRECISION]
#   defaults: build 20 10 100, benchtrack's default precision (1 %: a process stops
#   sampling early when its median is that precise). PRECISION 0.000001 makes every process
#   sample for its whole budget (longer runs). KEEP=DIR keeps every run's JSON results;
#   CPU=N runs both tools on CPU N (default: the last, where benchtrack pins by default);
#   SAMPLE_US=N runs benchtrack with --sample-time N (a sample's length in microseconds);
#   BTK_ARGS="..." adds further options to benchtrack's runs (split on spaces);
#   REANALYZE=DIR prints the tables again from a KEEP=DIR experiment without measuring.
#   Needs libbenchmark-dev and g++.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-build}" && pwd)
runs=${2:-20}
procs=${3:-10}
budget=${4:-100}
precision=(); [ -n "${5:-}" ] && precision=(--precision "$5")
[ -n "${SAMPLE_US:-}" ] && precision+=(--sample-time "$SAMPLE_US")
# shellcheck disable=SC2206  # BTK_ARGS is a list of options, split on spaces on purpose
[ -n "${BTK_ARGS:-}" ] && precision+=($BTK_ARGS)
ex=$build/bench/examples
[ -x "$ex" ] || { echo "missing $ex: build first" >&2; exit 2; }
[ -f /usr/include/benchmark/benchmark.h ] || { echo "needs libbenchmark-dev" >&2; exit 2; }
kernels=${KERNELS:-cpu,hash/64,hash/4096,memcpy/64,memcpy/4096,chase/8388608,alloc/1,alloc/16,lookup/100000}
if [ -n "${REANALYZE:-}" ]; then  # a kept experiment, read again: no measuring
    work=$(cd "$REANALYZE" && pwd)
    runs=$(find "$work" -maxdepth 1 -name 'btk[0-9]*.json' | wc -l)
    [ "$runs" -ge 2 ] ||
        { echo "equal-wall: $REANALYZE holds no kept runs (KEEP=DIR)" >&2; exit 2; }
    echo "kept experiment $work: $runs rounds"
else
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-equalwall-XXXXXX")
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; trap 'cp "$work"/*.json "$work"/*.wall "$KEEP"/ 2>/dev/null; rm -rf "$work"' EXIT
else trap 'rm -rf "$work"' EXIT; fi
g++ -O2 -std=c++17 "$here/bench/self/stability_gbench.cc" -o "$work/gb" -lbenchmark -lpthread
cpu=${CPU:-$(( $(nproc) - 1 ))}   # benchtrack's default CPU: the last
reps=${GB_REPS:-10}
gbfilter="^($(echo "$kernels" | tr ',' '|'))\$"

now() { date +%s.%N; }
# btk OUT: one benchtrack run; prints its wall time in seconds.
btk() {
    local s e
    s=$(now)
    "$ex" --filter "$kernels" --processes "$procs" --time-budget "$budget" --cpu "$cpu" \
        ${precision[@]+"${precision[@]}"} --out "$1" >/dev/null 2>&1
    e=$(now)
    echo "$e - $s" | bc -l
}
# gb MIN_TIME OUT: one Google Benchmark run; prints its wall time in seconds.
gb() {
    local s e
    s=$(now)
    taskset -c "$cpu" "$work/gb" --benchmark_filter="$gbfilter" \
        --benchmark_min_time="$1" --benchmark_repetitions="$reps" --benchmark_format=json \
        --benchmark_out="$2" >/dev/null 2>&1
    e=$(now)
    echo "$e - $s" | bc -l
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

echo "equal wall time ($(uname -n), $(nproc) cpus, CPU $cpu, load before:" \
     "$(cut -d' ' -f1-3 /proc/loadavg)); benchtrack --processes $procs --time-budget $budget" \
     "${precision[*]:-}; google benchmark --benchmark_repetitions=$reps"
w=$(for i in 1 2 3; do btk "$work/probe.json"; done | median)
m1=$(echo "$w / 6 / $reps" | bc -l)
m2=$(echo "$w / 3 / $reps" | bc -l)
w1=$(gb "$m1" "$work/probe.json")
w2=$(gb "$m2" "$work/probe.json")
mt=$(echo "m = $m1 + ($w - $w1) * ($m2 - $m1) / ($w2 - $w1); if (m < 0.01) m = 0.01; m" | bc -l)
printf 'benchtrack suite: %.2f s; google benchmark: %.2f s at min_time %.3f, %.2f s at %.3f;' \
    "$w" "$w1" "$m1" "$w2" "$m2"
printf ' using --benchmark_min_time=%.3f\n' "$mt"
slope=$(echo "($w2 - $w1) / ($m2 - $m1)" | bc -l)
for i in $(seq 1 "$runs"); do
    btk "$work/btk$i.json" >>"$work/btk.wall"
    g=$(gb "$mt" "$work/gb$i.json")
    echo "$g" >>"$work/gb.wall"
    # How far Google Benchmark's wall time was from the line's prediction at this min_time;
    # the next min_time aims the line, shifted by the median such residual, at benchtrack's
    # median wall time so far.
    echo "$g - ($w1 + ($mt - $m1) * $slope)" | bc -l >>"$work/gb.resid"
    mt=$(echo "m = $m1 + ($(median <"$work/btk.wall") - $(median <"$work/gb.resid") - $w1) / $slope;
               if (m < 0.01) m = 0.01; m" | bc -l)
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
python3 - "$work" "$runs" "$kernels" <<'PY'
import collections, json, random, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
names = sys.argv[3].split(",")
figs = {(t, n): [] for t in ("benchtrack", "google benchmark", "cycles", "benchtrack min",
                             "google benchmark min") for n in names}
for i in range(1, runs + 1):
    for b in json.load(open(f"{work}/btk{i}.json"))["benchmarks"]:
        figs[("benchtrack", b["name"])].append(b["stats"]["median"])
        figs[("benchtrack min", b["name"])].append(b["stats"]["min"])
        cyc = [x * g for p in b["processes"] for x, g in
               zip(p["samples"], p.get("clock_ghz", []))]
        if cyc:
            figs[("cycles", b["name"])].append(statistics.median(cyc))
    reps = collections.defaultdict(list)  # the repetitions' times (aggregate rows left out)
    for b in json.load(open(f"{work}/gb{i}.json"))["benchmarks"]:
        if b.get("run_type", "iteration") == "iteration":
            scale = {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]]
            reps[b.get("run_name", b["name"])].append(b["real_time"] * scale)
    for n, v in reps.items():
        figs[("google benchmark", n)].append(statistics.mean(v))
        figs[("google benchmark min", n)].append(min(v))
walls = {t: [float(x) for x in open(f"{work}/{f}.wall")] for t, f in
         (("benchtrack", "btk"), ("google benchmark", "gb"))}
for t, v in walls.items():
    print(f"{t:17} suite wall time: median {statistics.median(v):.2f} s "
          f"({min(v):.2f}..{max(v):.2f}) over {runs} runs")
cv = lambda v: statistics.stdev(v) / statistics.mean(v) * 100
rng = random.Random(1)
print(f"{'kernel':14} {'tool':17} {'median ns':>10} {'CV %':>7}")
tallies = {f: {"benchtrack steadier": 0, "google benchmark steadier": 0,
                "not shown either way": 0} for f in ("", " min")}
for n in names:
    for f in ("", " min"):  # the typical figures, then the fastest
        a, g = figs[("benchtrack" + f, n)], figs[("google benchmark" + f, n)]
        for t, v in (("benchtrack" + f, a), ("google benchmark" + f, g)):
            print(f"{n:14} {t:21} {statistics.median(v):10.2f} {cv(v):7.2f}")
        # 90 % percentile bootstrap of the CV ratio: each tool's runs resampled on their own.
        boot = sorted(cv([rng.choice(a) for _ in a]) /
                      max(cv([rng.choice(g) for _ in g]), 1e-12) for _ in range(2000))
        lo, hi = boot[100], boot[1899]
        word = ("benchtrack steadier" if hi < 1 else "google benchmark steadier" if lo > 1
                else "not shown either way")
        tallies[f][word] += 1
        print(f"{'':14} CV ratio benchtrack{f} / google benchmark{f} "
              f"{cv(a) / max(cv(g), 1e-12):.2f} [{lo:.2f}, {hi:.2f}]: {word}")
    v = figs[("cycles", n)]
    if len(v) > 1:
        print(f"{'':14} {'benchtrack cycles':21} {statistics.median(v):10.1f} "
              f"{cv(v):7.2f}  (core cycles)")
# Other figures of the same benchtrack runs, for the choice of the reported one: CV % of the
# median over processes of each process's median, 10th percentile (type 7) and fastest
# sample, and of the smallest process median.
def q10(v):
    v = sorted(v); h = (len(v) - 1) * 0.1; lo = int(h)
    return v[lo] + (h - lo) * (v[min(lo + 1, len(v) - 1)] - v[lo])
other = {n: {k: [] for k in ("proc median", "proc q10", "proc min", "min proc median")}
         for n in names}
for i in range(1, runs + 1):
    for b in json.load(open(f"{work}/btk{i}.json"))["benchmarks"]:
        ps = [p["samples"] for p in b["processes"] if p.get("samples")]
        if b["name"] in other and ps:
            o = other[b["name"]]
            o["proc median"].append(statistics.median(statistics.median(p) for p in ps))
            o["proc q10"].append(statistics.median(q10(p) for p in ps))
            o["proc min"].append(statistics.median(min(p) for p in ps))
            o["min proc median"].append(min(statistics.median(p) for p in ps))
print("other benchtrack figures, CV %: median over processes of the process's median, "
      "10th percentile, fastest sample; smallest process median")
for n in names:
    print(f"{n:14} " + " ".join(f"{cv(v):7.2f}" if len(v) > 1 else "      -"
                               for v in other[n].values()))
for f, tally in tallies.items():
    print(f"kernels{f or ' (median / mean)'}: " +
          ", ".join(f"{k} {v}" for k, v in tally.items()))
# benchtrack's figure as `--metric auto` picks it (docs/statistics.md §12), against Google
# Benchmark's wall time. The choice is learned on the first half of the rounds, as compare
# learns it from stored runs, and the CVs are measured on the second half only, so the
# choice never sees the runs it is judged on: per kernel e_m^2 = (pi/2) s_m^2 (2/P) +
# 2 r_m^2, s_m the interquartile range / 1.349 of a run's log process medians (mean over
# the first half's runs), r_m the run-to-run SD of the log run figure over the first half;
# cycles when e_cycles < 0.5 e_wall. A run's figure is the median of its process medians
# (wall: the reported median; cycles: of each process's median of ns x clock_ghz).
import math
def iqr_sd(v):
    v = sorted(v); q = lambda f: v[0] if len(v) == 1 else (lambda h: v[int(h)] + (h - int(h)) *
        (v[min(int(h) + 1, len(v) - 1)] - v[int(h)]))((len(v) - 1) * f)
    return (q(0.75) - q(0.25)) / 1.349
procs = {(m, n): [] for m in ("wall", "cycles") for n in names}  # per run: log process medians
for i in range(1, runs + 1):
    for b in json.load(open(f"{work}/btk{i}.json"))["benchmarks"]:
        if b["name"] not in names:
            continue
        w = [statistics.median(p["samples"]) for p in b["processes"] if p.get("samples")]
        c = [statistics.median(x * g for x, g in zip(p["samples"], p["clock_ghz"]))
             for p in b["processes"] if p.get("samples") and p.get("clock_ghz")]
        procs[("wall", b["name"])].append(w)
        procs[("cycles", b["name"])].append(c if len(c) == len(w) else [])
half = runs // 2
if half >= 3:
    print(f"--metric auto's figure, learned on rounds 1-{half}, CV over rounds "
          f"{half + 1}-{runs} against Google Benchmark's over the same rounds:")
    tally = {"benchtrack steadier": 0, "google benchmark steadier": 0,
             "not shown either way": 0}
    for n in names:
        e = {}
        for m in ("wall", "cycles"):
            first = [r for r in procs[(m, n)][:half] if r]
            if len(first) < half:
                e[m] = math.inf
                continue
            s = statistics.mean(iqr_sd([math.log(x) for x in r]) for r in first)
            level = [math.log(statistics.median(r)) for r in first]
            k = statistics.mean(len(r) for r in first)
            e[m] = math.sqrt(math.pi / 2 * s * s * 2 / k + 2 * statistics.stdev(level) ** 2)
        m = "cycles" if e["cycles"] < 0.5 * e["wall"] else "wall"
        a = [statistics.median(r) for r in procs[(m, n)][half:] if r]
        g = figs[("google benchmark", n)][half:]
        boot = sorted(cv([rng.choice(a) for _ in a]) /
                      max(cv([rng.choice(g) for _ in g]), 1e-12) for _ in range(2000))
        lo, hi = boot[100], boot[1899]
        word = ("benchtrack steadier" if hi < 1 else "google benchmark steadier" if lo > 1
                else "not shown either way")
        tally[word] += 1
        print(f"{n:14} by {m:6} (e wall {e['wall'] * 100:.2f} %, cycles "
              f"{e['cycles'] * 100:.2f} %): CV {cv(a):6.2f} against {cv(g):6.2f}, ratio "
              f"{cv(a) / max(cv(g), 1e-12):.2f} [{lo:.2f}, {hi:.2f}]: {word}")
    print("kernels by --metric auto's figure: " +
          ", ".join(f"{k} {v}" for k, v in tally.items()))
PY
