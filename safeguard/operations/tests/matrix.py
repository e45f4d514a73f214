"""Permission-matrix rows for the operations pages (see safeguard/testing/matrix.py).

The set-up list names the installation's weaknesses: system administrators only. ``/health/``
is for load balancers and monitoring: anyone, signed in or not (it says only ok or failed).
"""

from safeguard.testing.matrix import row

ADMINISTRATORS = row(302, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 302, 403, 403, 403)

MATRIX = {
    "operations:setup": ("get", None, "", ADMINISTRATORS),
    "operations:health": ("get", None, "", [200] * 15),
}
