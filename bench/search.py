"""Search benchmark (issue 4): the hub's search, browse and detail pages against raw Whoosh and
a hello-world route, at 10,000 and 50,000 approved submissions, in one run.

For each size (`--sizes`, default 10000,50000) the benchmark

1. migrates a fresh SQLite database in a temporary directory (`flask --app hub init-db`) and
   seeds it with SQLAlchemy bulk inserts: `size` approved synthetic submissions of about
   350 words each (bench/corpus.py: English and French prose over a Zipf vocabulary), plus
   `--approvals` submitted ones waiting for a moderator, a moderator and a submitter;
2. times `SearchIndex.rebuild()` (what `flask --app hub reindex` runs: read every approved
   submission from SQL, index it, swap the directory in) and then raw bulk indexing of the
   same documents with a plain Whoosh writer (same schema, same 256 MB memory limit, the
   documents already built in memory) into a scratch directory; `--raw-docs` limits the raw
   baseline to the first N documents (it then compares seconds per 1,000 documents);
3. starts gunicorn with ONE worker and measures, one request at a time, the HTML search page
   (/search?q=...) over `--rounds` rounds of a fixed set of realistic queries plus
   `--queries` generated ones. Round 1 is "cold" (the worker has never seen the query: the
   hub's per-process result cache misses), later rounds are "warm" (cache hits). Then the
   same queries run directly on the same index in this process with one reused searcher,
   parsed by the hub's own parser into the same Whoosh query: `searcher.search(q, limit=20)`,
   the total number of hits and the 20 ids. The ratio is page / direct (median and p95);
4. starts gunicorn with `--workers` workers (4, as in production and bench/submit_rush.py)
   running a WSGI module written to the temporary directory: the hub app plus one extra
   route, /__bench/hello, that returns "Hello, world!" (the hub itself has no such route).
   It measures throughput (requests/s) of /browse (a rotation of 8 listing URLs: pages,
   facets, sorts) and of /s/<slug> (a rotation of 50 detail pages), each between two runs of
   /__bench/hello whose mean is its baseline, with `--connections` concurrent connections
   for `--duration` seconds each, after 3-second warm-up runs repeated until the rate is above
   zero and stops rising by more than 15% (every worker has then cached every listing;
   hello-world gets one 1-second warm-up run). After every run it waits until gunicorn has
   worked through the requests still queued (a hello-world request answered within 50 ms).
   The load generator is
   wrk when it is installed (Debian: `apt-get install wrk`; `--loader wrk` requires it),
   otherwise a Python one (2 processes of threads, http.client);
5. logs in as the moderator and approves `--approvals` submissions one after the other through
   the real form (GET /moderation/<id>, POST /moderation/<id>/decide), each carrying a unique
   marker word, and polls /search?q=<marker> every 10 ms until the submission is listed:
   approve-to-visible is measured from just before the POST is sent;
6. reads VmRSS (and its RssAnon and RssFile parts) of the master and every worker from
   /proc/<pid>/status, stops gunicorn and
   counts tracebacks, Whoosh lock errors and "database is locked" in its log
   (kept in bench/output/), then removes the temporary directory.

Goals (issue 4): search page / raw Whoosh <= 1.3 at 50k; /browse and detail >= 30% of the
hello-world throughput; approve-to-visible p95 <= 1 s. The report says which are met.

Usage::

    .venv/bin/python bench/search.py                 # 10k and 50k: ~30 min on 2 quiet cores
    .venv/bin/python bench/search.py --quick         # smoke run: 1,000 submissions, ~2 min
    .venv/bin/python bench/search.py --sizes 20000 --raw-docs 0 --json
    .venv/bin/python bench/search.py --sizes 10000 --mmap on,off   # what memory mapping buys

Exit status: 0 when every size was measured without a server error; 1 when the hub answered a
5xx (or a page other than 200), or an approval never became visible; 2 when a run could not be
completed (setup failure, deadline reached). Missed performance goals are reported, not
turned into an exit status.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import multiprocessing
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import corpus
import requests
from sqlalchemy import create_engine, insert
from submit_rush import (
    BenchError,
    Deadline,
    free_port,
    init_db,
    log,
    no_control_socket,
    percentile,
    stop,
    wait_healthy,
)

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
OUTPUT = ROOT / "bench" / "output"
SECRET_KEY = "search-bench-secret-key-shared-by-all-workers"
MODERATOR = ("search-bench-moderator@example.org", "a-long-enough-bench-password")
HELLO = "/__bench/hello"
BROWSE_PATHS = [
    "/browse",
    "/browse?page=2",
    "/browse?kind=coalition",
    "/browse?theme=health",
    "/browse?sort=title",
    "/browse?region=africa&kind=initiative",
    "/browse?sdg=4&page=3",
    "/browse?stakeholder=academia&sort=title",
]
TOKEN_RE = {
    name: re.compile(rf'name="{name}"[^>]*\bvalue="([^"]*)"') for name in ("csrf_token", "version")
}
WSGI_MODULE = '''\
"""Benchmark only: the hub plus a hello-world route, the baseline of the same stack."""

import os

import hub.search.store
from hub import create_app

# --mmap: whether Whoosh maps the index files into memory (the hub itself reads them without).
hub.search.store.USE_MMAP = os.environ.get("BENCH_MMAP", "off") == "on"
app = create_app()


@app.get("{hello}")
def bench_hello() -> str:
    """The cheapest page this app and gunicorn can serve."""
    return "Hello, world!"
'''


# -- results -------------------------------------------------------------------------------


def summary(values: list[float]) -> dict[str, float | int | None]:
    """Median, p95 and max in milliseconds, and the count, of durations in seconds."""
    if not values:
        return {"n": 0, "median_ms": None, "p95_ms": None, "max_ms": None}
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(percentile(values, 95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b rounded, or None when either is missing."""
    return round(a / b, 2) if a is not None and b else None


@dataclass
class SizeResult:
    """Everything measured at one size."""

    size: int
    seed_s: float = 0.0
    reindex: dict[str, Any] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    slowest_queries: list[dict[str, Any]] = field(default_factory=list)
    throughput: dict[str, Any] = field(default_factory=dict)
    throughput_uncached: dict[str, Any] = field(default_factory=dict)  # HUB_PAGE_CACHE=0
    by_mmap: dict[str, Any] = field(default_factory=dict)  # --mmap: per mode, search + uncached
    visibility: dict[str, Any] = field(default_factory=dict)
    rss_mib: dict[str, Any] = field(default_factory=dict)
    log: dict[str, int] = field(default_factory=dict)
    load: list[float] = field(default_factory=list)  # 1-minute load average at each phase
    errors: list[str] = field(default_factory=list)  # the hub misbehaved (5xx, never visible)
    problems: list[str] = field(default_factory=list)  # the benchmark could not finish
    wall_s: float = 0.0

    def note_load(self) -> None:
        """Remember the load average (other work on the machine skews every figure)."""
        self.load.append(round(os.getloadavg()[0], 2))


# -- seeding -------------------------------------------------------------------------------


@dataclass
class Seeded:
    """What the benchmark needs to know about the seeded database."""

    slugs: list[str]  # approved, for detail pages
    pending: list[tuple[int, str, str]]  # (id, slug, marker) waiting for approval


def seed(url: str, size: int, pending: int, seed_value: int) -> Seeded:
    """Bulk-insert `size` approved and `pending` submitted submissions and two accounts."""
    from werkzeug.security import generate_password_hash

    from hub.auth.models import Role, User
    from hub.submissions.models import Status, Submission

    engine = create_engine(url)
    now = datetime.now(UTC)
    rng = random.Random(seed_value)
    slugs: list[str] = []
    waiting: list[tuple[int, str, str]] = []
    try:
        with engine.begin() as conn:
            owner, moderator = 1, 2
            conn.execute(
                insert(User.__table__),
                [
                    {
                        "id": owner,
                        "email": "search-bench-owner@example.org",
                        "display_name": "Bench Owner",
                        "password_hash": generate_password_hash(uuid.uuid4().hex),
                        "organisation": "Bench",
                        "role": Role.SUBMITTER,
                        "created_at": now,
                    },
                    {
                        "id": moderator,
                        "email": MODERATOR[0],
                        "display_name": "Bench Moderator",
                        "password_hash": generate_password_hash(MODERATOR[1]),
                        # Not the owner's organisation: a moderator may not decide on a
                        # submission from their own (conflict of interest, issue 16).
                        "organisation": "Bench moderation desk",
                        "role": Role.MODERATOR,
                        "created_at": now,
                    },
                ],
            )
            rows: list[dict[str, Any]] = []
            for number in range(size + pending):
                doc = corpus.submission(seed_value, number)
                created = now - timedelta(days=rng.uniform(2, 200))
                submitted = created + timedelta(hours=rng.uniform(0.1, 24))
                decided = submitted + timedelta(hours=rng.uniform(1, 36))
                approved = number < size
                slug = f"{doc.pop('slug_base')}-{number:06x}"
                row = {
                    **doc,
                    "id": number + 1,
                    "slug": slug,
                    "owner_id": owner,
                    "website": "",
                    "contact_name": "Bench Contact",
                    "contact_email": "contact@example.org",
                    "objectives": "",
                    "member_organisations": "",
                    "resources": "",
                    "timeline": "",
                    "decision_message": "",
                    "version": 1,
                    "created_at": created,
                    "submitted_at": submitted,
                    "updated_at": decided if approved else submitted,
                    "status": Status.APPROVED if approved else Status.SUBMITTED,
                    "decided_by_id": moderator if approved else None,
                    "decided_at": decided if approved else None,
                    "published_at": decided if approved else None,
                }
                if approved:
                    slugs.append(slug)
                else:  # a word found nowhere else: visible in search only once approved
                    marker = "qz" + "".join(rng.choices("bcdfghjklmnpqrstvwxz", k=8))
                    row["title"] = f"{row['title']} {marker}"[:200]
                    row["description"] += f"\n\nReference {marker}."
                    waiting.append((number + 1, slug, marker))
                rows.append(row)
                if len(rows) == 2000:
                    conn.execute(insert(Submission.__table__), rows)
                    rows = []
            if rows:
                conn.execute(insert(Submission.__table__), rows)
    finally:
        engine.dispose()
    return Seeded(slugs=rng.sample(slugs, min(50, len(slugs))), pending=waiting)


# -- reindex -------------------------------------------------------------------------------


def reindex(url: str, workdir: Path, raw_docs: int, result: SizeResult) -> None:
    """Time SearchIndex.rebuild(), then raw bulk indexing of the same documents."""
    from sqlalchemy import select
    from whoosh import index as whoosh_index

    from hub import create_app
    from hub.search.analysis import make_schema
    from hub.submissions.indexing import document_for
    from hub.submissions.models import Status, Submission

    app = create_app(
        {
            "HUB_DATABASE_URL": url,
            "HUB_INDEX_DIR": str(workdir / "index"),
            "HUB_SECRET_KEY": SECRET_KEY,
            "HUB_LOG_LEVEL": "WARNING",
        }
    )
    index = app.extensions["hub_search"]
    try:
        with app.app_context():
            started = time.perf_counter()
            count = index.rebuild()
            rebuild_s = time.perf_counter() - started
            log(f"{result.size}: SearchIndex.rebuild() indexed {count} in {rebuild_s:.1f} s")
            with index.sessions() as session:
                query = select(Submission).where(Submission.status == Status.APPROVED)
                if raw_docs:
                    query = query.order_by(Submission.id).limit(raw_docs)
                docs = [document_for(s) for s in session.scalars(query)]
    finally:
        index.close()
        app.extensions["hub_db"].kw["bind"].dispose()
    raw_dir = workdir / "raw-index"
    raw_dir.mkdir()
    ix = whoosh_index.create_in(str(raw_dir), make_schema())
    started = time.perf_counter()
    writer = ix.writer(limitmb=256)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    raw_s = time.perf_counter() - started
    ix.close()
    shutil.rmtree(raw_dir, ignore_errors=True)
    raw_count = len(docs)
    del docs
    gc.collect()
    log(f"{result.size}: raw Whoosh writer indexed {raw_count} in {raw_s:.1f} s")
    per_k_rebuild = rebuild_s / count * 1000 if count else None
    per_k_raw = raw_s / raw_count * 1000 if raw_count else None
    result.reindex = {
        "rebuild_docs": count,
        "rebuild_s": round(rebuild_s, 1),
        "raw_docs": raw_count,
        "raw_s": round(raw_s, 1),
        "rebuild_s_per_1000": round(per_k_rebuild, 2) if per_k_rebuild else None,
        "raw_s_per_1000": round(per_k_raw, 2) if per_k_raw else None,
        "sampled": raw_count != count,
        "ratio": ratio(per_k_rebuild, per_k_raw),
    }


# -- servers -------------------------------------------------------------------------------


def hub_env(url: str, workdir: Path) -> dict[str, str]:
    """gunicorn's environment: no inherited HUB_* setting, this run's database and index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env.update(
        {
            "HUB_DATABASE_URL": url,
            "HUB_SECRET_KEY": SECRET_KEY,
            "HUB_INDEX_DIR": str(workdir / "index"),
            "HUB_LOG_LEVEL": "INFO",
            "HUB_MAIL_SEND_AFTER_REQUEST": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@contextmanager
def gunicorn(
    env: dict[str, str], workdir: Path, workers: int, log_path: Path, deadline: Deadline
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn -w `workers` serving the benchmark's WSGI module; yields (base URL, master)."""
    module = workdir / "bench_search_app.py"
    if not module.exists():
        module.write_text(WSGI_MODULE.replace("{hello}", HELLO))
    port = free_port()
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        *no_control_socket(),
        "--pythonpath",
        str(workdir),
        "bench_search_app:app",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("a") as log_file:
        log_file.write(f"\n==== {' '.join(cmd)}\n")
        log_file.flush()
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base, proc, deadline)
            yield base, proc
        finally:
            stop(proc)


def worker_pids(master: int) -> list[int]:
    """The pids of gunicorn's workers (the master's children)."""
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(pid) for pid in text.split()]


def rss_mib(pid: int) -> dict[str, float]:
    """VmRSS of a process in MiB, and its parts: RssAnon (the process's own heap) and RssFile
    (file pages mapped and touched, e.g. the Whoosh index files, shared with other workers
    and the page cache), from /proc/<pid>/status."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile"):
                out[name] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        return {}
    return out


def get(http: requests.Session, url: str, deadline: Deadline, **kwargs: Any) -> requests.Response:
    """A GET bounded by the deadline."""
    return http.get(url, timeout=deadline.bound(60), **kwargs)


# -- 3. search latency ---------------------------------------------------------------------


def search_latency(
    base: str, queries: list[str], rounds: int, deadline: Deadline, result: SizeResult
) -> dict[str, list[float]]:
    """Time the HTML search page per query and round, one request at a time."""
    http = requests.Session()
    # Warm-up: the worker opens its searcher and reads the facet values once.
    for warm in ("/browse", "/search?q=warmup", "/search?q=benchmark+warmup"):
        get(http, base + warm, deadline)
    times: dict[str, list[float]] = {q: [] for q in queries}
    statuses: Counter[int] = Counter()
    for _ in range(rounds):
        for q in queries:
            url = f"{base}/search?q={quote(q)}"
            started = time.perf_counter()
            answer = get(http, url, deadline)
            times[q].append(time.perf_counter() - started)
            statuses[answer.status_code] += 1
    bad = {code: n for code, n in statuses.items() if code != 200}
    if bad:
        result.errors.append(f"search page answered {bad}")
    return times


def direct_latency(workdir: Path, queries: list[str], rounds: int) -> dict[str, list[float]]:
    """The same queries on the same index with one reused searcher (the hub's parser)."""
    from whoosh import index as whoosh_index

    from hub.search.analysis import make_schema
    from hub.search.query import parse

    ix = whoosh_index.open_dir(os.path.realpath(workdir / "index"), schema=make_schema())
    times: dict[str, list[float]] = {q: [] for q in queries}
    try:
        with ix.searcher() as searcher:
            for warm in ("warmup", "benchmark warmup"):
                parse(warm, searcher.schema, searcher.reader())
            for _ in range(rounds):
                for q in queries:
                    started = time.perf_counter()
                    parsed = parse(q, searcher.schema, searcher.reader())
                    if parsed.query is not None:
                        hits = searcher.search(parsed.query, limit=20)
                        _total, _ids = len(hits), [hit["id"] for hit in hits]
                    times[q].append(time.perf_counter() - started)
    finally:
        ix.close()
    return times


def fold_search(
    page: dict[str, list[float]], direct: dict[str, list[float]], result: SizeResult
) -> None:
    """Medians, p95s and ratios of page (cold, warm) and direct timings."""
    cold = [t[0] for t in page.values()]
    warm = [x for t in page.values() for x in t[1:]]
    raw = [x for t in direct.values() for x in t]
    s_cold, s_warm, s_raw = summary(cold), summary(warm), summary(raw)
    result.search = {
        "queries": len(page),
        "rounds": len(next(iter(page.values()))),
        "page_cold": s_cold,
        "page_warm": s_warm,
        "direct": s_raw,
        "ratio_cold_median": ratio(s_cold["median_ms"], s_raw["median_ms"]),
        "ratio_cold_p95": ratio(s_cold["p95_ms"], s_raw["p95_ms"]),
        "ratio_warm_median": ratio(s_warm["median_ms"], s_raw["median_ms"]),
        "ratio_warm_p95": ratio(s_warm["p95_ms"], s_raw["p95_ms"]),
    }
    slowest = sorted(page, key=lambda q: page[q][0], reverse=True)[:6]
    result.slowest_queries = [
        {
            "q": q,
            "page_cold_ms": round(page[q][0] * 1000, 1),
            "page_warm_ms": round(statistics.median(page[q][1:]) * 1000, 1)
            if page[q][1:]
            else None,
            "direct_ms": round(statistics.median(direct[q]) * 1000, 1),
        }
        for q in slowest
    ]


# -- 4. throughput -------------------------------------------------------------------------


@dataclass
class Load:
    """One load run."""

    path: str
    requests: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    p50_ms: float | None = None
    p99_ms: float | None = None
    loader: str = ""


def wrk_lua(paths: list[str]) -> str:
    """A wrk script that cycles through `paths`."""
    listed = ", ".join(json.dumps(p) for p in paths)
    return textwrap.dedent(f"""\
        local paths = {{{listed}}}
        local i = 0
        request = function()
          i = i + 1
          return wrk.format("GET", paths[(i % #paths) + 1])
        end
        """)


def _wrk_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(
    base: str, paths: list[str], seconds: float, connections: int, workdir: Path, deadline: Deadline
) -> Load:
    """wrk -t2 -c<connections> over `paths` for `seconds`."""
    script = workdir / f"paths-{uuid.uuid4().hex[:6]}.lua"
    script.write_text(wrk_lua(paths))
    cmd = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "30s",
        "-s",
        str(script),
        base,
    ]
    done = subprocess.run(
        cmd, capture_output=True, text=True, check=False, timeout=deadline.bound(seconds + 60)
    )
    out = done.stdout
    if done.returncode != 0 or "Requests/sec" not in out:
        raise BenchError(f"wrk failed ({done.returncode}): {(done.stderr or out)[-500:]}")
    load = Load(
        path=paths[0] if len(paths) == 1 else f"{paths[0]} (+{len(paths) - 1})", loader="wrk"
    )
    load.rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    load.requests = int(total.group(1))
    load.seconds = _wrk_ms(total.group(2), total.group(3)) / 1000
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        load.non_2xx_3xx = int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), "
        r"timeout (\d+)",
        out,
    ):
        load.socket_errors = sum(int(g) for g in match.groups())
    for pct, name in (("50", "p50_ms"), ("99", "p99_ms")):
        if match := re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M):
            setattr(load, name, round(_wrk_ms(match.group(1), match.group(2)), 1))
    return load


def _python_load_worker(args: tuple[str, int, list[str], float, int]) -> tuple[int, int, list]:
    """One process of the Python load generator: `threads` loops of GETs until the end."""
    host, port, paths, seconds, threads = args
    end = time.monotonic() + seconds
    counts = [0, 0]  # answered, not 2xx/3xx
    latencies: list[float] = []
    lock = threading.Lock()

    def loop(offset: int) -> None:
        i = offset
        while time.monotonic() < end:
            started = time.perf_counter()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            try:
                conn.request("GET", paths[i % len(paths)])
                answer = conn.getresponse()
                answer.read()
                bad = not 200 <= answer.status < 400
            except OSError:
                bad = True
            finally:
                conn.close()
            with lock:
                counts[0] += 1
                counts[1] += bad
                latencies.append(time.perf_counter() - started)
            i += 1

    pool = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return counts[0], counts[1], latencies


def run_python_load(base: str, paths: list[str], seconds: float, connections: int) -> Load:
    """The fallback load generator: 2 processes, `connections` threads in all."""
    parts = urlsplit(base)
    per_process = max(1, connections // 2)
    jobs = [(parts.hostname, parts.port, paths, seconds, per_process)] * 2
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        answers = pool.map(_python_load_worker, jobs)
    elapsed = time.perf_counter() - started
    latencies = [x for _, _, lat in answers for x in lat]
    load = Load(
        path=paths[0] if len(paths) == 1 else f"{paths[0]} (+{len(paths) - 1})",
        loader="python",
        requests=sum(a[0] for a in answers),
        non_2xx_3xx=sum(a[1] for a in answers),
        seconds=round(elapsed, 2),
    )
    load.rps = round(load.requests / elapsed, 1)
    if latencies:
        load.p50_ms = round(statistics.median(latencies) * 1000, 1)
        load.p99_ms = round(percentile(latencies, 99) * 1000, 1)
    return load


def throughput(
    base: str,
    slugs: list[str],
    args: argparse.Namespace,
    workdir: Path,
    deadline: Deadline,
    result: SizeResult,
    key: str = "throughput",
    french: bool = False,
) -> None:
    """Requests/s of /browse and detail pages, each between two hello-world runs; with
    `french`, also of the same pages in French (/fr/browse…, /fr/s/<slug>: issue 13).

    Before each measured run, short runs warm the workers up until the rate stops rising
    (each worker computes and caches every listing once: at 50k documents that takes far
    longer than a fixed few seconds).
    """
    use_wrk = args.loader == "wrk" or (args.loader == "auto" and shutil.which("wrk"))

    def measure(paths: list[str], seconds: float) -> Load:
        if use_wrk:
            return run_wrk(base, paths, seconds, args.connections, workdir, deadline)
        return run_python_load(base, paths, seconds, args.connections)

    def settle() -> None:
        # wrk stops, but gunicorn still works through the requests queued for the workers;
        # wait until a hello-world request is answered at once, or they bleed into the next run.
        give_up = time.monotonic() + deadline.bound(120)
        while time.monotonic() < give_up:
            started = time.perf_counter()
            get(requests.Session(), base + HELLO, deadline)
            if time.perf_counter() - started < 0.05:
                return

    def warm_up(paths: list[str]) -> list[float]:
        if paths == [HELLO]:  # nothing to warm; every run leaves ~1,000s of TIME_WAIT sockets
            rates = [measure(paths, 1).rps]
            settle()
            return rates
        rates = [measure(paths, 3).rps]
        settle()
        while len(rates) < 30:  # a run of 0 req/s (all workers busy computing) is not warm
            rates.append(measure(paths, 3).rps)
            settle()
            if rates[-2] > 0 and rates[-1] <= rates[-2] * 1.15:
                break
        return rates

    detail = [f"/s/{slug}" for slug in slugs]
    plan = [
        ("hello", [HELLO]),
        ("browse", BROWSE_PATHS),
        ("hello", [HELLO]),
        ("detail", detail),
        ("hello", [HELLO]),
    ]
    if french:  # the language prefix, the French catalogue and CLDR names on the same pages
        plan += [
            ("browse_fr", [f"/fr{path}" for path in BROWSE_PATHS]),
            ("hello", [HELLO]),
            ("detail_fr", [f"/fr{path}" for path in detail]),
            ("hello", [HELLO]),
        ]
    runs: dict[str, list[Load]] = {name: [] for name, _paths in plan}
    warm: dict[str, list[list[float]]] = {name: [] for name, _paths in plan}
    for name, paths in plan:
        warm[name].append(warm_up(paths))
        load = measure(paths, args.duration)
        settle()
        runs[name].append(load)
        log(
            f"{result.size}: {name}: {load.rps:.1f} req/s ({load.loader}, p50 {load.p50_ms} ms, "
            f"non-2xx/3xx {load.non_2xx_3xx}, socket errors {load.socket_errors}; warm-up "
            f"runs {warm[name][-1]} req/s)"
        )
        if load.non_2xx_3xx:
            result.errors.append(f"{name}: {load.non_2xx_3xx} answers not 2xx/3xx")
    hello = [load.rps for load in runs["hello"]]
    browse, detail_rps = runs["browse"][0].rps, runs["detail"][0].rps
    # Each page against the mean of the hello-world runs just before and after it.
    hello_browse, hello_detail = statistics.mean(hello[0:2]), statistics.mean(hello[1:3])
    figures = {
        "loader": runs["hello"][0].loader,
        "connections": args.connections,
        "duration_s": args.duration,
        "hello_rps": round(statistics.mean(hello), 1),
        "hello_runs_rps": hello,
        "browse_rps": browse,
        "detail_rps": detail_rps,
        "browse_vs_hello": ratio(browse, hello_browse),
        "detail_vs_hello": ratio(detail_rps, hello_detail),
        **(_french_figures(runs, hello) if french else {}),
        "warm_up_rps": warm,
        "runs": {name: [asdict(load) for load in loads] for name, loads in runs.items()},
    }
    setattr(result, key, figures)


def _french_figures(runs: dict[str, list[Load]], hello: list[float]) -> dict[str, Any]:
    """The French pages' rates, each against the hello-world runs just before and after."""
    browse_fr, detail_fr = runs["browse_fr"][0].rps, runs["detail_fr"][0].rps
    return {
        "browse_fr_rps": browse_fr,
        "detail_fr_rps": detail_fr,
        "browse_fr_vs_hello": ratio(browse_fr, statistics.mean(hello[2:4])),
        "detail_fr_vs_hello": ratio(detail_fr, statistics.mean(hello[3:5])),
    }


# -- 5. approve to visible -----------------------------------------------------------------


def token(html: str, name: str) -> str:
    """A hidden form value of a page."""
    match = TOKEN_RE[name].search(html)
    if match is None:
        raise BenchError(f"no {name} in the page")
    return match.group(1)


def approvals(
    base: str, pending: list[tuple[int, str, str]], deadline: Deadline, result: SizeResult
) -> None:
    """Approve each pending submission through the moderator's form; time until searchable."""
    http = requests.Session()
    page = get(http, f"{base}/account/login", deadline)
    answer = http.post(
        f"{base}/account/login",
        allow_redirects=False,
        timeout=30,
        data={
            "csrf_token": token(page.text, "csrf_token"),
            "email": MODERATOR[0],
            "password": MODERATOR[1],
            "next": "",
        },
    )
    if answer.status_code != 302:
        raise BenchError(f"moderator login answered {answer.status_code}")
    visible, posts, polls, never = [], [], [], 0
    for submission_id, _slug, marker in pending:
        review = get(http, f"{base}/moderation/{submission_id}", deadline)
        form = {
            "csrf_token": token(review.text, "csrf_token"),
            "action": "approve",
            "version": token(review.text, "version"),
            "message": "",
        }
        started = time.perf_counter()
        answer = http.post(
            f"{base}/moderation/{submission_id}/decide",
            data=form,
            allow_redirects=False,
            timeout=deadline.bound(60),
        )
        posts.append(time.perf_counter() - started)
        if answer.status_code != 302:
            result.errors.append(f"approving {submission_id} answered {answer.status_code}")
            continue
        # The marker is found in that submission only; its public slug is made at approval.
        needle, count = 'class="result card"', 0
        while True:
            count += 1
            found = get(http, f"{base}/search?q={marker}", deadline)
            if found.status_code >= 500:
                result.errors.append(f"search for {marker} answered {found.status_code}")
            if needle in found.text:
                visible.append(time.perf_counter() - started)
                break
            if time.perf_counter() - started > 15:
                never += 1
                result.errors.append(f"submission {submission_id} not searchable after 15 s")
                break
            time.sleep(0.01)
        polls.append(count)
        time.sleep(0.1)  # a moderator does not approve 10 items a second
    result.visibility = {
        "approvals": len(pending),
        "visible": len(visible),
        "never_visible": never,
        "approve_to_visible": summary(visible),
        "post": summary(posts),
        "polls_median": statistics.median(polls) if polls else None,
    }


# -- one size ------------------------------------------------------------------------------


def scan_log(path: Path, result: SizeResult) -> None:
    """Count what went wrong in gunicorn's log."""
    if not path.exists():
        return
    text = path.read_text(errors="replace")
    result.log = {
        "tracebacks": text.count("Traceback (most recent call last)"),
        "lock_errors": text.count("LockError"),
        "writer_busy": text.count("Index writer busy"),
        "index_update_failed": text.count("Index update failed"),
        "database_locked": text.count("database is locked"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
    }


def run_size(
    size: int, args: argparse.Namespace, queries: list[str], deadline: Deadline
) -> SizeResult:
    """Seed, index, serve and measure one size; always remove the temporary directory."""
    result = SizeResult(size)
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix=f"hub_bench_search_{size}_"))
    log_path = OUTPUT / f"gunicorn-search-{size}.log"
    log_path.unlink(missing_ok=True)
    try:
        url = f"sqlite:///{workdir / 'hub.sqlite3'}"
        env = hub_env(url, workdir)
        result.note_load()
        log(f"{size}: migrating a fresh SQLite database in {workdir}")
        init_db(env, deadline)
        t0 = time.perf_counter()
        seeded = seed(url, size, args.approvals, args.seed)
        result.seed_s = round(time.perf_counter() - t0, 1)
        log(f"{size}: seeded {size} approved + {args.approvals} pending in {result.seed_s} s")
        result.note_load()
        reindex(url, workdir, args.raw_docs, result)
        deadline.bound(1)
        result.note_load()
        # The page cache would answer the warm rounds: measure the search itself.
        uncached = {**env, "HUB_PAGE_CACHE": "0"}
        pages = {}
        for mode in args.mmap_modes:
            with gunicorn({**uncached, "BENCH_MMAP": mode}, workdir, 1, log_path, deadline) as (
                base,
                _master,
            ):
                log(
                    f"{size}: search page latency (mmap {mode}), {len(queries)} queries"
                    f" x {args.rounds} rounds"
                )
                pages[mode] = search_latency(base, queries, args.rounds, deadline, result)
        direct = direct_latency(workdir, queries, args.rounds)
        for mode in reversed(args.mmap_modes):  # the first mode's figures stay in .search
            fold_search(pages[mode], direct, result)
            result.by_mmap.setdefault(mode, {})["search"] = result.search
            s = result.search
            log(
                f"{size}: search page (mmap {mode}) cold {s['page_cold']['median_ms']}/"
                f"{s['page_cold']['p95_ms']} ms, warm {s['page_warm']['median_ms']}/"
                f"{s['page_warm']['p95_ms']} ms, direct {s['direct']['median_ms']}/"
                f"{s['direct']['p95_ms']} ms (median/p95)"
            )
        result.note_load()
        env = {**env, "BENCH_MMAP": args.mmap_modes[0]}
        with gunicorn(env, workdir, args.workers, log_path, deadline) as (base, master):
            throughput(base, seeded.slugs, args, workdir, deadline, result, french=True)
            result.note_load()
            approvals(base, seeded.pending, deadline, result)
            v = result.visibility["approve_to_visible"]
            log(f"{size}: approve-to-visible median {v['median_ms']} ms, p95 {v['p95_ms']} ms")
            workers = [rss_mib(pid) for pid in worker_pids(master.pid)]
            workers = [w for w in workers if "VmRSS" in w]
            result.rss_mib = {"master": rss_mib(master.pid).get("VmRSS"), "workers": workers}
            for part in ("VmRSS", "RssAnon", "RssFile"):
                values = [w[part] for w in workers if part in w]
                if values:
                    result.rss_mib[f"worker_max_{part}"] = max(values)
                    result.rss_mib[f"worker_mean_{part}"] = round(statistics.mean(values), 1)
        result.note_load()
        for mode in reversed(args.mmap_modes):  # the first mode's figures stay in the table
            log(f"{size}: throughput without the page cache (HUB_PAGE_CACHE=0), mmap {mode}")
            with gunicorn(
                {**uncached, "BENCH_MMAP": mode}, workdir, args.workers, log_path, deadline
            ) as (base, _master):
                throughput(
                    base, seeded.slugs, args, workdir, deadline, result, key="throughput_uncached"
                )
            result.by_mmap.setdefault(mode, {})["throughput_uncached"] = result.throughput_uncached
            result.note_load()
    except Exception as exc:  # report it and go on with the next size
        result.problems.append(f"{type(exc).__name__}: {exc}")
        log(f"{size}: PROBLEM {type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        scan_log(log_path, result)
        result.wall_s = round(time.perf_counter() - started, 1)
    return result


# -- output --------------------------------------------------------------------------------


def report_mmap(results: list[SizeResult]) -> str:
    """With --mmap on,off: the search page and the uncached pages, index files mapped into
    memory or read with plain reads (ratios against this run's baselines)."""
    lines = []
    for r in results:
        if len(r.by_mmap) < 2:
            continue
        lines += ["", f"{r.size:,} submissions, mmap on vs off (HUB_PAGE_CACHE=0 for all):"]
        for mode, m in r.by_mmap.items():
            s, t = m.get("search", {}), m.get("throughput_uncached", {})
            cold, warm = s.get("page_cold", {}), s.get("page_warm", {})
            lines.append(
                f"  mmap {mode:3}: search page cold {cold.get('median_ms')} / {cold.get('p95_ms')}"
                f" ms (ratio {s.get('ratio_cold_median')} / {s.get('ratio_cold_p95')}), warm "
                f"{warm.get('median_ms')} / {warm.get('p95_ms')} ms; /browse "
                f"{t.get('browse_rps')} req/s ({t.get('browse_vs_hello')} of hello-world), "
                f"/s/<slug> {t.get('detail_rps')} req/s ({t.get('detail_vs_hello')})"
            )
    return "\n".join(lines) + ("\n" if lines else "")


def verdict(value: float | None, goal: float, at_most: bool) -> str:
    """'yes'/'no'/'-' for a figure against its goal."""
    if value is None:
        return "-"
    return "yes" if (value <= goal if at_most else value >= goal) else "no"


def report(results: list[SizeResult]) -> str:
    """The figures as fixed-width tables, one column per size."""

    def ms(d: dict[str, Any], key: str) -> str:
        value = d.get(key) if d else None
        return "-" if value is None else f"{value:.1f}"

    def num(value: Any, fmt: str = "{:.2f}") -> str:
        return "-" if value is None else fmt.format(value)

    rows: list[tuple[str, ...]] = [("", *(f"{r.size:,} docs" for r in results))]

    def add(label: str, values: list[str]) -> None:
        rows.append((label, *values))

    for r in results:
        r.search = r.search or {}
        r.throughput = r.throughput or {}
        r.visibility = r.visibility or {}
    add(
        "search page cold, median / p95 ms",
        [
            f"{ms(r.search.get('page_cold'), 'median_ms')} / {ms(r.search.get('page_cold'), 'p95_ms')}"
            for r in results
        ],
    )
    add(
        "search page warm, median / p95 ms",
        [
            f"{ms(r.search.get('page_warm'), 'median_ms')} / {ms(r.search.get('page_warm'), 'p95_ms')}"
            for r in results
        ],
    )
    add(
        "raw Whoosh, median / p95 ms",
        [
            f"{ms(r.search.get('direct'), 'median_ms')} / {ms(r.search.get('direct'), 'p95_ms')}"
            for r in results
        ],
    )
    add(
        "ratio cold, median / p95 (goal <= 1.3)",
        [
            f"{num(r.search.get('ratio_cold_median'))} / {num(r.search.get('ratio_cold_p95'))}"
            for r in results
        ],
    )
    add(
        "ratio warm, median / p95 (goal <= 1.3)",
        [
            f"{num(r.search.get('ratio_warm_median'))} / {num(r.search.get('ratio_warm_p95'))}"
            for r in results
        ],
    )
    add("hello-world req/s", [num(r.throughput.get("hello_rps"), "{:.1f}") for r in results])
    add(
        "/browse req/s (vs hello, goal >= 0.30)",
        [
            f"{num(r.throughput.get('browse_rps'), '{:.1f}')} "
            f"({num(r.throughput.get('browse_vs_hello'))})"
            for r in results
        ],
    )
    add(
        "/s/<slug> req/s (vs hello, goal >= 0.30)",
        [
            f"{num(r.throughput.get('detail_rps'), '{:.1f}')} "
            f"({num(r.throughput.get('detail_vs_hello'))})"
            for r in results
        ],
    )
    add(
        "/fr/browse req/s (vs hello, goal >= 0.30)",
        [
            f"{num(r.throughput.get('browse_fr_rps'), '{:.1f}')} "
            f"({num(r.throughput.get('browse_fr_vs_hello'))})"
            for r in results
        ],
    )
    add(
        "/fr/s/<slug> req/s (vs hello, goal >= 0.30)",
        [
            f"{num(r.throughput.get('detail_fr_rps'), '{:.1f}')} "
            f"({num(r.throughput.get('detail_fr_vs_hello'))})"
            for r in results
        ],
    )
    for r in results:
        r.throughput_uncached = r.throughput_uncached or {}
    add(
        "  without the page cache: /browse (vs hello)",
        [
            f"{num(r.throughput_uncached.get('browse_rps'), '{:.1f}')} "
            f"({num(r.throughput_uncached.get('browse_vs_hello'))})"
            for r in results
        ],
    )
    add(
        "  without the page cache: /s/<slug> (vs hello)",
        [
            f"{num(r.throughput_uncached.get('detail_rps'), '{:.1f}')} "
            f"({num(r.throughput_uncached.get('detail_vs_hello'))})"
            for r in results
        ],
    )
    add(
        "approve->visible median / p95 / max ms",
        [
            " / ".join(
                ms(r.visibility.get("approve_to_visible"), k)
                for k in ("median_ms", "p95_ms", "max_ms")
            )
            for r in results
        ],
    )
    add("approve POST median ms", [ms(r.visibility.get("post"), "median_ms") for r in results])
    add(
        "rebuild s (docs)",
        [
            f"{num(r.reindex.get('rebuild_s'), '{:.1f}')} ({r.reindex.get('rebuild_docs', '-')})"
            for r in results
        ],
    )
    add(
        "raw Whoosh writer s (docs)",
        [
            f"{num(r.reindex.get('raw_s'), '{:.1f}')} ({r.reindex.get('raw_docs', '-')})"
            for r in results
        ],
    )
    add("rebuild / raw, per document", [num(r.reindex.get("ratio")) for r in results])
    add(
        "worker VmRSS MiB max / mean (master)",
        [
            f"{num(r.rss_mib.get('worker_max_VmRSS'), '{:.0f}')} / "
            f"{num(r.rss_mib.get('worker_mean_VmRSS'), '{:.0f}')} "
            f"({num(r.rss_mib.get('master'), '{:.0f}')})"
            for r in results
        ],
    )
    add(
        "  of which RssAnon / RssFile, max MiB",
        [
            f"{num(r.rss_mib.get('worker_max_RssAnon'), '{:.0f}')} / "
            f"{num(r.rss_mib.get('worker_max_RssFile'), '{:.0f}')}"
            for r in results
        ],
    )
    add("seed s / whole size s", [f"{r.seed_s:.0f} / {r.wall_s:.0f}" for r in results])
    add("load average per phase", [" ".join(f"{x:.1f}" for x in r.load) for r in results])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    lines.append("")
    for r in results:
        s, t, v = r.search, r.throughput, r.visibility
        goals = [
            f"search/raw <= 1.3 (cold median {verdict(s.get('ratio_cold_median'), 1.3, True)}, "
            f"cold p95 {verdict(s.get('ratio_cold_p95'), 1.3, True)}, warm median "
            f"{verdict(s.get('ratio_warm_median'), 1.3, True)}, warm p95 "
            f"{verdict(s.get('ratio_warm_p95'), 1.3, True)})",
            f"browse >= 30% {verdict(t.get('browse_vs_hello'), 0.3, False)}",
            f"detail >= 30% {verdict(t.get('detail_vs_hello'), 0.3, False)}",
            f"French browse >= 30% {verdict(t.get('browse_fr_vs_hello'), 0.3, False)}",
            f"French detail >= 30% {verdict(t.get('detail_fr_vs_hello'), 0.3, False)}",
            "approve->visible p95 <= 1 s "
            + verdict((v.get("approve_to_visible") or {}).get("p95_ms"), 1000, True),
        ]
        lines.append(f"{r.size:,}: goals met: " + "; ".join(goals))
        lines.append(
            f"{r.size:,}: loader {t.get('loader', '-')}, hello runs "
            f"{t.get('hello_runs_rps', '-')} req/s; gunicorn log {r.log}"
        )
        if r.reindex.get("sampled"):
            lines.append(
                f"{r.size:,}: raw baseline indexed the first {r.reindex['raw_docs']:,}"
                " documents only: the ratio compares seconds per 1,000 documents"
            )
        for q in r.slowest_queries:
            lines.append(
                f"{r.size:,}: slow query {q['q']!r}: page cold {q['page_cold_ms']} ms,"
                f" warm {q['page_warm_ms']} ms, raw {q['direct_ms']} ms"
            )
        lines += [f"{r.size:,}: ERROR {e}" for e in r.errors]
        lines += [f"{r.size:,}: PROBLEM {p}" for p in r.problems]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options; --quick changes the defaults of the ones not given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", help="approved submissions per run, comma-separated (10000,50000; --quick: 1000)"
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: small and short")
    parser.add_argument(
        "--queries",
        type=int,
        help="generated queries added to the 24 fixed ones (30; --quick: 0 and only 8 fixed ones)",
    )
    parser.add_argument(
        "--rounds", type=int, help="rounds over the queries; the first is cold (5; --quick: 2)"
    )
    parser.add_argument(
        "--duration", type=float, help="seconds per throughput run (10; --quick: 3)"
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=8,
        help="concurrent connections of the load generator (8)",
    )
    parser.add_argument(
        "--approvals", type=int, help="approvals timed until searchable (30; --quick: 5)"
    )
    parser.add_argument(
        "--raw-docs",
        type=int,
        default=0,
        help="documents for the raw Whoosh "
        "baseline: 0 = all of them (default); fewer saves time, and the ratio "
        "then compares seconds per 1,000 documents (which favours the sample)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument(
        "--loader",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk if installed (auto), wrk, or python",
    )
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (1)")
    parser.add_argument(
        "--mmap",
        default="off",
        help="whether the hub's workers map index files into memory: off (what the hub does), "
        "on, or on,off to measure the search page and uncached throughput both ways in one run "
        "(the first mode serves the other phases)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--deadline", type=float, default=7200.0, help="seconds the whole run may take (7200)"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = {
        "sizes": "1000" if quick else "10000,50000",
        "queries": 0 if quick else 30,
        "rounds": 2 if quick else 5,
        "duration": 3.0 if quick else 10.0,
        "approvals": 5 if quick else 30,
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    try:
        args.size_list = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 10000,50000")
    if not args.size_list or min(args.size_list) < 100:
        parser.error("each size must be at least 100")
    if args.rounds < 2 or args.approvals < 1 or args.duration < 1 or args.connections < 1:
        parser.error("--rounds >= 2, --approvals >= 1, --duration >= 1, --connections >= 1")
    args.mmap_modes = [m.strip() for m in args.mmap.split(",") if m.strip()]
    if not args.mmap_modes or set(args.mmap_modes) - {"on", "off"}:
        parser.error("--mmap takes on, off, or both separated by a comma")
    if args.loader == "wrk" and not shutil.which("wrk"):
        parser.error("--loader wrk: wrk is not installed (Debian: apt-get install wrk)")
    return args


def main(argv: list[str] | None = None) -> int:
    """Measure every size; the exit status says whether the hub answered without errors."""
    args = parse_args(argv)
    deadline = Deadline(args.deadline)
    queries = corpus.queries(args.seed, args.queries)
    if args.quick and not args.queries:
        queries = queries[:8]
    started = datetime.now(UTC)
    results = []
    for size in args.size_list:
        if deadline.left() < 60:
            log(f"{size}: skipped, the deadline is near")
            break
        results.append(run_size(size, args, queries, deadline))
    text = report(results) + report_mmap(results)
    document = {
        "started_at": started.isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "command": " ".join(["python", *sys.argv]),
        "queries": queries,
        "results": [asdict(r) for r in results],
    }
    OUTPUT.mkdir(parents=True, exist_ok=True)
    saved = OUTPUT / f"search-{started.strftime('%Y%m%dT%H%M%S')}.json"
    saved.write_text(json.dumps(document, indent=2))
    log(f"figures saved in {saved.relative_to(ROOT)}")
    if args.json:
        print(text, file=sys.stderr)
        print(json.dumps(document, indent=2))
    else:
        print(text)
    if any(r.errors for r in results):
        return 1
    return 2 if any(r.problems for r in results) or len(results) < len(args.size_list) else 0


if __name__ == "__main__":
    with suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)
