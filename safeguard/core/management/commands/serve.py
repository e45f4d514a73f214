"""``safeguard serve``: run Safeguard with a production WSGI server (waitress), and beside it
the worker that runs background jobs (``safeguard db_worker``: statutory returns started from
the web, and the scheduled jobs, whose next runs it queues first: decision 0071). The worker is
a child process, stopped when the server stops."""

import signal
import socket
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve Safeguard over HTTP with waitress (static files through whitenoise), with the "
        "background-job worker beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--connections",
            type=int,
            default=1000,
            help=(
                "Open connections accepted at once (default 1000). waitress's own default, "
                "100, stops accepting when 100 browsers keep a connection open: the load test "
                "of 200 staff hung there (docs/decisions/0026)."
            ),
        )
        parser.add_argument(
            "--reuse-port",
            action="store_true",
            help=(
                "Listen with SO_REUSEPORT, so that several `safeguard serve` processes (one a "
                "core, the others with --no-worker) share one port and the kernel spreads the "
                "connections between them (decision 0078). Linux only."
            ),
        )
        parser.add_argument(
            "--no-worker",
            action="store_false",
            dest="worker",
            help="Do not start the background-job worker (run `safeguard db_worker` yourself).",
        )

    def handle(
        self,
        *args,
        host: str,
        port: int,
        threads: int,
        connections: int = 1000,
        worker: bool = True,
        reuse_port: bool = False,
        **options,
    ):
        from django.conf import settings
        from waitress import serve

        from safeguard.wsgi import application

        child = None
        if worker:
            # The scheduled jobs' next runs are queued for the worker (decision 0071): the
            # night's work needs no host scheduler. Queued already, nothing changes.
            from safeguard.core import schedule

            schedule.schedule_all()
            child = _start_worker()

        def stop(signum, frame):
            raise SystemExit(0)

        # A TERM (a service manager, `kill`) stops the server the way Ctrl+C does, so that the
        # worker is stopped with it.
        signal.signal(signal.SIGTERM, stop)
        try:
            self.stdout.write(f"Safeguard is running at http://{host}:{port}/ (Ctrl+C to stop)")
            if child is not None:
                self.stdout.write(f"Background jobs run in the worker (process {child.pid}).")
            self.stdout.flush()
            where = {"host": host, "port": port}
            if reuse_port:
                where = {"sockets": [_shared_socket(host, port)]}
            serve(
                application,
                **where,
                threads=threads,
                connection_limit=connections,
                ident="Safeguard",
                # A body over the limit is refused with 413 before it is read: on its
                # Content-Length, or while a chunked body streams in. (waitress would otherwise
                # buffer up to 1 GB before the application could say no.)
                max_request_body_size=settings.SAFEGUARD_MAX_UPLOAD_BYTES,
            )
        finally:
            if child is not None:
                _stop_worker(child)


def _shared_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` that other processes may also listen on."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _start_worker() -> subprocess.Popen:
    """The worker as a child: the same Python, settings and environment as the server."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "safeguard.cli", "db_worker",
            "--no-reload", "--interval", "1", "--verbosity", "0",
        ]
    )  # fmt: skip


def _stop_worker(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.terminate()  # the worker finishes nothing half-way: its task is marked failed
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
