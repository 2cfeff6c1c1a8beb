"""gunicorn settings for the hub: `gunicorn -c gunicorn.conf.py wsgi:app` (docs/deployment.md).

Threaded workers (gthread): a connection that sends nothing, or sends slowly, waits in the
worker's poller instead of holding the worker, so a few idle or half-open connections
(scanners, phones losing signal) cannot stall the hub. nginx in front buffers whole
requests (proxy_request_buffering on) so gunicorn only ever sees complete ones.

Command-line options override these (`-b 0.0.0.0:8000`, `-w 8`); WEB_CONCURRENCY sets the
number of workers, GUNICORN_THREADS the threads of each.
"""

from __future__ import annotations

import multiprocessing
import os

bind = "127.0.0.1:8000"  # behind nginx on the same machine
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 8))  # each worker serves this many at once

# A request that takes longer than this (the worker stops answering its heartbeat) is a
# stuck worker: it is killed and replaced. Exports stream, each chunk well inside it.
timeout = 60
graceful_timeout = 30  # a restart lets requests in flight finish
keepalive = 5  # seconds an idle keep-alive connection is kept (nginx reuses them)

# Refuse oversized request lines and headers before the hub sees them (400/431).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Recycle workers now and then (memory growth), not all at the same moment.
max_requests = 2000
max_requests_jitter = 200

# Whom gunicorn believes about X-Forwarded-Proto and the like: nobody, unless the hub is
# told it has proxies in front (HUB_TRUSTED_PROXIES, from the environment, as the hub reads
# it); then the proxy on this machine, or FORWARDED_ALLOW_IPS. The hub's own ProxyFix
# counts the proxies; both then agree on the scheme a request came with.
if int(os.environ.get("HUB_TRUSTED_PROXIES", "0") or 0) > 0:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
else:
    forwarded_allow_ips = ""

control_socket_disable = True  # gunicorn 27's runtime control socket: the hub needs none
accesslog = "-"
errorlog = "-"
loglevel = "info"
