"""Roles, the named sets of roles every policy uses, and the one "social care staff" test.

Each set has one name, defined here and nowhere else; a policy that needs "managers" or "the
whole service" imports the set rather than writing its own. Each app's ``permissions.py``
decides what a set may do with that app's records.
"""

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    PARTNER_PRACTITIONER = "partner_practitioner", "Partner practitioner"
    UNSCHEDULED_CARE_CLINICIAN = "unscheduled_care_clinician", "Unscheduled-care clinician"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    # An independent reviewing officer: chairs conferences, outside the line management of
    # the cases they chair (issue 15 item 3).
    CONFERENCE_CHAIR = "conference_chair", "Conference chair (independent reviewing officer)"
    # An inspector (Ofsted): sees only the case files drawn for an inspection, while it runs
    # (issue 15 item 5); no role set includes it.
    INSPECTOR = "inspector", "Inspector"
    # A member of a board or panel (an elected member, a partner's board representative):
    # reads the packs and aggregate figures of the bodies they sit on, never a child's record
    # (issue 20 item 6, decision 0084); no role set but the read-only one includes it.
    BOARD_MEMBER = "board_member", "Board member"


# Children's social care staff, who may see the authority's children.
# A conference chair is social care staff who reads the authority's children but records only
# what a chair records (conferences, challenges).
SOCIAL_CARE_ROLES = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.PERFORMANCE_ANALYST,
        Role.CONFERENCE_CHAIR,
    }
)
# Those who record on a child's file.
RECORDING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER})
# Line managers: they authorise, seal records, review break-glass and see who opened a record.
MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER})
# Those who oversee work beyond their own cases: a team's lists, the figures, the summaries.
OVERSIGHT_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.PERFORMANCE_ANALYST})
# Those who answer for the whole service: every team's figures and the statutory returns.
SERVICE_WIDE_ROLES = frozenset({Role.SERVICE_MANAGER, Role.PERFORMANCE_ANALYST})
# Those who run the system: accounts and loading records from another system; no child's record.
ADMINISTRATOR_ROLES = frozenset({Role.SYSTEM_ADMINISTRATOR})
# Those who only ever read: every request that could change something (a POST, PUT, PATCH or
# DELETE) is refused to them, whatever the page (``accounts.middleware.ReadOnlyRolesMiddleware``,
# decision 0042).
READ_ONLY_ROLES = frozenset({Role.INSPECTOR, Role.BOARD_MEMBER})
# Staff outside children's social care, who see only what an involvement grants.
PARTNER_ROLES = frozenset({Role.PARTNER_PRACTITIONER, Role.UNSCHEDULED_CARE_CLINICIAN})
# The kinds of partner agency whose practitioners assess and lead early help (education,
# health, the voluntary sector): they may find or create a child to start it (decision 0081).
EARLY_HELP_AGENCY_KINDS = frozenset({"education", "health", "voluntary"})


def leads_early_help(user) -> bool:
    """Is ``user`` an active partner practitioner of an agency that leads early help?"""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and user.role == Role.PARTNER_PRACTITIONER
        and user.agency.kind in EARLY_HELP_AGENCY_KINDS
    )


def is_social_care_staff(user, *, roles=SOCIAL_CARE_ROLES, authority_id=None) -> bool:
    """Is ``user`` a signed-in, active member of children's social care holding one of
    ``roles`` (of ``authority_id``, when given)?

    The one test every policy starts from: the account is active, belongs to an agency of
    kind children's social care, and has a role in ``roles``. A system administrator works in
    social care's agency but holds no social care role, so is not social care staff unless a
    policy names ``ADMINISTRATOR_ROLES``.
    """
    ok = bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and user.agency.is_social_care
        and user.role in roles
    )
    return ok and (authority_id is None or user.agency.authority_id == authority_id)
