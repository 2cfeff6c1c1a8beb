"""The hub under real gunicorn workers, for tests that need processes a fault can kill
(tests/search/test_index_faults.py): a free port on 127.0.0.1, a log file, and a stop that
also ends the workers."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Gunicorn:
    """A running gunicorn: its address, master process and log."""

    base: str
    proc: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        """Everything gunicorn and the hub logged so far."""
        return self.log.read_text(errors="replace")

    def worker_losses(self) -> list[str]:
        """The log lines saying a worker died: killed by a signal, timed out, or exited
        (replacements booted are counted by boots())."""
        return [
            line
            for line in self.log_text().splitlines()
            if re.search(r"was sent SIG|WORKER TIMEOUT|Worker \(pid:\d+\) exited", line)
        ]


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def boots(text: str) -> int:
    """How many workers gunicorn booted, according to its log."""
    return len(re.findall(r"Booting worker with pid", text))


@contextmanager
def gunicorn(
    env: dict[str, str], workers: int, log: Path, app: str = "wsgi:app"
) -> Iterator[Gunicorn]:
    """gunicorn -w `workers` (sync) serving `app` from the checkout, healthy within 60 s;
    stopped afterwards (SIGTERM, then SIGKILL of its process group)."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--no-control-socket",
        app,
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Gunicorn(f"http://127.0.0.1:{port}", proc, log)
    try:
        _wait_healthy(server)
        yield server
    finally:
        _stop(proc)


def _wait_healthy(server: Gunicorn) -> None:
    """Poll /healthz until it answers 200 (60 s at most)."""
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        if server.proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{server.log_text()[-3000:]}")
        with suppress(requests.RequestException):
            if requests.get(f"{server.base}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn not healthy within 60 s:\n{server.log_text()[-3000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the master; SIGKILL to its process group (its workers) if it lingers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the group is gunicorn's own (start_new_session)
    with suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
