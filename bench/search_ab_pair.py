"""Two search engines timed query by query, alternately, each in its own process.

Runs with search_ab.py's phases split, but steadier than alternating whole runs: on a shared
or virtual machine the CPU's speed drifts by a third within minutes, and a drift between two
runs reads as a difference between engines. Here each engine is a `search_ab.py --serve`
process on its own database and index (built once, as search_ab.py builds them); the driver
sends every query to both, in alternating order, so both see the same moments of the
machine. Round 1 is cold (neither process has seen the query), later rounds warm.

    .venv/bin/python bench/search_ab_pair.py --size 50000 \\
        --base old=/path/to/old/tree --other new=$PWD --clock cpu

Each side is LABEL=TREE: the tree's `hub` is imported (PYTHONPATH) and its index built in
/tmp/search_ab_LABEL_SIZE unless it exists; `--script-base` runs another copy of search_ab.py
for the base (an old tree whose bench/ differs). Prints each engine's median/p95 per phase and
the other's over the base's: of the medians, of the p95s, and the median of the per-query
ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import corpus
import search_ab

HERE = Path(__file__).resolve().parent


class Engine:
    """One search_ab.py --serve process."""

    def __init__(self, label: str, tree: str, script: str, args: argparse.Namespace) -> None:
        """Start it (building its database and index first if needed)."""
        workdir = Path(tempfile.gettempdir()) / f"search_ab_{label}_{args.size}"
        env = dict(os.environ, PYTHONPATH=tree)
        command = [sys.executable, script, "--label", label, "--size", str(args.size)]
        command += ["--workdir", str(workdir), "--clock", args.clock, "--seed", str(args.seed)]
        self.label = label
        self.process = subprocess.Popen(
            [*command, "--serve"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=str(HERE),
        )
        ready = self._read()
        if not ready.get("ready"):
            raise SystemExit(f"{label}: {ready}")

    def _read(self) -> dict[str, Any]:
        """One JSON line of the process."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"{self.label}: the process ended")
        return json.loads(line)

    def search(self, q: str) -> dict[str, Any]:
        """The times of one query."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"q": q}) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        """End the process."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def summary(values: list[float]) -> tuple[float, float]:
    """Median and p95 in ms, as search_ab.py computes them."""
    figures = search_ab.summary(values)
    return figures["median"], figures["p95"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--base", required=True, help="LABEL=TREE")
    parser.add_argument("--other", required=True, help="LABEL=TREE")
    parser.add_argument("--script-base", default=str(HERE / "search_ab.py"))
    parser.add_argument("--clock", choices=("wall", "cpu"), default="cpu")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    (base_label, base_tree), (other_label, other_tree) = (
        side.split("=", 1) for side in (args.base, args.other)
    )
    queries = corpus.queries(args.seed, args.queries)
    engines = [
        Engine(base_label, base_tree, args.script_base, args),
        Engine(other_label, other_tree, str(HERE / "search_ab.py"), args),
    ]
    times: dict[str, list[list[dict[str, Any]]]] = {e.label: [] for e in engines}
    try:
        for r in range(args.rounds):
            for e in engines:
                times[e.label].append([])
            for k, q in enumerate(queries):
                order = engines if (k + r) % 2 == 0 else engines[::-1]
                for e in order:
                    answer = e.search(q)
                    if answer.get("status") != 200:
                        print(f"{e.label} {q!r}: {answer.get('status')}", file=sys.stderr)
                    times[e.label][r].append(answer)
    finally:
        for e in engines:
            e.close()

    phases = ["page", "search", "highlight", "parse"]
    result: dict[str, Any] = {"size": args.size, "clock": args.clock, "load": os.getloadavg()[0]}
    print(f"size {args.size}, {len(queries)} queries × {args.rounds} rounds, {args.clock} clock")
    for phase in phases:
        for when, rounds in (("cold", slice(0, 1)), ("warm", slice(1, None))):
            row = {}
            for label, per_round in times.items():
                values = [a.get(phase, 0.0) for rnd in per_round[rounds] for a in rnd]
                if values:
                    row[label] = summary(values)
            if len(row) < 2 or not row[base_label][0]:
                continue
            (bm, bp), (om, op) = row[base_label], row[other_label]
            paired = [
                o.get(phase, 0.0) / b[phase]
                for rb, ro in zip(
                    times[base_label][rounds], times[other_label][rounds], strict=True
                )
                for b, o in zip(rb, ro, strict=True)
                if b.get(phase)
            ]
            ratio = statistics.median(paired) if paired else float("nan")
            result[f"{phase} {when}"] = {
                base_label: [round(bm, 1), round(bp, 1)],
                other_label: [round(om, 1), round(op, 1)],
                "ratio median": round(om / bm, 3),
                "ratio p95": round(op / bp, 3) if bp else None,
                "per-query ratio": round(ratio, 3),
            }
            print(
                f"  {phase:9} {when}: {base_label} {bm:6.1f}/{bp:7.1f}  "
                f"{other_label} {om:6.1f}/{op:7.1f} ms   {other_label}/{base_label}: "
                f"median {om / bm:4.2f}, p95 {op / bp if bp else float('nan'):4.2f}, "
                f"per query {ratio:4.2f}"
            )
    if args.json:
        with open(args.json, "a", encoding="utf-8") as out:
            out.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
