#!/usr/bin/env python3
"""Score change points found on the synthetic series of bench/self/changepoint_bench.c
against the truth it wrote (bench/self/changepoint-quality.sh):

    changepoint_score.py DIR NAME=POINTS.csv [NAME=POINTS.csv ...]

DIR holds truth.csv (series,kind,param,truth) and, for benchtrack, btk-drift.csv. Each
POINTS.csv has rows series,index[,...]; a POINTS-latency.csv beside it (series,commits),
when present, gives the detection latency of each step. Standard library only.

Definitions (docs/figures/history.md):
- a step is found "exact" when a point sits at its commit (the first at the new level),
  "within 1" when one sits at most one commit away; other points in step series are false;
- every point in a flat series is false (per 1,000 commits);
- in spike series every point is false; "around spikes" counts those from one commit
  before a spike to two after it;
- latency: how many commits at the new level it took before a point appeared within one
  commit of the step (run over growing prefixes; at most 20): median over the steps
  reported within 20, and how many were;
- drift series: points per series; benchtrack's drift from commit 0 is "flagged" when its
  p is below 0.001 and its ratio at least 1.01 (the detector's defaults).
"""
import csv
import os
import sys
from collections import defaultdict

COMMITS = 200


def read_truth(path):
    truth = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            pos = [int(x) for x in row["truth"].split()] if row["truth"] else []
            truth[int(row["series"])] = (row["kind"], float(row["param"]), pos)
    return truth


def read_points(path):
    points = defaultdict(list)
    with open(path) as f:
        for row in csv.DictReader(f):
            points[int(row["series"])].append(int(row["index"]))
    return points


def score(truth, points):
    steps = defaultdict(lambda: [0, 0, 0])  # size -> [n, exact, within1]
    false_in = defaultdict(int)
    commits_in = defaultdict(int)
    around = 0
    for s, (kind, param, pos) in truth.items():
        pts = points.get(s, [])
        commits_in[kind] += COMMITS
        if kind == "step":
            st = steps[abs(param)]
            st[0] += 1
            st[1] += any(p == pos[0] for p in pts)
            st[2] += any(abs(p - pos[0]) <= 1 for p in pts)
            false_in[kind] += sum(1 for p in pts if abs(p - pos[0]) > 1)
        else:
            false_in[kind] += len(pts)
            if kind == "spike":
                around += sum(1 for p in pts if any(q - 1 <= p <= q + 2 for q in pos))
    return steps, false_in, commits_in, around


def latency_cells(truth, path):
    by_size = defaultdict(list)
    with open(path) as f:
        for row in csv.DictReader(f):
            by_size[abs(truth[int(row["series"])][1])].append(int(row["commits"]))
    cells = []
    for size in sorted(by_size):
        found = sorted(k for k in by_size[size] if k > 0)
        med = found[len(found) // 2] if found else float("nan")
        cells.append("%g%% median %g (%d/%d within 20)" % (size * 100, med, len(found),
                                                            len(by_size[size])))
    return cells


def read_drift(path):
    """series -> (ratio, p) from btk-drift.csv."""
    with open(path) as f:
        return {int(r["series"]): (float(r["ratio"]), float(r["p"]))
                for r in csv.DictReader(f)}


def flagged(ratio_p):
    ratio, p = ratio_p
    return p < 0.001 and abs(ratio - 1) >= 0.01


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    d = argv[1]
    truth = read_truth(os.path.join(d, "truth.csv"))
    drift_ids = {s for s, t in truth.items() if t[0] == "drift"}
    for arg in argv[2:]:
        name, path = arg.split("=", 1)
        steps, false_in, commits_in, around = score(truth, read_points(path))
        cells = []
        for size in sorted(steps):
            n, exact, within = steps[size]
            cells.append("%g%% %d/%d exact, %d/%d within 1" % (size * 100, exact, n,
                                                              within, n))
        print("%s: steps: %s" % (name, "; ".join(cells)))
        per_k = lambda kind: 1000.0 * false_in[kind] / max(commits_in[kind], 1)
        lat_path = path[:-len(".csv")] + "-latency.csv"
        if os.path.exists(lat_path):
            print("%s: latency (commits at the new level until reported within 1): %s" % (
                name, "; ".join(latency_cells(truth, lat_path))))
        print("%s: false points per 1,000 commits: flat %.2f, spike series %.2f "
              "(around spikes %.2f), step series %.2f; drift series: %.2f points per "
              "series" % (name, per_k("flat"), per_k("spike"),
                          1000.0 * around / max(commits_in["spike"], 1), per_k("step"),
                          false_in["drift"] / max(len(drift_ids), 1)))
    path = os.path.join(d, "btk-drift.csv")
    if os.path.exists(path):
        drift = read_drift(path)
        for kind, what in (("drift", "drifting (true +5.0%)"), ("flat", "flat")):
            ids = [s for s, t in truth.items() if t[0] == kind]
            ratios = sorted(drift[s][0] for s in ids)
            print("benchtrack drift from commit 0 to the last 10, %s series: flagged in "
                  "%d/%d, median ratio %.4f" % (what, sum(flagged(drift[s]) for s in ids),
                                               len(ids), ratios[len(ratios) // 2]))


if __name__ == "__main__":
    main(sys.argv)
