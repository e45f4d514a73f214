"""Permission-matrix rows for supervision (see safeguard/testing/matrix.py).

The targets set the management line (Team A managed by the team manager, inside a service
managed by the service manager) and a session of the social worker's, recorded by the team
manager and not yet signed by her."""

from safeguard.testing.matrix import row

# Staff in one's management line: team and service managers. Conference chairs (independent
# of the line) and inspectors see no supervision.
STAFF = row(302, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
# The social worker's record: herself and her line (team manager, service manager).
RECORD = row(302, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 404, 403, 403)
# Recording on it: her line only, never herself.
RECORD_NEW = row(302, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 404, 403, 403)
# Her session: herself and her line; nobody else knows of it.
SESSION = row(302, 200, 200, 200, 404, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)
# Signing it: herself only (the supervisor signed by recording it).
SIGN = row(302, 200, 403, 403, 404, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)

MATRIX = {
    "supervision:overdue": ("get", None, "", STAFF),
    "supervision:record": ("get", "supervision.amy", "", RECORD),
    "supervision:session-new": ("get", "supervision.amy", "", RECORD_NEW),
    "supervision:frequency": ("get", "supervision.amy", "", RECORD_NEW),
    "supervision:session": ("get", "supervision.session", "", SESSION),
    "supervision:sign": ("get", "supervision.session", "", SIGN),
}


def _amy(world):
    from safeguard.supervision.tests.factories import management_line

    management_line(world)
    return {"worker_id": world.sw_amy.pk}


def _session(world):
    from safeguard.supervision.tests.factories import management_line, session

    management_line(world)
    return {"session_id": session(world, signed=False).pk}


TARGETS = {"supervision.amy": _amy, "supervision.session": _session}
