#!/usr/bin/env python3
"""Writes bench/REPORT.md from the figures `scripts/bench` collected (one TSV row per wrk run).

Usage: bench_report.py RESULTS REPORT SECONDS COMMENTS PROFILE CORES RUSTC FILL [--smoke]
With --smoke, exits non-zero when any scenario answered anything but 2xx or nothing at all.
"""
import csv
import datetime
import sys

results, report, seconds, comments, profile, cores, rustc, fill = sys.argv[1:9]
smoke = "--smoke" in sys.argv[9:]

rows = {}
order = []
with open(results, newline="") as f:
    for db, side, path, clients, rps, bad, p50, p99, p999, rss, n in csv.reader(f, delimiter="\t"):
        key = (db, side, path, int(clients))
        rows[key] = dict(rps=float(rps), bad=int(bad), p50=int(p50), p99=int(p99), p999=int(p999), rss=int(rss), n=int(n))
        order.append(key)

# (Wenji path, what it is, baseline path, ratio target, p99 target in ms)
COMPARISONS = [
    ("submit", "submit a comment", "insert", 0.5, 50),
    ("read", "read a consultation, cached", "memory", 0.5, None),
    ("read-uncached", "read a consultation, uncached", "select-one", 0.5, None),
    ("list", "list comments (page of 20)", "select-page", 0.5, 20),
    ("list-uncached", "list comments, uncached", "select-page", 0.5, 20),
    ("list-article", "list one article's comments", "select-page", None, 20),
    ("list-deep", "list comments deep (keyset)", "select-page", None, 20),
    ("stats", "article counts (comment-stats)", "select-page", None, 20),
    ("inbox", "moderation inbox (staff)", "select-page", None, 20),
]
BASELINE = {
    "insert": "one INSERT of a comment-sized row",
    "memory": "the same JSON body from memory",
    "select-one": "one SELECT of the same document",
    "select-page": "one SELECT of a page of 20",
}
RSS_LIMIT_MB = 200


def ms(us):
    return f"{us / 1000:.2f}"


lines = [
    "# Hot-path benchmark",
    "",
    f"Run on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%dT%H:%MZ}, {cores} cores, {rustc}; {profile} builds; "
    f"wrk with 2 threads on loopback, {seconds} s per figure. Written by `./scripts/bench`.",
    "",
    f"Each consultation holds **{int(comments):,} comments** before anything is measured (a third near-duplicates "
    "of five campaign texts, loaded through the same grouping and batch writer as live submissions"
    + (f": {fill.strip(';').replace(';', '; ')}" if fill.strip(";") else "")
    + "); the submit figures add to them. The baseline (`src/bin/wenji-baseline.rs`, poem + sqlx) does only the one "
    "statement at the core of each path, on a table of as many rows, with the same durability settings. "
    "Peak RSS is the server's VmHWM during that figure alone (reset before each). The standard: each hot path at least "
    "half its baseline; submitting p99 under 50 ms; listing p99 under 20 ms; the server under 200 MB.",
    "",
    "| database | path | clients | Wenji req/s | baseline | baseline req/s | ratio | p50 ms | p99 ms | p99.9 ms | peak RSS MB | non-2xx | target |",
    "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
]
failures = []
missed = []
for db in dict.fromkeys(k[0] for k in order):
    for path, label, base, ratio_target, p99_target in COMPARISONS:
        for clients in (32, 64):
            w = rows.get((db, "wenji", path, clients))
            if w is None:
                continue
            b = rows.get((db, "baseline", base, clients)) or rows.get((db, "baseline", base, 32))
            ratio = w["rps"] / b["rps"] if b and b["rps"] else 0.0
            checks = []
            if ratio_target is not None:
                checks.append(("ratio", ratio >= ratio_target, f"ratio ≥ {ratio_target}"))
            if p99_target is not None:
                checks.append(("p99", w["p99"] / 1000 < p99_target, f"p99 < {p99_target} ms"))
            checks.append(("rss", w["rss"] / 1024 < RSS_LIMIT_MB, f"RSS < {RSS_LIMIT_MB} MB"))
            verdict = "met" if all(ok for _, ok, _ in checks) else "**missed**: " + ", ".join(t for _, ok, t in checks if not ok)
            if not all(ok for _, ok, _ in checks):
                missed.append(f"{db} {label} at {clients} clients: " + ", ".join(t for _, ok, t in checks if not ok))
            lines.append(
                f"| {db} | {label} | {clients} | {w['rps']:,.0f} | {BASELINE[base]} | {b['rps'] if b else 0:,.0f} | {ratio:.2f} "
                f"| {ms(w['p50'])} | {ms(w['p99'])} | {ms(w['p999'])} | {w['rss'] / 1024:.0f} | {w['bad']} | {verdict} |"
            )
            if w["bad"] != 0 or w["rps"] <= 0:
                failures.append(f"{db} wenji {path} c={clients}: {w['bad']} non-2xx, {w['rps']} req/s")
    for key in order:
        if key[0] == db and key[1] == "baseline":
            b = rows[key]
            if b["bad"] != 0 or b["rps"] <= 0:
                failures.append(f"{db} baseline {key[2]} c={key[3]}: {b['bad']} non-2xx, {b['rps']} req/s")

lines += ["", "## Baseline figures", "", "| database | baseline | clients | req/s | p99 ms | p99.9 ms | peak RSS MB |", "|---|---|---:|---:|---:|---:|---:|"]
for key in order:
    if key[1] == "baseline":
        b = rows[key]
        lines.append(f"| {key[0]} | {BASELINE[key[2]]} | {key[3]} | {b['rps']:,.0f} | {ms(b['p99'])} | {ms(b['p999'])} | {b['rss'] / 1024:.0f} |")
lines += ["", "## Targets missed", ""]
lines += [f"- {m}" for m in missed] or ["None."]
with open(report, "w") as f:
    f.write("\n".join(lines) + "\n")

if smoke and failures:
    print("smoke bench: scenarios that did not answer cleanly:\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
