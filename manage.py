#!/usr/bin/env python
"""Django's manage.py, kept for tools that expect it; ``safeguard`` is the same command."""

from safeguard.cli import main

if __name__ == "__main__":
    main()
