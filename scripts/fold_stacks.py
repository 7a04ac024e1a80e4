#!/usr/bin/env python3
"""Folds `perf script` output into flamegraph stacks (one line per stack: frames joined by
';', then the sample count) and prints the top frames by self and by total samples.

Usage: fold_stacks.py PERF-SCRIPT-TXT FOLDED-OUT
"""
import collections
import re
import sys

src, folded_out = sys.argv[1], sys.argv[2]
stacks = collections.Counter()
frames = []


def clean(sym):
    sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
    sym = re.sub(r"::h[0-9a-f]{16}$", "", sym)
    return sym.replace(";", ":")


def flush():
    if frames:
        stacks[";".join(reversed(frames))] += 1
    frames.clear()


with open(src, errors="replace") as f:
    for line in f:
        if not line.strip():
            flush()
            continue
        if line[0] not in " \t":
            flush()
            continue
        parts = line.strip().split(None, 1)
        if len(parts) == 2:
            sym = parts[1].rsplit(" (", 1)[0]
            frames.append(clean(sym))
    flush()

with open(folded_out, "w") as f:
    for stack, n in stacks.most_common():
        f.write(f"{stack} {n}\n")

total = sum(stacks.values()) or 1
self_time = collections.Counter()
inclusive = collections.Counter()
for stack, n in stacks.items():
    parts = stack.split(";")
    self_time[parts[-1]] += n
    for frame in set(parts):
        inclusive[frame] += n
print(f"{total} samples")
print("\nTop frames by self time:")
for frame, n in self_time.most_common(25):
    print(f"  {100 * n / total:5.1f}%  {frame[:150]}")
print("\nTop frames by total time (frames on the stack):")
for frame, n in inclusive.most_common(40):
    print(f"  {100 * n / total:5.1f}%  {frame[:150]}")
