"""``safeguard serve``: run Safeguard with a production WSGI server (waitress)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Safeguard over HTTP with waitress (static files through whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host: str, port: int, threads: int, **options):
        from waitress import serve

        from safeguard.wsgi import application

        self.stdout.write(f"Safeguard is running at http://{host}:{port}/ (Ctrl+C to stop)")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="Safeguard")
