"""In-process search A/B microbenchmark: the search page's phases, query by query.

Builds (once, kept in `--workdir`) a SQLite database of `--size` synthetic submissions
(bench/corpus.py, as bench/search.py seeds them) and its index, then requests
/search?q=... through Flask's test client (no HTTP, no gunicorn) for bench/search.py's
queries (the fixed ones and `--queries` generated ones), `--rounds` times: round 1 is cold
(the result cache never saw the query), later rounds warm. Each request's time is split
into phases by wrapping the functions of hub.search that do the work (whichever exist in
the tree measured): parse (of which: glossary expansion, pruning, wildcards), search (the
matching), facets, page (ranking a page), did-you-mean, highlight, and the rest (SQL,
template). `direct` is bench/search.py's baseline: parse + searcher.search(q, limit=20).

To compare two engines, bench/search_ab_pair.py runs two `--serve` processes of this script
and alternates them query by query (steadier); or run this script alternately with
PYTHONPATH set to each tree (the script imports `hub` from PYTHONPATH; each tree gets its
own workdir, since their index schemas differ)::

    PYTHONPATH=/work/wt/old15 .venv/bin/python bench/search_ab.py --label old
    PYTHONPATH=$PWD .venv/bin/python bench/search_ab.py --label new

`--clock cpu` times with the process's CPU time instead of the wall clock (steadier on a
loaded machine); `--profile FILE` writes a cProfile of the cold round.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import corpus

PHASES: dict[str, tuple[str, str]] = {
    # phase: (module, function)
    "parse": ("hub.search.ranking", "_parse"),
    "glossary": ("hub.search.query", "to_index_query"),
    "prune": ("hub.search.query", "prune"),
    "wildcards": ("hub.search.query", "bound_wildcards"),
    "search": ("hub.search.ranking", "_match"),
    "facets": ("hub.search.ranking", "_filter"),
    "pagedocs": ("hub.search.ranking", "_page_docs"),
    "didyoumean": ("hub.search.ranking", "_suggestion"),
    "highlight": ("hub.search.ranking", "_add_snippets"),
}
_spent: dict[str, float] = defaultdict(float)
# Wall-clock time by default; --clock cpu: this process's CPU time, much less disturbed by
# the other processes of a loaded machine (it leaves out waiting for the disk).
_clock = time.perf_counter


def _wrap(module: Any, name: str, phase: str) -> None:
    """Time every call of module.name into phase."""
    inner = getattr(module, name)

    @functools.wraps(inner)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = _clock()
        try:
            return inner(*args, **kwargs)
        finally:
            _spent[phase] += _clock() - started

    setattr(module, name, timed)


def instrument() -> list[str]:
    """Wrap the phases' functions that exist in the tree measured."""
    import importlib

    found = []
    for phase, (modname, name) in PHASES.items():
        try:
            module = importlib.import_module(modname)
        except ImportError:
            continue
        if hasattr(module, name):
            _wrap(module, name, phase)
            found.append(phase)
    return found


def summary(values: list[float]) -> dict[str, float]:
    """Median and p95 in ms."""
    if not values:
        return {"median": 0.0, "p95": 0.0}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median": round(statistics.median(ordered) * 1000, 1), "p95": round(p95 * 1000, 1)}


def build(workdir: Path, size: int, seed: int) -> None:
    """Seed the database and build the index (once per workdir)."""
    from search import seed as seed_db

    from hub import create_app

    workdir.mkdir(parents=True, exist_ok=True)
    app = create_app()
    runner = app.test_cli_runner()
    done = runner.invoke(args=["init-db"])
    if done.exit_code:
        raise SystemExit(f"init-db failed: {done.output} {done.exception}")
    seed_db(os.environ["HUB_DATABASE_URL"], size, 0, seed)
    started = time.perf_counter()
    done = runner.invoke(args=["reindex"])
    if done.exit_code:
        raise SystemExit(f"reindex failed: {done.output} {done.exception}")
    print(f"built {size} docs in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    (workdir / "built").write_text(str(size))


def direct(app: Any, queries: list[str]) -> dict[str, float]:
    """bench/search.py's baseline: the hub's parser, then searcher.search(q, limit=20)."""
    from hub.search.query import parse

    out = {}
    with app.app_context():
        from hub.search.listing import index

        with index().searcher() as searcher:
            for q in queries:
                started = _clock()
                parsed = parse(q, searcher.schema, searcher.reader())
                if parsed.query is not None:
                    hits = searcher.search(parsed.query, limit=20)
                    _ids = len(hits), [hit["id"] for hit in hits]
                out[q] = _clock() - started
    return out


def serve(client: Any, found: list[str]) -> int:
    """Search each line of stdin (a query) and answer with one JSON line of its times in
    seconds (page and phases): bench/search_ab_pair.py alternates two engines query by
    query this way."""
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        q = json.loads(line)["q"]
        _spent.clear()
        started = _clock()
        answer = client.get(f"/search?q={quote(q)}")
        out = {"page": _clock() - started, "status": answer.status_code}
        out.update({p: _spent.get(p, 0.0) for p in found})
        print(json.dumps(out), flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--label", default="")
    parser.add_argument("--workdir", default="")
    parser.add_argument("--profile", default="")
    parser.add_argument("--json", default="")
    parser.add_argument("--only", default="", help="comma-separated queries instead")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    parser.add_argument(
        "--typed-only", action="store_true", help="search the words typed only (only=typed)"
    )
    parser.add_argument(
        "--serve", action="store_true", help="answer queries read from stdin (search_ab_pair.py)"
    )
    args = parser.parse_args()
    global _clock
    _clock = time.process_time if args.clock == "cpu" else time.perf_counter

    import hub

    tree = str(Path(hub.__file__).resolve().parent.parent)
    label = args.label or Path(tree).name
    workdir = Path(args.workdir or Path(tempfile.gettempdir()) / f"search_ab_{label}_{args.size}")
    os.environ.update(
        {
            "HUB_DATABASE_URL": f"sqlite:///{workdir / 'hub.sqlite3'}",
            "HUB_SECRET_KEY": "search-ab-secret-key-long-enough-for-the-hub",
            "HUB_INDEX_DIR": str(workdir / "index"),
            "HUB_PAGE_CACHE": "0",
            "HUB_MAIL_SEND_AFTER_REQUEST": "false",
            "HUB_LOG_LEVEL": "WARNING",
        }
    )
    if not (workdir / "built").exists():
        build(workdir, args.size, args.seed)
    queries = args.only.split(",") if args.only else corpus.queries(args.seed, args.queries)
    found = instrument()

    from hub import create_app

    app = create_app()
    client = app.test_client()
    for warm in ("/browse", "/search?q=warmup", "/search?q=benchmark+warmup"):
        client.get(warm)
    if args.serve:
        return serve(client, found)
    total: dict[str, list[float]] = {q: [] for q in queries}
    phases: dict[str, dict[str, list[float]]] = {p: {q: [] for q in queries} for p in found}
    profile = cProfile.Profile() if args.profile else None
    suffix = "&only=typed" if args.typed_only else ""
    for r in range(args.rounds):
        for q in queries:
            _spent.clear()
            if profile and r == 0:
                profile.enable()
            started = _clock()
            answer = client.get(f"/search?q={quote(q)}{suffix}")
            elapsed = _clock() - started
            if profile and r == 0:
                profile.disable()
            if answer.status_code != 200:
                print(f"{q!r}: {answer.status_code}", file=sys.stderr)
            total[q].append(elapsed)
            for p in found:
                phases[p][q].append(_spent.get(p, 0.0))
    raw = direct(app, queries)
    if profile:
        profile.dump_stats(args.profile)

    load = os.getloadavg()[0]
    result: dict[str, Any] = {
        "label": label,
        "tree": tree,
        "size": args.size,
        "load": load,
        "clock": args.clock,
    }
    for name, per_q in [("page", total), *phases.items()]:
        result[name] = {
            "cold": summary([t[0] for t in per_q.values()]),
            "warm": summary([x for t in per_q.values() for x in t[1:]]),
        }
    result["direct"] = summary(list(raw.values()))
    result["slowest"] = sorted(
        ((round(t[0] * 1000, 1), q) for q, t in total.items()), reverse=True
    )[:8]
    print(f"{label} ({tree}) size {args.size}, load {load:.1f}, {args.clock} clock")
    for name in ["page", *found]:
        c, w = result[name]["cold"], result[name]["warm"]
        print(
            f"  {name:11} cold {c['median']:7.1f} / {c['p95']:7.1f}"
            f"   warm {w['median']:7.1f} / {w['p95']:7.1f} ms"
        )
    d = result["direct"]
    print(f"  {'direct':11} {d['median']:7.1f} / {d['p95']:7.1f} ms")
    print("  slowest cold:", ", ".join(f"{q} {ms}" for ms, q in result["slowest"]))
    if args.json:
        with open(args.json, "a") as out:
            out.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
