"""Records the child protection pages need, made with the real services on the test world:
Sam Smith referred on Monday 6 January 2025, a strategy discussion and section 47 enquiry
the next day, and an initial conference 14 working days later that starts a plan."""

from datetime import date

from safeguard.accounts.models import User
from safeguard.accounts.roles import Role
from safeguard.protection import services
from safeguard.testing.journey import open_case

REFERRED = date(2025, 1, 6)
DISCUSSED = date(2025, 1, 7)
ENQUIRY_STARTED = date(2025, 1, 7)
ICPC = date(2025, 1, 27)

ATTENDEES = [
    {"agency": "Testshire Children's Social Care", "name": "Amy Adeyemi", "role": "Social worker"},
    {"agency": "Testshire Police", "name": "DC Pat Patel", "role": "Investigating officer"},
]
CORE_GROUP = [
    {"agency": "Family", "name": "Mary Smith", "role": "Mother"},
    {"agency": "Testshire Schools", "name": "Sid Singh", "role": "Designated safeguarding lead"},
]


def chair_for(world, by=None):
    """A conference chair of ``by``'s authority: Iris Ingram in the test world's own, a chair
    made for the purpose in another."""
    if by is None or by.authority_id == world.chair_iris.authority_id:
        return world.chair_iris
    chair, _ = User.objects.get_or_create(
        username=f"chair-{by.agency_id}",
        defaults={"agency": by.agency, "role": Role.CONFERENCE_CHAIR, "last_name": "Chair"},
    )
    return chair


def case_of_sam(world, *, child=None, by=None):
    """Sam Smith's case (or ``child``'s, opened by ``by``), referred by the police."""
    return open_case(world, child, received=REFERRED, by=by)


def discussion_of_sam(world, decision="s47", *, child=None, by=None):
    """A strategy discussion on Sam Smith's case that decided on a section 47 enquiry."""
    return services.strategy_discussion_record(
        by=by or world.sw_amy,
        case=case_of_sam(world, child=child, by=by),
        discussion_date=DISCUSSED,
        attendees=ATTENDEES,
        decision=decision,
    )


def enquiry_of_sam(world, *, child=None, by=None):
    """An open section 47 enquiry on Sam Smith's case."""
    discussion = discussion_of_sam(world, child=child, by=by)
    return services.section47_start(
        by=by or world.sw_amy,
        case=discussion.case,
        strategy_discussion=discussion,
        start_date=ENQUIRY_STARTED,
    )


def plan_of_sam(world, *, child=None, by=None):
    """Sam Smith's open child protection plan (neglect), started by his initial conference."""
    enquiry = enquiry_of_sam(world, child=child, by=by)
    conference = services.icpc_record(
        by=by or world.sw_amy,
        chair=chair_for(world, by),
        section47=enquiry,
        conference_date=ICPC,
        attendance={"Children's social care": True, "Police": True, "Health": True},
        decision="plan",
        category="NEG",
        outline_plan="Daily school attendance; health visitor checks.",
        core_group_members=CORE_GROUP,
    )
    return conference.plan
