"""Issue 13, item 4: the outstanding items are a table kept equal to what the engine works
out from the records (decision 0028): in the step's transaction, in bulk, every night and on
demand, with ``safeguard check-due`` to prove it."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.casework import services as casework
from safeguard.casework.models import Case
from safeguard.core.workdays import add_working_days
from safeguard.testing.journey import open_case
from safeguard.timescales import projection
from safeguard.timescales.engine import case_timescales, outstanding
from safeguard.timescales.models import DueEntry, SeenClock
from safeguard.timescales.selectors import DueFilter, due_page
from safeguard.timescales.services import standards_update
from safeguard.timescales.tests.factories import make_cin_plan, make_cp_plan, make_visit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = add_working_days(TODAY, -12)


def rows_of(case) -> set[tuple]:
    return set(
        DueEntry.objects.filter(case=case).values_list("rule_id", "start_date", "due_date")
    )


def engine_of(case) -> set[tuple]:
    case = Case.objects.get(pk=case.pk)
    return {
        (i.rule.id, i.start_date, i.due_date)
        for i in outstanding(case_timescales(case, on=TODAY))
    }


def test_a_service_step_changes_the_table_in_its_own_transaction(world):
    case = open_case(world, received=DAY)
    with transaction.atomic():
        casework.cin_plan_start(by=world.sw_amy, case=case, start_date=DAY)
        # Read straight from the table, inside the step's transaction, with nothing flushed by
        # a list: the plan's clocks are there already.
        assert {"cin_visit", "cin_plan_review"} <= {r[0] for r in rows_of(case)}
        casework.visit_record(
            by=world.sw_amy, case=case, kind="cin", visit_date=DAY + timedelta(days=1),
            child_seen=True, worker=world.sw_amy,
        )  # fmt: skip
        assert rows_of(case) == engine_of(case)
        assert "referral_child_seen" not in {r[0] for r in rows_of(case)}


def test_allocation_and_priority_are_on_the_rows(world):
    case = open_case(world, received=DAY)
    casework.case_allocate(
        by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=DAY, reason="Test"
    )
    casework.case_priority_change(
        by=world.tm_carol, case=case, priority="red", reason="Injury to a baby"
    )
    rows = DueEntry.objects.filter(case=case)
    assert {(r.worker_id, r.team_id, r.priority_rank, r.stage) for r in rows} == {
        (world.sw_amy.pk, world.team_a.pk, 0, "cin")
    }


def test_a_record_saved_outside_a_service_is_worked_out_before_a_list_reads_it(world):
    case = open_case(world, received=DAY)
    make_cp_plan(case, start=DAY)  # a plain save: no change event
    page, counts = due_page(world.authority, on=TODAY, where=DueFilter())
    assert "cp_visit" in {r.item.rule.id for r in page.rows}
    assert rows_of(case) == engine_of(case)


def test_deferred_writes_are_worked_out_once_at_the_end(world, django_assert_max_num_queries):
    cases = [open_case(world, received=DAY), open_case(world, world.child_tom, received=DAY)]
    with projection.deferred():
        for case in cases:
            make_cin_plan(case, start=DAY)
            make_visit(case, DAY, by=world.sw_amy, kind="cin")
        assert not any("cin_visit" in {r[0] for r in rows_of(c)} for c in cases)
    for case in cases:
        assert rows_of(case) == engine_of(case)


def test_changing_a_standard_moves_every_due_date_at_once(world):
    case = open_case(world, received=DAY)
    make_cp_plan(case, start=DAY)
    projection.flush()
    before = {r[0]: r[2] for r in rows_of(case)}
    standards_update(by=None, authority=world.authority, cp_visit_interval_wd=5)
    after = {r[0]: r[2] for r in rows_of(case)}
    assert before["cp_visit"] == add_working_days(DAY, 10)
    assert after["cp_visit"] == add_working_days(DAY, 5)


def test_check_finds_every_kind_of_difference_and_rebuild_mends_them(world):
    case = open_case(world, received=DAY)
    make_cin_plan(case, start=DAY)
    projection.flush()
    assert not projection.check()
    row = DueEntry.objects.filter(case=case, rule_id="cin_visit").get()
    DueEntry.objects.filter(pk=row.pk).update(due_date=row.due_date + timedelta(days=3))
    DueEntry.objects.filter(case=case, rule_id="cin_plan_review").delete()
    DueEntry.objects.create(
        authority=world.authority, child=world.child_sam, case=case, rule_id="icpc",
        subject_id="nothing", start_date=DAY, due_date=DAY, priority_rank=2, stage="cin",
    )  # fmt: skip
    found = projection.check()
    assert [r["rule_id"] for r in found.missing] == ["cin_plan_review"]
    assert [r["rule_id"] for r in found.extra] == ["icpc"]
    assert [(was["due_date"], now["due_date"]) for was, now in found.changed] == [
        (row.due_date + timedelta(days=3), row.due_date)
    ]
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("check_due", stdout=out)
    assert exit_status.value.code == 1
    text = out.getvalue()
    assert "Missing from the lists: 1" in text and "Not due: 1" in text and "Different: 1" in text
    call_command("rebuild_due", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_due", stdout=out)
    assert "no difference" in out.getvalue()


def test_check_due_refuses_an_unknown_authority():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No authority has the DfE LA code 999"):
        call_command("check_due", authority_code="999", stdout=io.StringIO())


def test_the_nightly_rebuild_schedules_itself_once(world):
    from safeguard.timescales import tasks

    assert tasks.schedule_nightly() is True
    assert tasks.schedule_nightly() is False  # one is waiting already
    when = tasks.next_night()
    assert when > timezone.now() and timezone.localtime(when).hour == 2


def test_the_projection_matches_the_engine_on_every_case_of_a_generated_borough(db):
    call_command("demo", children=60, seed=13, as_at="2026-05-01", stdout=io.StringIO())
    found = projection.check()
    assert found.checked > 0
    assert not found, (found.missing[:3], found.extra[:3], found.changed[:3])
    # And the table holds exactly what the engine gives case by case.
    expected = sum(
        len(outstanding(case_timescales(case, on=TODAY)))
        for case in Case.objects.filter(projection.open_cases(TODAY)).select_related("authority")
    )
    assert DueEntry.objects.filter(case__isnull=False).count() == expected


# --- The pages read a page at a time, in a fixed number of queries ---------------------------


NAMES = ["Ava", "Ben", "Cal", "Dot", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kit", "Lea"]


def _many(world, n, start=0):
    from safeguard.people.models import Person

    for k in range(start, start + n):
        child = Person.objects.create(
            authority=world.authority, given_names=NAMES[k % len(NAMES)],
            family_name=f"Testcase{k}", date_of_birth=DAY - timedelta(days=3000 + k), sex="F",
        )  # fmt: skip
        case = open_case(world, child, received=DAY - timedelta(days=k))
        make_cp_plan(case, start=DAY)
        if k % 2:  # half are allocated, half wait in the unallocated queue
            casework.case_allocate(
                by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a,
                start_date=DAY,
                reason="Test",
            )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "user"),
    [
        ("timescales:mine", "sw_amy"),
        ("timescales:service", "tm_carol"),
        ("timescales:next-steps", "tm_carol"),
        ("timescales:unallocated", "tm_carol"),
        ("work:home", "sw_amy"),
    ],
)
def test_each_list_costs_the_same_queries_for_few_and_many(world, client, name, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(getattr(world, user))
    url = reverse(name)

    def queries():
        client.get(url)  # anything saved is worked out first
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    _many(world, 2)
    few = queries()
    _many(world, 12, start=2)
    assert queries() == few


def test_days_since_seen_is_kept_in_the_steps_transaction_and_checked(world):
    """The clock of days since seen (``SeenClock``, decision 0049) moves with the visit that
    sees the child, in the visit's own transaction, and ``check-due`` finds a clock changed,
    missing or left over until ``rebuild-due`` mends it."""
    case = open_case(world, received=DAY)
    casework.case_allocate(
        by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=DAY,
        reason="Test",
    )  # fmt: skip
    seen_on = DAY + timedelta(days=2)
    with transaction.atomic():
        casework.visit_record(
            by=world.sw_amy, case=case, kind="cin", visit_date=seen_on, child_seen=True,
            worker=world.sw_ben,
        )  # fmt: skip
        clock = SeenClock.objects.get(pk=case.pk)
    assert (clock.last_seen, clock.last_seen_by, clock.seen_since) == (
        seen_on, world.sw_ben, seen_on
    )
    assert (clock.holder, clock.holder_team, clock.child) == (
        world.sw_amy, world.team_a, case.child
    )
    assert not projection.check()
    SeenClock.objects.filter(pk=case.pk).update(seen_since=DAY, stage="cp_plan")
    found = projection.check()
    assert found and not found.missing and found.clocks.changed
    was, now = found.clocks.changed[0]
    assert (was["stage"], now["stage"], now["seen_since"]) == ("cp_plan", clock.stage, seen_on)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("check_due", stdout=out)
    assert "Days since seen different: 1" in out.getvalue()
    SeenClock.objects.filter(pk=case.pk).delete()
    assert projection.check().clocks.missing
    call_command("rebuild_due", stdout=io.StringIO())
    assert not projection.check()
    assert SeenClock.objects.get(pk=case.pk).seen_since == seen_on
    # A closed case has no clock (closed here directly: how a closure is decided is not this
    # test's business).
    case.refresh_from_db()
    case.closure_date, case.closure_reason = TODAY, "RC7"
    case.save()
    projection.flush()
    assert not SeenClock.objects.filter(pk=case.pk).exists()


def test_only_what_the_clock_reads_works_the_clock_out_again(world):
    """A change to a child's identity (the commonest save) leaves their clock of days since
    seen alone; a visit works it out again, in the visit's own transaction."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguard.people.services import person_update

    case = open_case(world, received=DAY)
    projection.flush()
    child = case.child
    child.refresh_from_db()
    with CaptureQueriesContext(connection) as identity:
        person_update(by=world.sw_amy, person=child, version=child.version, police_reference="P1")
    assert not any("timescales_seenclock" in q["sql"] for q in identity.captured_queries)
    assert any("timescales_dueentry" in q["sql"] for q in identity.captured_queries)
    with CaptureQueriesContext(connection) as visit:
        casework.visit_record(
            by=world.sw_amy, case=case, kind="cin", visit_date=DAY + timedelta(days=1),
            child_seen=True, worker=world.sw_amy,
        )  # fmt: skip
    assert any("timescales_seenclock" in q["sql"] for q in visit.captured_queries)
    assert SeenClock.objects.get(pk=case.pk).last_seen == DAY + timedelta(days=1)
    assert not projection.check()
