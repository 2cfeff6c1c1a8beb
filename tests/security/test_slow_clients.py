"""Idle and half-open connections (scanners, lost phones) must not stall the server: with
gunicorn.conf.py, six of them leave a normal page answering at once."""

from __future__ import annotations

import socket
import time
from contextlib import ExitStack
from urllib.parse import urlsplit

import requests

IDLE = 6


def test_idle_and_half_open_connections_do_not_stall_the_server(gunicorn):
    with gunicorn(workers=2) as server, ExitStack() as stack:
        for _ in range(4):  # templates compiled, index opened: what is timed is the waiting
            assert requests.get(f"{server.url}/browse", timeout=30).status_code == 200
        address = urlsplit(server.url)
        for n in range(IDLE):
            sock = stack.enter_context(
                socket.create_connection((address.hostname, address.port), timeout=5)
            )
            if n % 2:  # half a request line, never finished
                sock.sendall(b"GET /browse HTT")
        time.sleep(0.5)  # the server has accepted them all
        started = time.monotonic()
        response = requests.get(f"{server.url}/browse", timeout=2)
        elapsed = time.monotonic() - started
        assert response.status_code == 200
        assert elapsed < 2
        # And again, on a connection of its own, while they are still open.
        assert requests.get(f"{server.url}/", timeout=2).status_code == 200
