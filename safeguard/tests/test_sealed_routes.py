"""A sealed child's record leaks through no page: every URL of the permission matrix that is
about a record, tried with the world's children sealed.

The named social worker sees exactly what she saw before; a social worker of the same team
who is not named gets the "This record is restricted" page (403) or nothing (404), never the
content; partners and other authorities get nothing.
"""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from safeguard.accounts.models import Role, User
from safeguard.people.tests.sealing import seal
from safeguard.testing.matrix import WHO
from safeguard.tests.test_permission_matrix import ALL_TARGETS, MATRIX

# Targets that are themselves about sealing, break-glass or notices, or about no child at all
# (a published procedure), or a partner's referral not yet recorded (its words are the
# partner's, about a child it names but is not linked to: the front door must read them).
OWN_TARGETS = {
    "sealed_sally", "break_glass_use", "notice_for_amy", "procedure_for_all",
    "referral_from_police",
}  # fmt: skip
# Pages about a member of staff or a team, not a child's record: the administration pages and a
# worker's supervision record (their own tests hide a sealed child's case from a supervisor who
# is not named on the seal).
# The cover pages and a team's posts (decision 0044) are about staff and teams too.
STAFF_ROUTES = ("operations:", "supervision:record", "supervision:frequency", "supervision:session-new",
                "casework:team-cover", "casework:absence-", "casework:duty-", "workforce:post")
# Pages about no child's record: the directory of services (its referrals, under
# "service_referrals:", are about a child and stay in), improvement plans, boards and their
# packs, targets, and the early help start page (a search that lists only children the user
# may see, each through the access function: earlyhelp's own tests). "governance:" takes in the
# download of an action's evidence file (governance:evidence-file, decision 0086): evidence of
# a plan's action, never a document on a child's record.
NO_CHILD_ROUTES = ("directory:", "governance:", "boards:", "performance:target", "earlyhelp:start")
RECORD_ROUTES = sorted(
    name
    for name, (method, target, _query, expected) in MATRIX.items()
    if target
    and target not in OWN_TARGETS
    and method == "get"
    and not name.startswith(STAFF_ROUTES)
    and not name.startswith(NO_CHILD_ROUTES)
    # Posting only: a read answers 405 to everyone and shows nothing.
    and expected[WHO.index("social_worker")] != 405
)
# Lists whose target is a team or an indicator, not a record: they answer, without the sealed
# children.
LIST_ROUTES = {
    "timescales:team", "timescales:team-unallocated", "performance:indicator",
    "performance:children", "workforce:board",
    # An inspection's sample and what its inspectors read: rows about children, each through
    # show_rows (decision 0042).
    "assurance:inspection", "assurance:inspection-reads",
    # A dip sample of front-door decisions: its children through show_rows (decision 0063).
    "assurance:dip-sample",
    # The children behind an early help figure (decision 0082), through show_rows.
    "performance:early-help-children",
}  # fmt: skip
# What must never appear for someone who may not see the records.
SECRETS = ["Sam", "Sally", "Mary", "14 March 2015", "9434765919", "943 476 5919", "T000001"]


def _shows(secret: str, body: str) -> bool:
    """Whether ``body`` holds ``secret`` as a word of its own ("Sam", not "Same period")."""
    return re.search(rf"\b{re.escape(secret)}\b", body) is not None


def _children(world):
    return [world.child_sam, world.child_sally, world.mother_mary, world.child_tom, world.unborn]


# Social care roles, in the order tried: the colleague who is not named holds the first of
# them that may open the route at all, so manager-only and analyst pages are tried too.
VIEWER_ROLES = ["social_worker", "team_manager", "service_manager", "performance_analyst"]


def _colleague(world, role: str = Role.SOCIAL_WORKER) -> User:
    """A member of Team A (the team of Amy and Carol) who is not named on any seal."""
    fay = User.objects.create_user(
        username="fay", password="x" * 20, agency=world.csc, role=role,
        first_name="Fay", last_name="Fox",
    )
    fay.teams.add(world.team_a)
    return fay


def test_record_routes_exist():
    # The matrix has pages about cases, chronology, PDF, assessments, protection, early help,
    # referrals and the API: all are tried below.
    prefixes = {name.split(":")[0] for name in RECORD_ROUTES}
    assert {"people", "casework", "assessments", "protection", "earlyhelp", "referrals", "api"} <= prefixes
    assert "casework:chronology-pdf" in RECORD_ROUTES


# Each app's routes are tried on one world, each route inside a savepoint rolled back after
# it (its target's records and the seals gone before the next), as if each had its own world.
ROUTE_GROUPS: dict[str, list[str]] = {}
for _name in RECORD_ROUTES:
    ROUTE_GROUPS.setdefault(_name.split(":", 1)[0], []).append(_name)


@pytest.mark.django_db
@pytest.mark.parametrize("app", sorted(ROUTE_GROUPS))
def test_sealed_record_leaks_through_no_page(app, world, client):
    for name in ROUTE_GROUPS[app]:
        with transaction.atomic():
            _no_leak_through(name, world, client)
            transaction.set_rollback(True)


def _no_leak_through(name, world, client):
    _method, target, query, expected = MATRIX[name]
    kwargs = ALL_TARGETS[target](world)
    for child in _children(world):
        seal(world, child, world.sw_amy, world.sw_ben)
    url = reverse(name, kwargs=kwargs) + query

    # Named: exactly as before the seal.
    client.force_login(world.sw_amy)
    assert client.get(url).status_code == expected[WHO.index("social_worker")], name

    # Not named, same team, in a role that may open the route: the restricted page or
    # nothing; never the record.
    role = next((r for r in VIEWER_ROLES if expected[WHO.index(r)] == 200), "social_worker")
    client.force_login(_colleague(world, role))
    response = client.get(url)
    assert response.status_code in ((200,) if name in LIST_ROUTES else (403, 404)), name
    body = response.content.decode()
    for secret in SECRETS:
        assert not _shows(secret, body), (name, secret)
    if response.status_code == 403 and not name.startswith("api:"):
        assert "This record is restricted" in body
        assert "Break-glass access" in body

    # Partners (even those involved) and other authorities: nothing, and no break-glass.
    for who in ("partner_police", "partner_health", "partner_voluntary", "other_la"):
        user = world.other_sw if who == "other_la" else world.users_by_role[who]
        client.force_login(user)
        response = client.get(url)
        allowed = (200, 403, 404) if name in LIST_ROUTES else (403, 404)
        assert response.status_code in allowed, (name, who)
        body = response.content.decode()
        assert "Break-glass access" not in body
        for secret in SECRETS:
            assert not _shows(secret, body), (name, who, secret)
