"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py)."""

MATRIX: dict = {}
TARGETS: dict = {}
