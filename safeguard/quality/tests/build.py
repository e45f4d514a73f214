"""Hand-built records for the data-quality tests (synthetic)."""

from datetime import date

from safeguard.casework.models import Allocation, Case, CINPlan, Visit
from safeguard.people.identifiers import upn_with_check_letter
from safeguard.people.models import Person
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)

_n = [0]


def child(world, **fields) -> Person:
    _n[0] += 1
    values = {
        "authority": world.authority,
        "given_names": f"Kid{_n[0]}",
        "family_name": "Quality",
        "date_of_birth": date(2015, 1, 1),
        "sex": "M",
        "ethnicity": "WBRI",
        "la_child_id": f"Q{_n[0]:05d}",
        # Of school age, so a pupil number (a synthetic one, pseudo-LA 001): without it the
        # census query 8770Q would be found on every child built here.
        "upn": upn_with_check_letter(f"0012001{_n[0]:05d}"),
    }
    return Person.objects.create(**(values | fields))


def case(world, who, *, referred: date, closed: date | None = None, worker=None, team=None) -> Case:
    c = Case.objects.create(
        child=who,
        authority=world.authority,
        referral_date=referred,
        referral_source="6",
        primary_need="N1",
        closure_date=closed,
        closure_reason="RC1" if closed else "",
    )
    if worker is not None:
        Allocation.objects.create(
            case=c, worker=worker, team=team or world.team_a, start_date=referred
        )
    return c


def cin_plan(c: Case, *, start: date, end: date | None = None) -> CINPlan:
    return CINPlan.objects.create(case=c, start_date=start, end_date=end)


def cp_plan(c: Case, *, start: date, end: date | None = None) -> ChildProtectionPlan:
    return ChildProtectionPlan.objects.create(
        case=c,
        start_date=start,
        end_date=end,
        end_reason="risk_reduced" if end else "",
        initial_category="NEG",
        latest_category="NEG",
    )


def visit(world, c: Case, day: date) -> Visit:
    return Visit.objects.create(
        case=c, kind="cp", visit_date=day, worker=world.sw_amy, child_seen=True
    )


def s47(world, c: Case, *, discussed: date, start: date) -> Section47Enquiry:
    d = StrategyDiscussion.objects.create(
        case=c, discussion_date=discussed, decision="s47", chaired_by=world.tm_carol
    )
    return Section47Enquiry.objects.create(case=c, strategy_discussion=d, start_date=start)


def icpc(world, c: Case, e: Section47Enquiry, day: date) -> ChildProtectionConference:
    return ChildProtectionConference.objects.create(
        case=c,
        kind="initial",
        conference_date=day,
        section47=e,
        decision="plan",
        chaired_by=world.tm_carol,
    )
