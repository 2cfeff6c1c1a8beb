"""A damaged search index never takes a worker down: under real gunicorn workers and load,
a truncated segment file is detected, pages are served from SQL, and the index is rebuilt.

(Whoosh used to map its files into memory: reading a page of a file truncated behind its
back killed the worker with SIGBUS.)
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from pathlib import Path

import requests
from sqlalchemy import select

from hub.demo import seed_demo
from hub.extensions import db
from hub.submissions.models import Status, Submission

from gunicorn_server import Gunicorn, boots, gunicorn

WORKERS = 3
CLIENTS = 3
LOAD_SECONDS = 15  # of requests in all; the index is truncated after TRUNCATE_AFTER
TRUNCATE_AFTER = 4
RECOVERY_SECONDS = 30  # from the truncation until search answers from a rebuilt index
REBUILDING = "Search is being rebuilt"


def _env(database_url: str, index_dir: Path) -> dict[str, str]:
    """gunicorn's environment: this test's database and index, nothing inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env.update(
        HUB_DATABASE_URL=database_url,
        HUB_SECRET_KEY="fault-test",
        HUB_INDEX_DIR=str(index_dir),
        # Every request must read the index (a cached page would not).
        HUB_PAGE_CACHE="0",
        HUB_RATELIMIT_ENABLED="false",
        HUB_MAIL_SEND_AFTER_REQUEST="false",
        HUB_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


def _seeded(app) -> tuple[list[str], list[str]]:
    """A few hundred demo submissions, indexed; returns the public slugs and title words."""
    index = app.extensions["hub_search"]
    with app.app_context():
        seed_demo(300, 2026)
        db.session.commit()  # the first drain builds the missing index at once (small)
        rows = db.session.execute(
            select(Submission.slug, Submission.title).where(Submission.status == Status.APPROVED)
        ).all()
        assert index.problem() is None
        index.close()  # the test process keeps no file of the index open
    words = sorted({w.lower() for _, t in rows for w in re.findall(r"[A-Za-z]{6,}", t)})
    return [slug for slug, _ in rows], words


def _largest_segment(index_dir: Path) -> Path:
    """The biggest file of the generation the index link points to."""
    live = Path(os.path.realpath(index_dir))
    return max((p for p in live.iterdir() if p.is_file()), key=lambda p: p.stat().st_size)


def _api(server: Gunicorn, word: str) -> dict:
    """The API's first 100 hits for `word`."""
    answer = requests.get(
        f"{server.base}/api/v1/submissions", params={"q": word, "per_page": 100}, timeout=30
    )
    assert answer.status_code == 200, answer.text[:500]
    return answer.json()


class Load:
    """Clients requesting search, browse and detail pages until stopped."""

    def __init__(self, server: Gunicorn, slugs: list[str], words: list[str]) -> None:
        self.server, self.slugs, self.words = server, slugs, words
        self.stop = threading.Event()
        self.answers: list[tuple[int, str]] = []
        self.failures: list[str] = []
        self.rebuilding = 0
        self.threads = [threading.Thread(target=self.client, args=(n,)) for n in range(CLIENTS)]

    def path(self, rng: random.Random) -> str:
        """A random public page that reads the index."""
        pick = rng.random()
        if pick < 0.5:
            return f"/search?q={rng.choice(self.words)}&page={rng.choice([1, 1, 2])}"
        if pick < 0.75:
            sort = rng.choice(["newest", "title"])
            return f"/browse?page={rng.randint(1, 5)}&sort={sort}"
        return f"/s/{rng.choice(self.slugs)}"

    def client(self, n: int) -> None:
        """Request pages one after the other until stopped."""
        rng, http = random.Random(n), requests.Session()
        while not self.stop.is_set():
            path = self.path(rng)
            try:
                answer = http.get(self.server.base + path, timeout=30)
            except requests.RequestException as exc:  # a reset: the worker died under us
                self.failures.append(f"{path}: {exc!r}")
                continue
            self.answers.append((answer.status_code, path))
            if REBUILDING in answer.text:
                self.rebuilding += 1

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(35)


def test_a_truncated_segment_under_load_is_served_from_sql_and_rebuilt(app, database_url, tmp_path):
    """Truncate the biggest segment file of the live index while three clients search,
    browse and open detail pages on three gunicorn workers: no 500, no reset connection, no
    worker killed (SIGBUS) or replaced, and search answers from a rebuilt index within 30 s."""
    slugs, words = _seeded(app)
    index_dir = Path(app.config["HUB_INDEX_DIR"])
    word = max(words[:40], key=lambda w: sum(w in s for s in slugs))  # one that finds several
    with gunicorn(_env(database_url, index_dir), WORKERS, tmp_path / "gunicorn.log") as server:
        before = _api(server, word)
        assert before["total"] and "notes" not in before
        started = time.monotonic()
        with Load(server, slugs, words) as load:
            time.sleep(TRUNCATE_AFTER)
            segment = _largest_segment(index_dir)
            os.truncate(segment, segment.stat().st_size // 3)
            truncated = time.monotonic()
            recovered = None
            while time.monotonic() - truncated < RECOVERY_SECONDS:
                try:
                    now = _api(server, word)
                except requests.RequestException as exc:
                    load.failures.append(f"API: {exc!r}")
                    time.sleep(0.5)
                    continue
                if "notes" not in now and now == before and Path(
                    os.path.realpath(index_dir)
                ) != segment.parent:
                    recovered = time.monotonic() - truncated
                    break
                time.sleep(0.5)
            time.sleep(max(0.0, LOAD_SECONDS - (time.monotonic() - started)))
        log = server.log_text()
    errors = [f"{status} {path}" for status, path in load.answers if status != 200]
    assert not errors, f"answers other than 200: {errors[:10]}\n{log[-4000:]}"
    assert not load.failures, f"requests failed: {load.failures[:10]}\n{log[-4000:]}"
    assert len(load.answers) > 30  # the load ran (a busy machine still does a few a second)
    assert not server.worker_losses() and boots(log) == WORKERS, log[-4000:]
    assert recovered is not None, f"not rebuilt within {RECOVERY_SECONDS} s\n{log[-4000:]}"
    assert "damaged" in log  # one clear error says what happened

