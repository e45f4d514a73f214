"""A plan's actions are items of the due-items table (decision 0043): on their owner's list,
an agency's on the case's worker's, counted with everything else; done, or their plan ended,
they leave it."""

from datetime import date, timedelta

from safeguard.casework.models import Allocation
from safeguard.protection import services
from safeguard.protection.tests.steps import plan_of_sam
from safeguard.timescales.models import DueEntry
from safeguard.timescales.projection import flush

DUE = date(2025, 3, 3)
CORE_GROUP_DAY = date(2025, 2, 17)


def _action(world, plan, *, owner_user=None, owner_agency=None, due=DUE, what="An action"):
    if owner_user is None and owner_agency is None:
        owner_user = world.sw_amy
    return services.plan_action_add(
        by=world.sw_amy,
        plan=plan,
        description=what,
        due_date=due,
        owner_user=owner_user,
        owner_agency=owner_agency,
    )


def test_plan_actions_are_due_items_held_by_their_owners(world):
    """Decision 0043: an open action of a current plan is an item of the due-items table, on
    its owner's list (an agency's on the case's worker's, who follows it up), so the home
    page, the team's lists and supervision count it; done, it leaves."""
    plan = plan_of_sam(world)
    Allocation.objects.create(
        case=plan.case, worker=world.sw_amy, team=world.team_a, start_date=plan.start_date
    )
    amys = _action(world, plan, what="Amy's")
    bens = _action(world, plan, owner_user=world.sw_ben, what="Ben's")
    police = _action(world, plan, owner_agency=world.police_pat.agency, what="Police's")
    later = _action(world, plan, what="Later", due=date.today() + timedelta(days=30))
    flush()
    entries = {e.subject_id: e for e in DueEntry.objects.filter(rule_id="plan_action")}
    assert set(entries) == {str(a.pk) for a in (amys, bens, police, later)}
    assert entries[str(bens.pk)].worker_id == world.sw_ben.pk
    assert entries[str(police.pk)].worker_id == world.sw_amy.pk  # Sam's worker
    assert entries[str(amys.pk)].due_date == DUE
    assert entries[str(later.pk)].due_date > date.today()  # due, not yet overdue

    services.plan_action_progress(
        by=world.sw_amy, action=amys, recorded_on=CORE_GROUP_DAY, status="done", note="Done."
    )
    amys.refresh_from_db()
    assert amys.closed_on == CORE_GROUP_DAY
    assert not DueEntry.objects.filter(subject_id=str(amys.pk)).exists()
    # An ended plan's actions are no longer due.
    plan.end_date, plan.end_reason = date(2025, 4, 1), "RTR"
    plan.save()
    flush()
    assert not DueEntry.objects.filter(rule_id="plan_action").exists()
