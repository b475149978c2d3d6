#!/usr/bin/env python3
"""Run Apache Otava's change-point detection over the series of
bench/self/changepoint_bench.c, for bench/self/changepoint-quality.sh:

    changepoint_otava.py OTAVA_DIR quality DIR [--latency]
    changepoint_otava.py OTAVA_DIR speed DIR COMMITS

quality reads DIR/series.csv and writes DIR/otava.csv (its change points); with --latency
also DIR/otava-latency.csv: for each step series of DIR/truth.csv, the fewest commits at
the new level (1 to 20) after which Otava, run over the prefix, puts a point within one
commit of the step (0: none). speed times DIR/speed.csv's first COMMITS commits.

OTAVA_DIR is a checkout of github.com/apache/otava (the directory holding otava/analysis.py);
it is imported from there, never copied. Otava gets one value per commit, the mean of the
commit's per-process values, and its CLI defaults (otava/main.py, AnalysisOptions in
otava/series.py): window 50, p-value 0.001, magnitude 0.0, the windowed split/merge
algorithm (not --orig-edivisive). Needs numpy and scipy (Debian: python3-numpy,
python3-scipy).
"""
import csv
import os
import statistics
import sys
import time
from collections import defaultdict

WINDOW, P_VALUE, MAGNITUDE = 50, 0.001, 0.0
LATENCY_MAX = 20


def load(otava_dir):
    sys.path.insert(0, otava_dir)
    from otava.analysis import compute_change_points
    return compute_change_points


def read_series(path):
    series = defaultdict(list)
    with open(path) as f:
        for row in csv.DictReader(f):
            series[int(row["series"])].append(float(row["mean"]))
    return series


def detect(compute, values):
    cps, _ = compute(values, window_len=WINDOW, max_pvalue=P_VALUE, min_magnitude=MAGNITUDE)
    return cps


def quality(compute, d):
    series = read_series(os.path.join(d, "series.csv"))
    start = time.perf_counter()
    with open(os.path.join(d, "otava.csv"), "w") as out:
        out.write("series,index,p,magnitude\n")
        for s in sorted(series):
            for c in detect(compute, series[s]):
                out.write("%d,%d,%.6g,%.6g\n" % (s, c.index, c.stats.pvalue,
                                                 c.stats.forward_rel_change()))
    print("otava: %d series of %d commits in %.0f ms" % (
        len(series), len(series[0]), 1e3 * (time.perf_counter() - start)))


def latency(compute, d):
    series = read_series(os.path.join(d, "series.csv"))
    with open(os.path.join(d, "truth.csv")) as f, \
            open(os.path.join(d, "otava-latency.csv"), "w") as out:
        out.write("series,commits\n")
        for row in csv.DictReader(f):
            if row["kind"] != "step":
                continue
            s, pos = int(row["series"]), int(row["truth"])
            found = 0
            for k in range(1, LATENCY_MAX + 1):
                if pos + k > len(series[s]):
                    break
                if any(abs(c.index - pos) <= 1 for c in detect(compute, series[s][:pos + k])):
                    found = k
                    break
            out.write("%d,%d\n" % (s, found))


def speed(compute, d, n):
    with open(os.path.join(d, "speed.csv")) as f:
        values = [float(r["mean"]) for r in csv.DictReader(f)]
    full = []
    for _ in range(5):
        start = time.perf_counter()
        cps, weak = compute(values[:n], window_len=WINDOW, max_pvalue=P_VALUE,
                            min_magnitude=MAGNITUDE)
        full.append(1e3 * (time.perf_counter() - start))
    print("otava: whole detection over %d commits (%d change points): median %.1f ms "
          "(min %.1f, max %.1f over %d)" % (n, len(cps), statistics.median(full),
                                            min(full), max(full), len(full)))
    # Otava's own incremental path (Series.append): the tail after new_data points,
    # starting from the previous weak change points
    appends = []
    for a in range(1, 21):
        start = time.perf_counter()
        cps, weak = compute(values[:n + a], window_len=WINDOW, max_pvalue=P_VALUE,
                            min_magnitude=MAGNITUDE, new_data=1, old_weak_cp=weak)
        appends.append(1e3 * (time.perf_counter() - start))
    print("otava: append one commit to %d (new_data=1, old_weak_cp): median %.2f ms "
          "(min %.2f, max %.2f over %d)" % (n, statistics.median(appends), min(appends),
                                            max(appends), len(appends)))


def main(argv):
    if len(argv) < 4 or argv[2] not in ("quality", "speed"):
        sys.exit(__doc__)
    compute = load(argv[1])
    if argv[2] == "quality":
        quality(compute, argv[3])
        if "--latency" in argv[4:]:
            latency(compute, argv[3])
    else:
        speed(compute, argv[3], int(argv[4]))


if __name__ == "__main__":
    main(sys.argv)
