"""A damaged search index never takes a worker down: under real gunicorn workers and load,
a truncated segment file is detected, pages are served from SQL, and the index is rebuilt.

(Whoosh used to map its files into memory: reading a page of a file truncated behind its
back killed the worker with SIGBUS.)
"""

from __future__ import annotations

import logging
import os
import random
import re
import struct
import threading
import time
from pathlib import Path

import pytest
import requests
from gunicorn_server import Gunicorn, boots, gunicorn
from sqlalchemy import func, select
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from hub.demo import seed_demo
from hub.extensions import db
from hub.search.listing import ListingQuery, find
from hub.search.models import IndexTask
from hub.submissions.models import Status, Submission

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
    """The biggest segment file of the generation the index link points to."""
    live = Path(os.path.realpath(index_dir))
    return max(live.glob("*.seg"), key=lambda p: p.stat().st_size)


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
                if (
                    "notes" not in now
                    and now == before
                    and Path(os.path.realpath(index_dir)) != segment.parent
                ):
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


# -- in one process: what the workers above do, step by step ---------------------------------


@pytest.fixture
def index(app):
    return app.extensions["hub_search"]


def _listing(app, q: str):
    with app.test_request_context():
        return find(ListingQuery(q=q))


def _damage_errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()]


def test_every_generation_is_read_without_memory_mapping(app, owner, index, create_submission_for):
    """A file truncated under a memory map kills the reading process (SIGBUS): the searcher,
    the writers and rebuilds read index files with plain reads."""
    create_submission_for(owner, Status.APPROVED, title="Unmapped okapi")
    assert [s.title for s in _listing(app, "okapi").items] == ["Unmapped okapi"]
    assert index._ix.storage.supports_mmap is False
    with app.app_context():
        index.rebuild()
    assert [s.title for s in _listing(app, "okapi").items] == ["Unmapped okapi"]
    assert index._ix.storage.supports_mmap is False


@pytest.mark.parametrize(
    ("method", "path"),
    [("search_with_collector", "/search?q=damaged"), ("key_terms_from_text", "/s/{slug}")],
    ids=["search-page", "detail-page-similar"],
)
def test_a_read_error_is_served_from_sql_logged_once_and_rebuilt(
    app, client, owner, index, create_submission_for, monkeypatch, caplog, method, path
):
    """Any error reading the index (here the struct.error a truncated file gives) marks the
    generation damaged: the page comes from SQL, one error is logged, the index is rebuilt."""
    sub = create_submission_for(owner, Status.APPROVED, title="Damaged narwhal")
    create_submission_for(owner, Status.APPROVED, title="Narwhal tusks")
    assert _listing(app, "narwhal").total == 2
    damaged = os.path.realpath(index.link)

    def unreadable(*_args, **_kwargs):
        raise struct.error("unpack requires a buffer of 12 bytes")

    monkeypatch.setattr(Searcher, method, unreadable)
    with caplog.at_level(logging.ERROR, logger="hub.search"):
        page = client.get(path.format(slug=sub.slug))
    assert page.status_code == 200
    text = re.sub(r"<[^>]+>", "", page.get_data(as_text=True))  # titles may be highlighted
    assert "Damaged narwhal" in text
    if method == "search_with_collector":
        assert "Search is being rebuilt" in text
    assert len(_damage_errors(caplog)) == 1
    monkeypatch.undo()
    index._building.join(30)
    assert client.get(path.format(slug=sub.slug)).status_code == 200
    assert os.path.realpath(index.link) != damaged
    result = _listing(app, "narwhal")
    assert not result.from_sql and result.total == 2


def test_a_damaged_index_never_fails_a_write_nor_retries_it_in_a_loop(
    app, owner, index, create_submission_for, monkeypatch, caplog
):
    """The writer (a drain after an approval) reading a damaged segment fails: the approval
    stands, its update stays queued, the writer is tried once, and the rebuild applies it."""
    create_submission_for(owner, Status.APPROVED, title="Earlier walrus")
    attempts = []

    def unreadable(self, *_args, **_kwargs):
        attempts.append(self)
        raise EOFError("Ran out of input")

    # A writer reads the index's segments to replace a document; a rebuild only adds
    # documents: only the drains' updates of the live generation fail.
    monkeypatch.setattr(SegmentWriter, "searcher", unreadable)
    with caplog.at_level(logging.ERROR, logger="hub.search"):
        create_submission_for(owner, Status.APPROVED, title="Approved walrus")  # drains
        with app.app_context():
            assert index.drain() == 0  # no second attempt on the damaged generation
    assert len(attempts) == 1
    assert len(_damage_errors(caplog)) == 1
    index._building.join(30)
    monkeypatch.undo()
    assert sorted(s.title for s in _listing(app, "walrus").items) == [
        "Approved walrus",
        "Earlier walrus",
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count(IndexTask.id))) == 0
        assert index.problem() is None


def test_a_segment_file_of_the_wrong_size_is_reported_and_rebuilt(
    app, owner, index, create_submission_for
):
    """Each segment file ends where its own header says: one that does not is damaged,
    whether or not Whoosh could still open it. check-index says so; the hub rebuilds it."""
    create_submission_for(owner, Status.APPROVED, title="Measured manatee")
    with app.app_context():
        index.close()
    segment = _largest_segment(index.link)
    with segment.open("ab") as fh:
        fh.write(b"\0" * 100)  # the directory at the end of the file still reads
    result = app.test_cli_runner().invoke(args=["check-index"])
    assert result.exit_code == 1 and f"is damaged ({segment.name} has" in result.output
    assert [s.title for s in _listing(app, "manatee").items] == ["Measured manatee"]
    assert app.test_cli_runner().invoke(args=["check-index"]).exit_code == 0
