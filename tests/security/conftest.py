"""The hub under real gunicorn (gunicorn.conf.py at the repository root) on a free loopback
port, for the tests of what only a real server shows: idle connections, lost databases."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Gunicorn:
    """A running gunicorn: its address and its log."""

    url: str
    log: Path
    proc: subprocess.Popen[bytes]

    def log_text(self) -> str:
        """What gunicorn and the hub wrote so far."""
        return self.log.read_text(errors="replace")


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _gunicorn(database_url: str, workdir: Path, workers: int, **env: str) -> Iterator[Gunicorn]:
    """gunicorn -c gunicorn.conf.py wsgi:app, healthy within 30 s; stopped afterwards."""
    port = free_port()
    log = workdir / "gunicorn.log"
    environment = {
        **os.environ,
        "HUB_DATABASE_URL": database_url,
        "HUB_SECRET_KEY": "security-test-secret",
        "HUB_INDEX_DIR": str(workdir / "index"),
        "HUB_RATELIMIT_ENABLED": "false",
        "HUB_PAGE_CACHE": "0",
        **env,
    }
    cmd = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
    cmd += ["-b", f"127.0.0.1:{port}", "-w", str(workers), "wsgi:app"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Gunicorn(f"http://127.0.0.1:{port}", log, proc)
    try:
        give_up = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"gunicorn exited: {server.log_text()[-3000:]}"
            with suppress(requests.RequestException):
                if requests.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                    break
            assert time.monotonic() < give_up, f"not healthy: {server.log_text()[-3000:]}"
            time.sleep(0.2)
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture
def gunicorn(database_url: str, tmp_path: Path) -> Callable[..., Any]:
    """Factory: gunicorn(workers=2, **HUB_settings) as a context manager on this test's
    database."""
    return lambda workers=2, **env: _gunicorn(database_url, tmp_path, workers, **env)
