"""The ``safeguard`` console command: Django's management commands under one name."""

import os
import sys

# Command names with hyphens, which a Python module name cannot have.
ALIASES = {"verify-audit": "verify_audit"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args:
        args[0] = ALIASES.get(args[0], args[0])
    execute_from_command_line(["safeguard", *args])


if __name__ == "__main__":
    main()
