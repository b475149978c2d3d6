#!/usr/bin/env python3
"""Check that every #include in the library and the tool points down the layers
(docs/conventions.md, "Dependency direction"):

    include/  <-  harness/base/  <-  harness/  <-  compare/ingest/  <-  compare/store/
                                                                    <-  compare/stats/
              compare/store/, compare/stats/  <-  compare/report/  <-  compare/cli/

A quoted include is resolved by its file name to the one header of that name in the tree
(names are unique; a duplicate is itself an error). System includes (<...>) are not
checked. tests/ and bench/ may include anything. Exit 0 when clean, 1 with one line per
offending include otherwise.
"""
import os
import re
import sys

# Each layer and the layers its files may include (besides their own).
ALLOWED = {
    "include": set(),
    "harness/base": {"include"},
    "harness": {"include", "harness/base"},
    "compare/ingest": {"include", "harness/base", "harness"},
    "compare/store": {"include", "harness/base", "harness", "compare/ingest"},
    "compare/stats": {"include", "harness/base", "harness", "compare/ingest"},
    "compare/report": {"include", "harness/base", "harness", "compare/ingest",
                       "compare/store", "compare/stats"},
    "compare/cli": {"include", "harness/base", "harness", "compare/ingest",
                    "compare/store", "compare/stats", "compare/report"},
}
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path):
    """The layer a repository-relative path belongs to, or None when unchecked."""
    d = os.path.dirname(path)
    while d:
        if d in ALLOWED:
            return d
        if d.startswith("include"):
            return "include"
        d = os.path.dirname(d)
    return None


def main(root):
    headers = {}
    sources = []
    errors = []
    for top in ("include", "harness", "compare"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                rel = os.path.relpath(os.path.join(dirpath, f), root)
                if layer_of(rel) is None:
                    errors.append("%s: folder is in no layer (add it to ci/check-deps.py)" % rel)
                    continue
                if f.endswith(".h"):
                    if f in headers:
                        errors.append("%s: header name also used by %s" % (rel, headers[f]))
                    headers[f] = rel
                if f.endswith((".c", ".h", ".cc")):
                    sources.append(rel)
    for rel in sources:
        mine = layer_of(rel)
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                m = INCLUDE_RE.match(line)
                if not m:
                    continue
                name = os.path.basename(m.group(1))
                target = headers.get(name)
                if target is None:
                    errors.append('%s:%d: "%s" is not a header of this tree' %
                                  (rel, lineno, m.group(1)))
                    continue
                theirs = layer_of(target)
                if theirs != mine and theirs not in ALLOWED[mine]:
                    errors.append('%s:%d: includes "%s" (%s): %s may not depend on %s' %
                                  (rel, lineno, m.group(1), target, mine, theirs))
    for e in errors:
        print("check-deps: " + e)
    if not errors:
        print("check-deps: %d files, every include points down the layers" % len(sources))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")))
