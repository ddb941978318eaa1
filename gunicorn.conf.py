"""gunicorn settings for `tracker serve` (and `gunicorn -c gunicorn.conf.py wsgi:app`).

Every setting can be changed from the environment, so a systemd unit only sets variables:
TRACKER_BIND, TRACKER_WORKERS, TRACKER_THREADS, TRACKER_TIMEOUT, TRACKER_GRACEFUL_TIMEOUT,
TRACKER_ACCESS_LOG ("-" for stderr, a file path, or "off").
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("TRACKER_BIND", "127.0.0.1:8000").split(",")
workers = _int("TRACKER_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
# One request at a time per worker (sync) by default. The app is CPU-bound Python: threads in
# one worker share its GIL, so they add no throughput, and a worker holding several keep-alive
# clients queues them behind each other while other workers idle (bench/load.py, 50 clients:
# p99 1,032 ms with 4 threads against 365 ms sync). nginx in front buffers slow clients, which
# is what sync workers need. Set TRACKER_THREADS above 1 for gthread workers without nginx.
threads = _int("TRACKER_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("TRACKER_TIMEOUT", 30)  # a worker silent this long is killed and replaced
graceful_timeout = _int("TRACKER_GRACEFUL_TIMEOUT", 30)  # on restart, finish requests in flight
keepalive = 5
max_requests = 5000  # recycle workers now and then: bounds any slow leak
max_requests_jitter = 500
limit_request_line = 4094
limit_request_field_size = 8190
forwarded_allow_ips = os.environ.get("TRACKER_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No preload: each worker builds its own app, so no database connection crosses a fork.
preload_app = False
_access = os.environ.get("TRACKER_ACCESS_LOG", "-")
accesslog = None if _access == "off" else _access
errorlog = "-"
# %(U)s is the path without its query string: queries could carry a reference or a token.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'
proc_name = "tracker-web"
# The control socket would be one shared path per user: off, systemd manages the process.
control_socket_disable = True


def post_worker_init(worker) -> None:  # type: ignore[no-untyped-def]
    """Say when a worker has loaded the app and can answer (bench/load.py waits for every one)."""
    worker.log.info("Worker ready (pid: %s)", worker.pid)
