"""Submission rush: many people submitting at the same moment, against real gunicorn workers.

For each backend (a SQLite file in a temporary directory, then a private PostgreSQL
database) the benchmark

1. migrates a fresh database (`flask --app hub init-db`) and starts
   `gunicorn -w 4 -b 127.0.0.1:<free port> wsgi:app` with a fixed secret key, no cutoff and
   its own search-index directory, then waits for /healthz;
2. lets `--clients` concurrent clients (one thread and one `requests.Session` each) register
   an account through /account/register, then - all starting together - each open
   /submit/<kind> and post a complete, valid submission (`action=submit`) until `--total`
   submissions were posted, cycling through the four kinds;
3. records the status code and latency of every submission POST (accepted = 302 to
   /my/<id>), counts the rows with status 'submitted' straight from the database, and
   reports lost rows (accepted - rows found), 5xx, other non-2xx/3xx answers, median and
   p95 latency and submissions per second (accepted / wall time of the submit phase);
4. stops gunicorn (SIGTERM, then SIGKILL of its process group if it lingers) and removes
   the database (the PostgreSQL one with DROP DATABASE ... WITH (FORCE)).

Every request has a timeout and the whole run has a deadline (`--deadline`). gunicorn's own
log (the workers' tracebacks, "database is locked") is kept in bench/output/.

Usage::

    .venv/bin/python bench/submit_rush.py                      # both backends, 50 x 10
    .venv/bin/python bench/submit_rush.py --backend sqlite --clients 20 --total 100 --json

Exit status: 0 when every backend lost nothing and answered no 5xx; 1 when rows were lost or
a 5xx was answered; 2 when a run could not be completed (setup failure, deadline reached,
requests without any answer).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
OUTPUT = ROOT / "bench" / "output"
KINDS = ("initiative", "coalition", "partnership", "concrete_action")
SECRET_KEY = "submit-rush-bench-secret-key-shared-by-all-workers"
PASSWORD = "a-long-enough-bench-password"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ACCEPTED_PATH = re.compile(r"/my/(\d+)")
TOKEN_RE = {
    name: re.compile(rf'name="{name}"[^>]*\bvalue="([^"]*)"')
    for name in ("csrf_token", "form_token")
}


class BenchError(RuntimeError):
    """The benchmark could not set up or finish a run (not a finding about the hub)."""


# -- results -------------------------------------------------------------------------------


@dataclass
class PostRecord:
    """One submission POST as the client saw it."""

    kind: str
    status: int | None  # None: no answer (timeout, connection error)
    latency_s: float
    submission_id: int | None = None  # set when accepted (302 to /my/<id>)
    error: str = ""


@dataclass
class ClientLog:
    """What one client did; written only by its own thread."""

    registered: bool = False
    posts: list[PostRecord] = field(default_factory=list)
    form_latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # steps other than the POST that failed


@dataclass
class BackendResult:
    """The figures of one backend."""

    backend: str
    clients: int
    total: int
    workers: int
    registered: int = 0
    posted: int = 0
    accepted: int = 0
    rows_submitted: int = 0
    lost: int = 0
    missing_ids: int = 0  # accepted ids whose row is absent or not 'submitted'
    server_errors: int = 0  # 5xx answers to the submission POST
    other_non_2xx_3xx: dict[str, int] = field(default_factory=dict)  # e.g. {"422": 1}
    not_accepted_2xx_3xx: int = 0  # e.g. the form shown again with 200, a 302 elsewhere
    no_answer: int = 0  # timeouts and connection errors
    other_failures: int = 0  # registration or form GETs that failed
    status_codes: dict[str, int] = field(default_factory=dict)
    post_median_ms: float | None = None
    post_p95_ms: float | None = None
    post_max_ms: float | None = None
    form_get_median_ms: float | None = None
    submit_wall_s: float = 0.0
    register_wall_s: float = 0.0
    submissions_per_s: float = 0.0
    load_before: float = 0.0  # 1-minute load average when the rush started
    load_after: float = 0.0  # ... and when it ended (other work on the machine skews figures)
    log_database_locked: int = 0
    log_tracebacks: int = 0
    log_file: str = ""
    completed: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Rows lost or a 5xx answered: the hub, not the benchmark, is at fault."""
        return self.lost > 0 or self.missing_ids > 0 or self.server_errors > 0

    @property
    def incomplete(self) -> bool:
        """The run did not do everything it was asked to."""
        return (
            not self.completed
            or self.no_answer > 0
            or self.other_failures > 0
            or self.posted < self.total
        )


# -- helpers -------------------------------------------------------------------------------


class Deadline:
    """The overall deadline of the run; every wait and request is bounded by it."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.at - time.monotonic())

    def bound(self, seconds: float) -> float:
        """`seconds`, or less if the deadline comes first; BenchError once it has passed."""
        left = self.left()
        if left <= 0.05:
            raise BenchError("the overall deadline was reached")
        return min(seconds, left)


def log(message: str) -> None:
    """Progress on stderr (stdout stays free for --json)."""
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], pct: float) -> float:
    """The `pct` percentile (linear interpolation between closest ranks)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def hub_env(database_url: str, workdir: Path) -> dict[str, str]:
    """The environment of init-db and gunicorn: no inherited HUB_* setting, no cutoff."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env.update(
        {
            "HUB_DATABASE_URL": database_url,
            "HUB_SECRET_KEY": SECRET_KEY,
            "HUB_INDEX_DIR": str(workdir / "index"),
            "HUB_LOG_LEVEL": "WARNING",  # keep the log to what matters: warnings and tracebacks
            # Every client comes from 127.0.0.1 but stands for a person somewhere else: count
            # (and pay for) the per-account limits only.
            "HUB_RATELIMIT_REGISTER": "",
            "HUB_RATELIMIT_SUBMIT": "60 per 10 minutes per account",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def submission_form(kind: str, label: str) -> dict[str, Any]:
    """Complete, valid content for every kind (the fields of tests/conftest.py)."""
    return {
        "title": f"Bench {kind.replace('_', ' ')} {label}",
        "summary": "Training civil servants in three regions to assess AI systems.",
        "description": "A two-year programme of workshops and open course material.",
        "lead_organisation": "Example Institute",
        "stakeholder_group": "academia",
        "countries": ["CH", "KE"],
        "regions": ["africa", "europe"],
        "themes": ["capacity_building"],
        "sdgs": ["4", "17"],
        "partners": "Partner One\nPartner Two",
        "website": "https://example.org/skills",
        "language": "en",
        "contact_name": "Ada Example",
        "contact_email": "ada@example.org",
        "objectives": "Train 500 people.",
        "member_organisations": "Member A\nMember B",
        "resources": "Funding",
        "timeline": "2026-09 pilot\n2027-03 scale",
        "start_date": "2026-09-01",
        "end_date": "2027-12-31",
        "action": "submit",
    }


def tokens(html: str, *names: str) -> dict[str, str]:
    """The hidden form values `names` (csrf_token, form_token) of a page."""
    found: dict[str, str] = {}
    for name in names:
        match = TOKEN_RE[name].search(html)
        if match is None:
            raise ValueError(f"no {name} in the page")
        found[name] = match.group(1)
    return found


# -- the hub under test ----------------------------------------------------------------------


@contextmanager
def private_database(backend: str, pg_admin_url: str, workdir: Path) -> Iterator[str]:
    """A database of this run's own: a SQLite file in `workdir`, or a PostgreSQL database
    hub_bench_<pid>_<random> dropped WITH (FORCE) afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / 'hub.sqlite3'}"
        return
    name = f"hub_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(
        pg_admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 10}
    )
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(pg_admin_url).set(database=name)
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def init_db(env: dict[str, str], deadline: Deadline) -> None:
    """Run the migrations (`flask --app hub init-db`)."""
    done = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "hub", "init-db"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline.bound(180),
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"init-db failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


@contextmanager
def gunicorn(
    env: dict[str, str], workers: int, log_path: Path, deadline: Deadline
) -> Iterator[str]:
    """gunicorn serving wsgi:app on a free port; yields the base URL, stops it afterwards."""
    port = free_port()
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        *no_control_socket(),
        "wsgi:app",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log_file:
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
            yield base
        finally:
            stop(proc)


def no_control_socket() -> list[str]:
    """["--no-control-socket"] if this gunicorn has one (27+ opens ~/.gunicorn/gunicorn.ctl,
    shared by every gunicorn of the user; a benchmark needs none)."""
    done = subprocess.run(
        [str(VENV_BIN / "gunicorn"), "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return ["--no-control-socket"] if "--no-control-socket" in done.stdout else []


def wait_healthy(base: str, proc: subprocess.Popen[bytes], deadline: Deadline) -> None:
    """Poll /healthz until it answers 200 (60 s at most)."""
    give_up = time.monotonic() + deadline.bound(60)
    last = "no answer"
    while time.monotonic() < give_up:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited with {proc.returncode} before it was healthy")
        try:
            answer = requests.get(f"{base}/healthz", timeout=2)
            if answer.status_code == 200:
                return
            last = f"{answer.status_code} {answer.text[:200]}"
        except requests.RequestException as exc:
            last = type(exc).__name__
        time.sleep(0.2)
    raise BenchError(f"/healthz was not healthy within 60 s: {last}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn gracefully (SIGTERM to the master); kill its process group if stuck."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=35)  # gunicorn's graceful timeout is 30 s
        return
    except subprocess.TimeoutExpired:
        log("gunicorn did not stop within 35 s; killing its process group")
    # The group is gunicorn's own (start_new_session): its workers go with the master.
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        log(f"gunicorn {proc.pid} still did not exit")


def count_submitted(database_url: str, accepted_ids: set[int]) -> tuple[int, int]:
    """Rows with status 'submitted', and how many accepted ids lack such a row."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT count(*) FROM submissions WHERE status = 'submitted'")
            ).scalar_one()
            found = set(
                conn.execute(
                    text("SELECT id FROM submissions WHERE status = 'submitted'")
                ).scalars()
            )
    finally:
        engine.dispose()
    return int(rows), len(accepted_ids - found)


# -- clients -------------------------------------------------------------------------------


class Client:
    """One person: registers, then opens and submits forms one after the other."""

    def __init__(
        self, number: int, base: str, run_id: str, request_timeout: float, deadline: Deadline
    ) -> None:
        self.number = number
        self.base = base
        self.run_id = run_id
        self.request_timeout = request_timeout
        self.deadline = deadline
        self.http = requests.Session()
        self.log = ClientLog()

    def _timeout(self) -> float:
        return self.deadline.bound(self.request_timeout)

    def register(self) -> None:
        """Create the account through the registration form (and so log in)."""
        try:
            page = self.http.get(f"{self.base}/account/register", timeout=self._timeout())
            page.raise_for_status()
            form = tokens(page.text, "csrf_token")
            form.update(
                email=f"rush-{self.run_id}-{self.number}@example.org",
                display_name=f"Rush Client {self.number}",
                organisation="Bench Org",
                password=PASSWORD,
                confirm=PASSWORD,
            )
            answer = self.http.post(
                f"{self.base}/account/register",
                data=form,
                allow_redirects=False,
                timeout=self._timeout(),
            )
            if answer.status_code != 302:
                raise ValueError(f"registration answered {answer.status_code}")
            self.log.registered = True
        except (requests.RequestException, ValueError, BenchError) as exc:
            self.log.failures.append(f"register: {type(exc).__name__}: {exc}")

    def submit_all(self, jobs: list[tuple[int, str]]) -> None:
        """Open the form of each (number, kind) job and post it; stop at the deadline."""
        for number, kind in jobs:
            try:
                self.submit_one(number, kind)
            except BenchError as exc:
                self.log.failures.append(f"submit {number}: {exc}")
                return

    def submit_one(self, number: int, kind: str) -> None:
        """GET /submit/<kind>, then POST the full form with its tokens."""
        url = f"{self.base}/submit/{kind}"
        started = time.perf_counter()
        try:
            page = self.http.get(url, timeout=self._timeout())
            page.raise_for_status()
            form = submission_form(kind, f"{self.number}-{number}")
            form.update(tokens(page.text, "csrf_token", "form_token"))
        except (requests.RequestException, ValueError) as exc:
            self.log.failures.append(f"form {number}: {type(exc).__name__}: {exc}")
            return
        self.log.form_latencies.append(time.perf_counter() - started)
        started = time.perf_counter()
        try:
            answer = self.http.post(url, data=form, allow_redirects=False, timeout=self._timeout())
        except requests.RequestException as exc:
            self.log.posts.append(
                PostRecord(kind, None, time.perf_counter() - started, error=type(exc).__name__)
            )
            return
        record = PostRecord(kind, answer.status_code, time.perf_counter() - started)
        if answer.status_code == 302:
            match = ACCEPTED_PATH.fullmatch(urlsplit(answer.headers.get("Location", "")).path)
            record.submission_id = int(match.group(1)) if match else None
        self.log.posts.append(record)


def run_threads(targets: list[Any], deadline: Deadline) -> bool:
    """Start one daemon thread per callable, all at once; True if all ended in time."""
    threads = [threading.Thread(target=t, daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=deadline.left() + 5)
    return not any(thread.is_alive() for thread in threads)


def plan(clients: int, total: int) -> list[list[tuple[int, str]]]:
    """The (number, kind) jobs of each client: `total` spread evenly, kinds interleaved."""
    jobs: list[list[tuple[int, str]]] = [[] for _ in range(clients)]
    for number in range(total):
        jobs[number % clients].append((number, KINDS[number % len(KINDS)]))
    return jobs


# -- one backend -----------------------------------------------------------------------------


def run_backend(backend: str, args: argparse.Namespace, deadline: Deadline) -> BackendResult:
    """Set up the backend, rush it, count rows, tear everything down."""
    result = BackendResult(backend, args.clients, args.total, args.workers)
    log_path = OUTPUT / f"gunicorn-{backend}.log"
    result.log_file = str(log_path.relative_to(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix=f"hub_bench_{backend}_"))
    clients: list[Client] = []
    try:
        with private_database(backend, args.pg_url, workdir) as url:
            try:
                rush(backend, url, workdir, args, deadline, result, clients, log_path)
            except (BenchError, subprocess.TimeoutExpired, OSError) as exc:
                result.problems.append(f"{type(exc).__name__}: {exc}")
            # gunicorn has stopped: every commit it answered for is in the database now.
            summarise(result, clients)
            accepted_ids = {
                p.submission_id for c in clients for p in c.log.posts if p.submission_id is not None
            }
            if result.posted:
                result.rows_submitted, result.missing_ids = count_submitted(url, accepted_ids)
                result.lost = result.accepted - result.rows_submitted
            result.completed = not result.problems
    except Exception as exc:  # e.g. PostgreSQL unreachable: report it, go on to the next
        result.problems.append(f"{type(exc).__name__}: {exc}")
        result.completed = False
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        scan_log(result, log_path)
    return result


def rush(
    backend: str,
    url: str,
    workdir: Path,
    args: argparse.Namespace,
    deadline: Deadline,
    result: BackendResult,
    clients: list[Client],
    log_path: Path,
) -> None:
    """Migrate, serve, register the clients, then let them all submit at once.

    `clients` is filled in place so that what they did survives an interruption.
    """
    env = hub_env(url, workdir)
    log(f"{backend}: migrating a fresh database")
    init_db(env, deadline)
    with gunicorn(env, args.workers, log_path, deadline) as base:
        log(f"{backend}: gunicorn -w {args.workers} healthy at {base}")
        run_id = uuid.uuid4().hex[:8]
        clients.extend(
            Client(n, base, run_id, args.request_timeout, deadline) for n in range(args.clients)
        )
        started = time.perf_counter()
        in_time = run_threads([c.register for c in clients], deadline)
        result.register_wall_s = time.perf_counter() - started
        log(
            f"{backend}: {sum(c.log.registered for c in clients)}/{args.clients} "
            f"registered in {result.register_wall_s:.1f} s; the rush starts"
        )
        ready = [
            (c, jobs)
            for c, jobs in zip(clients, plan(args.clients, args.total), strict=True)
            if c.log.registered
        ]
        result.load_before = round(os.getloadavg()[0], 2)
        started = time.perf_counter()
        in_time = (
            run_threads([lambda c=c, j=jobs: c.submit_all(j) for c, jobs in ready], deadline)
            and in_time
        )
        result.submit_wall_s = time.perf_counter() - started
        result.load_after = round(os.getloadavg()[0], 2)
        log(f"{backend}: submit phase took {result.submit_wall_s:.1f} s")
        if not in_time:
            result.problems.append("clients still running at the deadline")


def summarise(result: BackendResult, clients: list[Client]) -> None:
    """Fold the clients' logs into the figures."""
    posts = [p for c in clients for p in c.log.posts]
    codes = Counter("none" if p.status is None else str(p.status) for p in posts)
    result.registered = sum(c.log.registered for c in clients)
    result.posted = len(posts)
    result.status_codes = dict(sorted(codes.items()))
    result.accepted = sum(p.submission_id is not None for p in posts)
    result.server_errors = sum(1 for p in posts if p.status is not None and p.status >= 500)
    result.no_answer = codes.get("none", 0)
    result.other_non_2xx_3xx = {
        code: n
        for code, n in result.status_codes.items()
        if code != "none" and not 200 <= int(code) < 400 and int(code) < 500
    }
    result.not_accepted_2xx_3xx = sum(
        1
        for p in posts
        if p.status is not None and 200 <= p.status < 400 and p.submission_id is None
    )
    result.other_failures = sum(len(c.log.failures) for c in clients)
    answered = [p.latency_s for p in posts if p.status is not None]
    if answered:
        result.post_median_ms = round(statistics.median(answered) * 1000, 1)
        result.post_p95_ms = round(percentile(answered, 95) * 1000, 1)
        result.post_max_ms = round(max(answered) * 1000, 1)
    forms = [s for c in clients for s in c.log.form_latencies]
    if forms:
        result.form_get_median_ms = round(statistics.median(forms) * 1000, 1)
    if result.submit_wall_s > 0:
        result.submissions_per_s = round(result.accepted / result.submit_wall_s, 1)
    result.submit_wall_s = round(result.submit_wall_s, 2)
    result.register_wall_s = round(result.register_wall_s, 2)
    failures = [f for c in clients for f in c.log.failures]
    if failures:
        result.problems.append(f"{len(failures)} client step(s) failed, e.g. {failures[0]}")


def scan_log(result: BackendResult, log_path: Path) -> None:
    """Count "database is locked" and tracebacks in gunicorn's log."""
    if not log_path.exists():
        return
    content = log_path.read_text(errors="replace")
    result.log_database_locked = content.count("database is locked")
    result.log_tracebacks = content.count("Traceback (most recent call last)")


# -- output --------------------------------------------------------------------------------


def table(results: list[BackendResult]) -> str:
    """The figures as a small fixed-width table."""

    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}"

    rows = [
        (
            "backend",
            "posted",
            "accepted",
            "rows",
            "lost",
            "5xx",
            "other",
            "no ans",
            "median ms",
            "p95 ms",
            "subs/s",
            "wall s",
        )
    ]
    for r in results:
        other = sum(r.other_non_2xx_3xx.values()) + r.not_accepted_2xx_3xx
        rows.append(
            (
                r.backend,
                str(r.posted),
                str(r.accepted),
                str(r.rows_submitted),
                str(r.lost),
                str(r.server_errors),
                str(other),
                str(r.no_answer),
                ms(r.post_median_ms),
                ms(r.post_p95_ms),
                f"{r.submissions_per_s:.1f}",
                f"{r.submit_wall_s:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.rjust(w) if i else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    for r in results:
        notes = [
            f"status codes {r.status_codes}",
            f"'database is locked' in log: {r.log_database_locked}",
            f"tracebacks in log: {r.log_tracebacks}",
            f"POST max {ms(r.post_max_ms)} ms, form GET median {ms(r.form_get_median_ms)} ms",
            f"load average {r.load_before} -> {r.load_after}",
        ]
        if r.other_non_2xx_3xx or r.not_accepted_2xx_3xx:
            notes.append(
                f"other: {r.other_non_2xx_3xx}, 2xx/3xx not accepted: {r.not_accepted_2xx_3xx}"
            )
        notes += [f"PROBLEM: {p}" for p in r.problems]
        lines.append(f"{r.backend}: " + "; ".join(notes))
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--total", type=int, default=500, help="submissions in all (500)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("HUB_BENCH_PG_URL", DEFAULT_PG),
        help="PostgreSQL server to create the private database on "
        f"(default {DEFAULT_PG}; env HUB_BENCH_PG_URL)",
    )
    parser.add_argument(
        "--request-timeout", type=float, default=60.0, help="seconds one request may take (60)"
    )
    parser.add_argument(
        "--deadline", type=float, default=1200.0, help="seconds the whole run may take (1200)"
    )
    args = parser.parse_args(argv)
    if args.clients < 1 or args.total < 1 or args.workers < 1:
        parser.error("--clients, --total and --workers must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the rush on the chosen backends; the exit status says whether the hub held."""
    args = parse_args(argv)
    deadline = Deadline(args.deadline)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    started = datetime.now(UTC)
    results = [run_backend(backend, args, deadline) for backend in backends]
    report = table(results)
    if args.json:
        print(report, file=sys.stderr)
        print(
            json.dumps(
                {
                    "started_at": started.isoformat(timespec="seconds"),
                    "cpu_count": os.cpu_count(),
                    "python": sys.version.split()[0],
                    "command": " ".join([Path(sys.executable).name, *sys.argv]),
                    "results": [
                        asdict(r) | {"failed": r.failed, "incomplete": r.incomplete}
                        for r in results
                    ],
                },
                indent=2,
            )
        )
    else:
        print(report)
    if any(r.failed for r in results):
        return 1
    return 2 if any(r.incomplete for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
