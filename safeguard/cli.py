"""The ``safeguard`` console command: Django's management commands under one name.

Commands whose documented names have hyphens (``safeguard export-cin``) are Django commands
with underscores (``export_cin``), since a module name cannot hold a hyphen.
"""

import os
import sys


def command_argv(args: list[str]) -> list[str]:
    """``["export-cin", "--year", ...]`` -> ``["export_cin", "--year", ...]``."""
    if args and not args[0].startswith("-") and "-" in args[0]:
        return [args[0].replace("-", "_"), *args[1:]]
    return list(args)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["safeguard", *command_argv(args)])


if __name__ == "__main__":
    main()
