"""Records for supervision tests: the management line, cases held by a worker, sessions."""

from datetime import date, timedelta

from django.utils import timezone

from safeguard.accounts import services as accounts
from safeguard.accounts.models import Team
from safeguard.casework.models import Allocation, Case
from safeguard.people.models import Person
from safeguard.supervision import services
from safeguard.supervision.services import DiscussionInput


def management_line(world) -> Team:
    """Team A managed by Carol; both teams inside a service managed by Dan (so Ben's line
    manager is Dan, and Carol's is Dan)."""
    service = Team.objects.create(agency=world.csc, name="Safeguarding Service")
    accounts.team_update(service, by=world.sm_dan, manager=world.sm_dan)
    accounts.team_update(world.team_a, by=world.sm_dan, parent=service, manager=world.tm_carol)
    accounts.team_update(world.team_b, by=world.sm_dan, parent=service)
    return service


def child(world, n: int) -> Person:
    return Person.objects.create(
        authority=world.authority,
        given_names=f"Child{n}",
        family_name=f"Family{n:03d}",
        date_of_birth=date(2016, 1, 1) + timedelta(days=n),
        sex="F",
        la_child_id=f"S{n:06d}",
    )


def held_case(world, worker=None, *, n: int = 1, referred: date | None = None, team=None) -> Case:
    """An open case referred ``referred`` (60 days ago by default), allocated to ``worker``."""
    referred = referred or timezone.localdate() - timedelta(days=60)
    case = Case.objects.create(
        child=child(world, n),
        authority=world.authority,
        referral_date=referred,
        referral_source="6",
    )
    Allocation.objects.create(
        case=case, worker=worker or world.sw_amy, team=team or world.team_a, start_date=referred
    )
    return case


def session(world, *, by=None, supervisee=None, on: date | None = None, cases=(), signed=True):
    """A session recorded through the service (discussing ``cases``), signed by both unless
    ``signed`` is False."""
    by, supervisee = by or world.tm_carol, supervisee or world.sw_amy
    made = services.session_record(
        by=by,
        supervisee=supervisee,
        session_date=on or timezone.localdate(),
        duration_minutes=90,
        wellbeing="Workload manageable; planning leave.",
        discussions=[DiscussionInput(case=c, reflection="Reflected on progress.") for c in cases],
    )
    if signed:
        made = services.session_sign(by=supervisee, session=made)
    return made
