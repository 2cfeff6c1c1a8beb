"""Index generations on disk: each rebuild writes a fresh directory, stamps it with the
analysis that built it, and swaps the HUB_INDEX_DIR symlink to it in one rename."""

from __future__ import annotations

import logging
import os
import shutil
import struct
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import fields
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from hub.search.analysis import ANALYSIS_VERSION, weighting

logger = logging.getLogger("hub.search")
# How often to re-read the table of contents when a concurrent commit deleted the segments it
# named before they were opened (a benign race between a writer and a reader).
_RACE_RETRIES = 5
# Written into every generation: which analysis built it (see ANALYSIS_VERSION).
STAMP = "hub-analysis"
# Written into a generation found damaged, so that no process opens it again.
DAMAGED = "hub-damaged"
# Whoosh maps index files into memory by default: a file truncated or damaged behind a
# reader's back (a full disk, a careless copy, a crash) then kills the worker with SIGBUS
# at the first read of a lost page, and every worker reading it dies at once. Read with
# plain file reads instead, which raise an exception the hub can handle (serve from SQL,
# rebuild); they cost no measurable time (docs/performance.md). The benchmark turns it on.
USE_MMAP = False
# A compound segment file (.seg) begins with the position and length of its directory,
# which is written last: the file ends exactly where the directory ends.
_SEG_HEADER = struct.Struct("!qi")


def has_toc(target: str) -> bool:
    """Whether `target` is a directory holding an index table of contents."""
    # (whoosh's exists_in() leaks the file of a broken TOC; look for one instead)
    return os.path.isdir(target) and any(name.endswith(".toc") for name in os.listdir(target))


def built_by(directory: str | Path) -> int | None:
    """The ANALYSIS_VERSION that built the index generation in `directory` (None: unknown)."""
    try:
        return int((Path(directory) / STAMP).read_text().strip())
    except (OSError, ValueError):
        return None


def storage(directory: str | Path) -> FileStorage:
    """The files of the generation in `directory`, read without memory mapping (USE_MMAP)."""
    return FileStorage(str(directory), supports_mmap=USE_MMAP)


def create_index(directory: Path, schema: fields.Schema) -> whoosh_index.Index:
    """A new, empty index in `directory` (read and written without memory mapping)."""
    return storage(directory).create_index(schema)


def segment_sizes(directory: str, searcher: Searcher) -> dict[str, int]:
    """The size each compound segment file of what `searcher` sees must have, from the
    file's own header (a file cut short or grown behind the hub's back is damaged)."""
    sizes = {}
    for reader, _ in searcher.reader().leaf_readers():
        segment = reader.segment()
        if segment is None or not segment.is_compound():
            continue
        path = os.path.join(directory, segment.make_filename(segment.COMPOUND_EXT))
        try:
            with open(path, "rb") as fh:
                dirpos, dirlength = _SEG_HEADER.unpack(fh.read(_SEG_HEADER.size))
        except FileNotFoundError:  # merged away by a writer since: nothing to check
            continue
        sizes[path] = dirpos + dirlength
    return sizes


def check_sizes(sizes: dict[str, int]) -> None:
    """Raise DamagedIndex if a segment file no longer has its size; one stat a segment."""
    for path, size in sizes.items():
        try:
            actual = os.stat(path).st_size
        except FileNotFoundError:  # merged away by a writer: refreshing drops it
            continue
        if actual != size:
            raise DamagedIndex(f"{os.path.basename(path)} has {actual} bytes, not {size}")


def mark_damaged(directory: str, why: str) -> None:
    """Record that the generation in `directory` is damaged: no process opens it again."""
    with suppress(OSError):
        (Path(directory) / DAMAGED).write_text(f"{why}\n")


def is_marked_damaged(directory: str) -> bool:
    """Whether a process found the generation in `directory` damaged."""
    return os.path.exists(os.path.join(directory, DAMAGED))


def open_generation(
    target: str, schema: fields.Schema, link: Path
) -> tuple[whoosh_index.Index, Searcher] | None:
    """The index in `target` and a searcher on it; None (logged) if it cannot be read."""
    for attempt in range(_RACE_RETRIES):
        storage = _TrackedStorage(target)
        try:
            ix = whoosh_index.FileIndex(storage, schema=schema)
            searcher = ix.searcher(weighting=weighting())
            check_sizes(segment_sizes(target, searcher))
            break
        except FileNotFoundError as exc:  # a writer merged away the segments we read of
            storage.close_opened()
            if attempt < _RACE_RETRIES - 1:
                continue
            logger.error(
                "Search index at %s keeps changing under its readers (%r): rebuilding it",
                link,
                exc,
            )
            return None
        except Exception as exc:  # a half-written, damaged or foreign directory: as missing
            storage.close_opened()  # whoosh leaves the file it choked on open
            logger.error("Search index at %s is unreadable (%r): rebuilding it", link, exc)
            return None
    storage.opened.clear()  # from here on the readers own their files
    return ix, searcher


def refreshed(ix: whoosh_index.Index, searcher: Searcher) -> Searcher:
    """Searcher.refresh(), done right: whoosh-reloaded 2.7.5's refresh() keeps readers of
    merged-away segments (duplicate hits) and reuses readers whose deletions changed.
    Here a segment reader is reused only while its segment and deletions are unchanged."""
    if ix.latest_generation() == searcher.reader().generation():
        return searcher
    old = {}
    for reader, _ in searcher.reader().leaf_readers():
        segment = reader.segment()
        if segment is not None:
            old[(segment.segment_id(), segment.deleted_count())] = reader
    for attempt in range(_RACE_RETRIES):
        info = ix._read_toc()
        readers, opened = [], []
        try:
            for segment in info.segments:
                key = (segment.segment_id(), segment.deleted_count())
                reader = old.get(key)
                if reader is None:
                    reader = SegmentReader(
                        ix.storage, info.schema, segment, generation=info.generation
                    )
                    opened.append(reader)
                readers.append(reader)
            break
        except FileNotFoundError:
            # Another thread's or process's writer committed between reading the TOC and
            # opening a segment, and deleted the segments it merged: read the newer TOC.
            for reader in opened:
                reader.close()
            if attempt == _RACE_RETRIES - 1:
                raise
    used = {id(r) for r in readers}
    for reader in old.values():
        if id(reader) not in used:
            reader.close()
    if not readers:
        combined = EmptyReader(info.schema)
    elif len(readers) == 1:
        combined = readers[0]
    else:
        combined = MultiReader(readers, generation=info.generation)
    return Searcher(combined, fromindex=ix, weighting=searcher.weighting)


def problem(link: Path, schema: fields.Schema) -> str | None:
    """Why the index at `link` cannot be used as it is (None: it can), without rebuilding."""
    target = os.path.realpath(link)
    if not has_toc(target):
        return "missing"
    if built_by(target) != ANALYSIS_VERSION:
        return (
            f"built by an older analysis ({built_by(target) or 'unknown'}; "
            f"this hub uses {ANALYSIS_VERSION})"
        )
    if is_marked_damaged(target):
        return f"damaged ({(Path(target) / DAMAGED).read_text().strip()})"
    storage = _TrackedStorage(target)
    try:
        searcher = whoosh_index.FileIndex(storage, schema=schema).searcher()
        check_sizes(segment_sizes(target, searcher))
        searcher.close()
    except DamagedIndex as exc:
        return f"damaged ({exc})"
    except Exception as exc:
        return f"unreadable ({type(exc).__name__})"
    finally:
        storage.close_opened()
    return None


def new_generation_dir(link: Path) -> Path:
    """A fresh, empty directory beside `link` for the next generation."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    fresh = link.parent / f"{link.name}.{stamp}-{os.getpid()}"
    fresh.mkdir()
    return fresh


def stamp_generation(fresh: Path) -> None:
    """Record which analysis built the generation in `fresh`."""
    (fresh / STAMP).write_text(f"{ANALYSIS_VERSION}\n")


def swap(link: Path, fresh: Path) -> None:
    """Point `link` at `fresh` in one rename; keep the previous generation for readers that
    still have it open, remove older ones."""
    tmp = link.parent / f".{link.name}.swap-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(fresh.name, tmp)
    previous = os.path.realpath(link) if link.is_symlink() else None
    if link.exists() and not link.is_symlink():  # a plain directory from before
        link.rename(link.with_name(f"{link.name}.legacy-{os.getpid()}"))
    os.replace(tmp, link)
    keep = {fresh.name, Path(previous).name if previous else ""}
    for old in link.parent.glob(f"{link.name}.*"):
        if old.is_dir() and old.name not in keep and not old.name.endswith(".lock"):
            shutil.rmtree(old, ignore_errors=True)


class _TrackedStorage(FileStorage):
    """A FileStorage that remembers the files it opened, to close them if opening fails."""

    def __init__(self, path: str) -> None:
        """A storage of the directory at `path`, no file opened yet."""
        super().__init__(path, supports_mmap=USE_MMAP)
        self.opened: list[Any] = []

    def open_file(self, name: str, **kwargs: Any) -> Any:
        """Open a file and remember it."""
        f = super().open_file(name, **kwargs)
        self.opened.append(f)
        return f

    def close_opened(self) -> None:
        """Close every file opened so far."""
        for f in self.opened:
            with suppress(Exception):
                f.close()
        self.opened.clear()


class DamagedIndex(Exception):
    """A segment file of the index does not have the size its header says."""
