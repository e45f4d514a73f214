"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py).

The transfer target is Sam Smith's case (team A) asked to move to team B by Carol, a team
manager of team A: she may ask, but never decide her own request; the service manager may.
"""

from safeguard.casework.tests.matrix import sam_case
from safeguard.testing.matrix import CASE_AUTHORISE, CASE_NARRATIVE, row
from safeguard.transfers import services
from safeguard.transfers.models import Transfer, TransferStatus


def transfer_target(world):
    case = sam_case(world)
    transfer = Transfer.objects.filter(case=case, status=TransferStatus.PENDING).first()
    if transfer is None:
        transfer = services.transfer_request(
            by=world.tm_carol,
            case=case,
            to_team=world.team_b,
            summary="Open since January after a police notification",
            risks="Domestic abuse by a former partner",
            outstanding_work="A home visit",
        )
    return {"transfer_id": transfer.pk}


TARGETS = {"transfers.transfer": transfer_target}

# Managers only: the list names children and teams, with transfer times.
MANAGERS = row(302, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
# Only a manager of the receiving team (or a service manager), never the requester (Carol).
DECIDE = row(302, 403, 403, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 403, 404)

MATRIX = {
    # The case's allocated worker or a manager of its team (Sam's case is not allocated to
    # Amy here: the allocated worker asking is tested in test_transfers.py).
    "transfers:request": ("get", "casework.case", "", CASE_AUTHORISE),
    "transfers:list": ("get", None, "", MANAGERS),
    "transfers:detail": ("get", "transfers.transfer", "", CASE_NARRATIVE),
    "transfers:decide": ("get", "transfers.transfer", "", DECIDE),
}
