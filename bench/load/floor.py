"""The floor of the load test: a bare Django view served by the same server, the same way.

A separate, minimal Django configuration (no database, no middleware, one view that returns a
short page), so that it can never be reached in production: nothing in ``safeguard`` imports
or routes to it. ``run.py`` serves it with waitress and the same threads and connection limit
as ``safeguard serve`` (or with gunicorn, as it serves Safeguard with ``--gunicorn``), and
points the same locust client at it: what the client and the server achieve on this machine
when the application costs almost nothing.

    python bench/load/floor.py --port 8766 [--threads 8]
"""

from __future__ import annotations

import argparse

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path


def bare(request):
    return HttpResponse("<!DOCTYPE html><title>Floor</title><p>Floor</p>")


urlpatterns = [path("", bare)]


def application():
    settings.configure(
        DEBUG=False,
        SECRET_KEY="floor-only-no-secrets",  # noqa: S106 (no session, cookie or data)
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
    )
    django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def _shared_socket(host: str, port: int):
    """As ``safeguard serve --reuse-port``: a port that several processes listen on."""
    import socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument(
        "--reuse-port", action="store_true", help="share the port with other processes"
    )
    args = parser.parse_args(argv)
    from waitress import serve

    serve(
        application(),
        **(
            {"sockets": [_shared_socket(args.host, args.port)]}
            if args.reuse_port
            else {"host": args.host, "port": args.port}
        ),
        threads=args.threads,
        connection_limit=args.connections,
        ident="Floor",
    )


if __name__ == "__main__":
    main()
