"""Losing the PostgreSQL connections under load (a failover, a restart, an administrator's
pg_terminate_backend): every answer is a page or a 503 with Retry-After, never a 500; a
download cut short says so; no worker dies; the hub serves again once the database is back.

PostgreSQL only: SQLite has no connection to lose."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter

import pytest
import requests
from sqlalchemy import create_engine, text

from hub.submissions.models import Status

from helpers import PG_URL

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="PostgreSQL only (HUB_TEST_DATABASE_URL): SQLite has no connection to lose"
)

PATHS = ["/", "/browse", "/stats", "/api/v1/submissions", "/export.json", "/export.csv"]
KILL = text(
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)
CLIENTS = 6
KILLS = 5


def export_state(path: str, body: str) -> str:
    """'complete', 'says-failed' (cut short and says so) or 'silently-cut'."""
    if path == "/export.json":
        try:
            json.loads(body)
            return "complete"
        except ValueError:
            return "says-failed" if "EXPORT FAILED" in body else "silently-cut"
    if body.endswith("\r\n"):
        return "complete"
    return "says-failed" if "EXPORT FAILED" in body else "silently-cut"


def test_lost_connections_give_503_pages_never_500(
    gunicorn, database_url, owner, create_submission_for
):
    for n in range(40):  # exports long enough to be cut in the middle
        create_submission_for(
            owner, Status.APPROVED, title=f"Item {n}", description="Long text. " * 300
        )
    answers: Counter[str] = Counter()
    problems: list[str] = []
    stop = threading.Event()

    def client(number: int) -> None:
        session = requests.Session()
        i = number
        while not stop.is_set():
            path = PATHS[i % len(PATHS)]
            i += 1
            try:
                response = session.get(f"{server.url}{path}", timeout=20)
                body = response.text
            except requests.RequestException as exc:
                problems.append(f"{path}: {type(exc).__name__}: {exc}")
                session = requests.Session()
                continue
            answers[str(response.status_code)] += 1
            if response.status_code == 503:
                if not response.headers.get("Retry-After"):
                    problems.append(f"{path}: 503 without Retry-After")
            elif response.status_code != 200:
                problems.append(f"{path}: {response.status_code} {body[:300]}")
            elif path.startswith("/export."):
                state = export_state(path, body)
                answers[f"export {state}"] += 1
                if state == "silently-cut":
                    problems.append(f"{path}: cut without saying so: ...{body[-200:]!r}")

    killer = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with gunicorn(workers=2) as server:
        boots = server.log_text().count("Booting worker")
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        try:
            killed = 0
            for _ in range(KILLS):
                time.sleep(1.0)
                with killer.connect() as conn:
                    killed += conn.execute(KILL).scalar_one()
        finally:
            time.sleep(0.5)
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            killer.dispose()
        # The pool recovers: pages again, without a restart.
        give_up = time.monotonic() + 10
        while requests.get(f"{server.url}/browse", timeout=5).status_code != 200:
            assert time.monotonic() < give_up, "the hub did not recover"
            time.sleep(0.2)
        for path in PATHS:
            response = requests.get(f"{server.url}{path}", timeout=20)
            assert response.status_code == 200, path
            if path.startswith("/export."):
                assert export_state(path, response.text) == "complete", path
        log = server.log_text()
    assert killed >= KILLS, "the test killed no connection: it proves nothing"
    assert answers["200"] > 0 and answers["503"] + answers["export says-failed"] > 0, answers
    assert not problems, "\n".join(problems[:20]) + f"\n{answers}"
    assert log.count("Booting worker") == boots, "a worker died and was replaced"
    assert "WORKER TIMEOUT" not in log and "Error handling request" not in log, log[-5000:]
    assert '" 500 ' not in log, [line for line in log.splitlines() if '" 500 ' in line][:5]
