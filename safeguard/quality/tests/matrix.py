"""Permission-matrix rows for the data-quality pages (see safeguard/testing/matrix.py)."""

from safeguard.testing.matrix import SOCIAL_CARE_PAGE, row

# Team lists and the summary: team managers, service managers and analysts of the authority.
MANAGERS = row(302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)

MATRIX = {
    "quality:mine": ("get", None, "", SOCIAL_CARE_PAGE),
    "quality:team": ("get", None, "", MANAGERS),
    "quality:summary": ("get", None, "", MANAGERS),
}
