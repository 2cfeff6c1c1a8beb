"""The Whoosh index of one app: one searcher per process, a writer that never blocks a
request for long, the durable queue drained by any process, and atomic rebuilds."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.searching import Searcher

from hub.lru import LRU
from hub.search import store
from hub.search.analysis import ANALYSIS_VERSION, make_schema
from hub.search.facets import FacetCache, FacetTable
from hub.search.locks import flock
from hub.search.models import IndexTask
from hub.search.queue import IndexWriteFailed, add_tasks, apply_tasks
from hub.search.source import Source

logger = logging.getLogger("hub.search")


class SearchIndex:
    """The index at HUB_INDEX_DIR: a symlink to the generation directory in use."""

    def __init__(self, app: Flask, source: Source) -> None:
        """The index of `app` (HUB_INDEX_DIR) over `source`'s public items; opened on first use."""
        self.link = Path(app.config["HUB_INDEX_DIR"] or Path(app.instance_path) / "index")
        self.writer_timeout = float(app.config["HUB_INDEX_WRITER_TIMEOUT"])
        self.sync_build_max = int(app.config["HUB_INDEX_SYNC_BUILD_MAX"])
        self.sessions: sessionmaker[Session] = app.extensions["hub_db"]
        self.source = source
        self._write_engine = app.extensions["hub_db_writer"]
        self.schema = make_schema()
        self._lock = threading.RLock()
        self._ix: whoosh_index.Index | None = None
        self._target: str | None = None
        self._searcher: Searcher | None = None
        self._facets = FacetCache()
        self.results = LRU()
        # Ids of the five items most like each detail page, per index version: small,
        # and costly to compute at 50k documents (~0.15 s), so many more are kept.
        self.similar = LRU()
        self._building: threading.Thread | None = None
        self._last_check = 0.0
        self._last_reconcile = time.monotonic()  # not at once: a fresh process just opened it
        self._outdated: set[str] = set()  # generations already reported as outdated
        self._damaged: set[str] = set()  # generations this process found damaged
        self._sizes: tuple[int, dict[str, int]] | None = None  # per TOC generation

    # -- reading -------------------------------------------------------------------------

    def _open(self) -> bool:
        """Open (or re-open after a swap) the index the link points to; False if unusable."""
        target = os.path.realpath(self.link)
        if self._ix is not None and target == self._target:
            return True
        if not store.has_toc(target):
            return False
        if target in self._damaged or store.is_marked_damaged(target):
            return False  # being rebuilt
        if store.built_by(target) != ANALYSIS_VERSION:
            # Words would be analysed differently at query time and silently not found.
            if target not in self._outdated:
                self._outdated.add(target)
                logger.warning(
                    "Search index at %s was built by another analysis (%s, now %s): rebuilding it",
                    self.link,
                    store.built_by(target),
                    ANALYSIS_VERSION,
                )
            return False
        opened = store.open_generation(target, self.schema, self.link)
        if opened is None:
            return False
        ix, searcher = opened
        self.close()
        self._ix, self._target, self._searcher = ix, target, searcher
        return True

    def ready(self) -> bool:
        """Whether the index can answer. A missing or unreadable index is rebuilt from SQL:
        at once when it is small, else in the background while pages are served from SQL."""
        with self._lock:
            if self._open():
                return True
            if self._building is not None and self._building.is_alive():
                return False
            if self.public_count() <= self.sync_build_max:
                # No drain and no waiting here: inside a writing request, a drain's session
                # (ours, or another thread's holding the rebuild lock) would wait for the
                # request's own SQLite lock. Queued tasks are drained after the next commit.
                self.rebuild(force=False, drain=False, wait=False)
                return self._open()
            self.warm_up()
            return False

    def warm_up(self) -> None:
        """Check the index in the background (at server start): rebuild it if needed."""
        with self._lock:
            if self._building is not None and self._building.is_alive():
                return
            self._building = threading.Thread(
                target=self._rebuild_quietly, daemon=True, name="hub-index-rebuild"
            )
            self._building.start()

    def _rebuild_quietly(self) -> None:
        """Rebuild the index if it cannot be opened, logging instead of raising."""
        try:
            if not self._open():
                self.rebuild(force=False)
        except Exception:
            logger.exception("Rebuilding the search index failed")

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """The process's searcher, refreshed to the newest committed index version."""
        with self._lock:
            if not self._open() or self._searcher is None:
                raise IndexUnavailable()
            try:
                self._searcher = store.refreshed(self._ix, self._searcher)
                self._check_sizes(self._searcher)
            except FileNotFoundError:
                # A rebuild swapped this generation out (expected), or merges kept deleting
                # what the TOC named (an error): reopen either way.
                replaced = os.path.realpath(self.link) != self._target
                log = logger.info if replaced else logger.exception
                log("Refreshing the searcher failed (replaced: %s); reopening the index", replaced)
                self._target = None
                if not self._open() or self._searcher is None:
                    raise IndexUnavailable() from None
            except Exception as exc:
                self.damaged(exc)
                raise IndexUnavailable() from exc
            try:
                yield self._searcher
            except IndexUnavailable:
                raise
            except Exception as exc:  # searching, counting, stored fields: a damaged file?
                self.damaged(exc)
                raise IndexUnavailable() from exc

    def _check_sizes(self, searcher: Searcher) -> None:
        """Raise DamagedIndex if a segment file changed size since it was written: a stat
        per segment, before reading a page of a file cut short."""
        generation = searcher.reader().generation()
        if self._sizes is None or self._sizes[0] != generation:
            self._sizes = (generation, store.segment_sizes(self._target or "", searcher))
        store.check_sizes(self._sizes[1])

    def damaged(self, exc: Exception) -> None:
        """Stop using the generation in use after reading it failed: log one error, mark
        it so that no process opens it again, and rebuild it in the background (pages are
        served from SQL meanwhile)."""
        with self._lock:
            target = self._target or os.path.realpath(self.link)
            if target not in self._damaged:
                self._damaged.add(target)
                store.mark_damaged(target, repr(exc))
                logger.error(
                    "Search index at %s is damaged (%r): serving from SQL, rebuilding it",
                    self.link,
                    exc,
                    # Where a read failed, in case it was not the files' fault after all.
                    exc_info=None if isinstance(exc, store.DamagedIndex) else exc,
                )
            self.close()
        self.warm_up()

    def facet_table(self, searcher: Searcher) -> FacetTable:
        """Facet masks of every document the searcher sees (decoded once per segment)."""
        return self._facets.table(searcher, self.version(searcher))

    def version(self, searcher: Searcher) -> tuple[str | None, int]:
        """Identifies what a searcher sees: cached results are valid for one version."""
        return (self._target, searcher.reader().generation())

    def close(self) -> None:
        """Close the searcher and forget the open index."""
        if self._searcher is not None:
            with suppress(Exception):  # a damaged file may fail to close: forget it anyway
                self._searcher.close()
        self._searcher = self._ix = None
        self._target = self._sizes = None
        self._facets.clear()
        self.results.clear()
        self.similar.clear()

    # -- writing -------------------------------------------------------------------------

    def drain(self, timeout: float | None = None, batch: int = 500) -> int:
        """Apply queued index tasks; returns how many were applied (0 if someone else is
        writing or a rebuild runs: the tasks stay queued for the next drain)."""
        applied = 0
        if not self.ready():  # missing: rebuilt from SQL, which includes the queued changes
            return 0
        with flock(self._rebuild_lock_path(), shared=True, wait=False) as free:
            if not free:
                return 0
            with self._lock:
                if not self._open() or self._ix is None:
                    return 0
                ix = self._ix
            # Not under self._lock from here: _apply_tasks waits for SQLite's write lock,
            # which a request of another thread may hold while it searches (needing self._lock).
            try:
                writer = ix.writer(timeout=self.writer_timeout if timeout is None else timeout)
            except LockError:
                logger.info("Index writer busy; updates left queued")
                return 0
            except Exception as exc:  # an unreadable table of contents
                self.damaged(exc)
                return 0
            try:
                applied = apply_tasks(self.sessions, self.source, writer, batch)
            except IndexWriteFailed as failed:  # a damaged segment: the rebuild applies them
                self.damaged(failed.error)
                return 0
            except BaseException:
                writer.cancel()
                raise
        if applied == batch:
            applied += self.drain(timeout, batch)
        return applied

    def drain_if_due(self, every: float = 2.0) -> None:
        """Now and then, drain what other processes left queued (e.g. on a busy writer)."""
        now = time.monotonic()
        if now - self._last_check < every:
            return
        self._last_check = now
        with self.sessions() as session:
            waiting = session.scalar(select(IndexTask.id).limit(1))
        if waiting is not None:
            self.drain()

    def maintain(self) -> None:
        """What a public read does in passing: drain a forgotten queue every few seconds and
        compare the index with SQL every minute (call from GET requests only: it may write)."""
        self.drain_if_due()
        now = time.monotonic()
        if now - self._last_reconcile >= 60:
            self._last_reconcile = now
            try:
                if self.reconcile():
                    self.drain()
            except IndexUnavailable:
                pass
            except Exception:  # the check is a safety net: never fail the page over it
                logger.exception("Comparing the search index with the database failed")

    def reconcile(self) -> int:
        """Queue an update for every item on which the index and SQL disagree (changed
        behind the hub's back: a manual UPDATE, a restored backup); returns how many."""
        with self.searcher() as searcher:
            indexed = self.facet_table(searcher).live_ids()
        with self.sessions() as session:
            public = self.source.public_ids(session)
            queued = set(session.scalars(select(IndexTask.submission_id)))
        differ = sorted((public ^ indexed) - queued)
        if differ:
            with Session(self._write_engine) as session, session.begin():
                add_tasks(session, differ)
            logger.warning(
                "The search index disagreed with the database on %d submissions "
                "(%s): queued to be made agree",
                len(differ),
                differ[:20],
            )
        return len(differ)

    def rebuild(self, force: bool = True, drain: bool = True, wait: bool = True) -> int:
        """Index every public item into a fresh directory and swap it in atomically;
        returns the number indexed (-1 when `force` is off and another process has just
        built a usable index, or when `wait` is off and a rebuild or drain is running).

        While the exclusive rebuild lock is held, drains leave tasks queued; every change
        committed after the snapshot below is therefore still queued and drained after the swap.
        """
        self.link.parent.mkdir(parents=True, exist_ok=True)
        with flock(self._rebuild_lock_path(), shared=False, wait=wait) as free:
            if not free:
                return -1
            if not force and self._usable_on_disk():
                return -1  # several workers found it missing; the first one rebuilt it
            fresh = store.new_generation_dir(self.link)
            ix = store.create_index(fresh, self.schema)
            writer = ix.writer(limitmb=256)
            count = 0
            try:
                with self.sessions() as session:
                    for _id, doc in self.source.documents(session):
                        writer.add_document(**doc)
                        count += 1
                writer.commit(optimize=True)
                store.stamp_generation(fresh)
            except BaseException:
                writer.cancel()
                ix.close()
                shutil.rmtree(fresh, ignore_errors=True)
                raise
            ix.close()
            store.swap(self.link, fresh)
            with self._lock:
                self._target = None  # reopen on next use
            logger.info("Search index rebuilt with %d documents in %s", count, fresh.name)
        if drain:
            self.drain(timeout=10)
        return count

    def _usable_on_disk(self) -> bool:
        """Whether the link points to an index that opens (checked without keeping it)."""
        with self._lock:
            self._target = None
            return self._open()

    def indexed_ids(self) -> set[int]:
        """Ids of the items the index holds."""
        with self.searcher() as searcher:
            return {int(fields["id"]) for fields in searcher.all_stored_fields()}

    def problem(self) -> str | None:
        """Why the index on disk cannot be used as it is (None: it can), without rebuilding."""
        return store.problem(self.link, self.schema)

    def public_count(self) -> int:
        """How many items are public in SQL."""
        with self.sessions() as session:
            return self.source.public_count(session)

    def _rebuild_lock_path(self) -> Path:
        """The lock a rebuild holds exclusively and a drain shared."""
        return self.link.parent / f"{self.link.name}.rebuild.lock"


class IndexUnavailable(Exception):
    """The index is missing, unreadable or being rebuilt: answer from SQL instead."""
