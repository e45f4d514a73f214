"""The audit programme (issue 15 item 4, decision 0062): who audits how many case files each
month, each month's draw reproducible from a seed, nobody auditing their own work."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from safeguard.assurance import permissions, services
from safeguard.assurance.models import Audit, ProgrammeLine, ProgrammeRun, Stratum
from safeguard.assurance.permissions import Action
from safeguard.assurance.tests.steps import allocated_cases, programme_line
from safeguard.core.errors import ApplicationError
from safeguard.timescales.selectors import STAGE_BY_CODE

pytestmark = pytest.mark.django_db

MONTH = date(2026, 3, 1)


@pytest.fixture
def carol_manages_team_a(world):
    world.team_a.manager = world.tm_carol
    world.team_a.save()
    return world


def test_only_a_service_manager_sets_the_programme(world):
    assert permissions.can(world.sm_dan, Action.SET_PROGRAMME)
    for user in (world.tm_carol, world.sw_amy, world.analyst_eve, world.police_pat):
        assert not permissions.can(user, Action.SET_PROGRAMME)
        with pytest.raises(PermissionDenied):
            services.programme_line_add(
                by=user, auditor=world.tm_carol, cases_per_month=2, first_month=MONTH
            )
    # Managers see it; nobody else does.
    assert permissions.can(world.tm_carol, Action.SEE_PROGRAMME)
    assert not permissions.can(world.sw_amy, Action.SEE_PROGRAMME)
    assert not permissions.can(world.police_pat, Action.SEE_PROGRAMME)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"auditor": "sw_amy"}, "auditor"),  # a social worker audits no case file
        ({"auditor": "other_sw"}, "auditor"),  # nor anyone of another authority
        ({"cases_per_month": 0}, "cases_per_month"),
        ({"cases_per_month": 51}, "cases_per_month"),
        ({"last_month": date(2026, 2, 1)}, "last_month"),
    ],
)
def test_a_bad_line_is_refused_and_nothing_is_saved(world, change, field):
    fields = {"auditor": world.tm_carol, "cases_per_month": 2, "first_month": MONTH}
    for key, value in change.items():
        fields[key] = getattr(world, value) if key == "auditor" else value
    with pytest.raises(ApplicationError) as refused:
        services.programme_line_add(by=world.sm_dan, **fields)
    assert refused.value.field == field
    assert not ProgrammeLine.objects.exists()


def test_a_month_is_drawn_once_and_never_gives_an_auditor_their_own_teams_cases(
    carol_manages_team_a,
):
    world = carol_manages_team_a
    cases = allocated_cases(world)
    line = programme_line(world, cases_per_month=5, first_month=MONTH)
    drawn = services.programme_draw(by=world.sm_dan, month=date(2026, 3, 17), seed=2026)
    audits = drawn.drawn[line]
    # Sam and Sally are in Carol's team A: only Tom's case (team B) may be hers to audit.
    assert [a.case for a in audits] == [cases["Tom"]]
    run = ProgrammeRun.objects.get(line=line)
    assert run.month == MONTH and audits[0].programme_run == run
    assert audits[0].auditor == world.tm_carol and audits[0].sample_seed == run.seed
    # Drawn again: nothing changes, and the line is reported as already drawn.
    again = services.programme_draw(by=world.sm_dan, month=MONTH, seed=99)
    assert again.drawn == {} and again.already == [line]
    assert Audit.objects.count() == 1
    # A team manager cannot draw it.
    with pytest.raises(PermissionDenied):
        services.programme_draw(by=world.tm_carol, month=MONTH, seed=1)


def test_the_same_programme_and_seed_draw_the_same_case_files(world):
    allocated_cases(world)
    first = programme_line(world, auditor=world.sm_dan, cases_per_month=1, first_month=MONTH)
    second = programme_line(world, cases_per_month=1, first_month=MONTH)
    drawn = services.programme_draw(by=world.sm_dan, month=MONTH, seed=7)
    chosen = {line.pk: [a.case_id for a in audits] for line, audits in drawn.drawn.items()}
    assert sum(len(c) for c in chosen.values()) == 2
    # Two lines never draw the same case in a month.
    assert len({c for cs in chosen.values() for c in cs}) == 2
    Audit.objects.all().delete()
    ProgrammeRun.objects.all().delete()
    redrawn = services.programme_draw(by=world.sm_dan, month=MONTH, seed=7)
    assert {line.pk: [a.case_id for a in a_] for line, a_ in redrawn.drawn.items()} == chosen
    assert {first.pk, second.pk} == set(chosen)


def test_a_case_under_an_audit_not_completed_is_not_drawn_again(world):
    cases = allocated_cases(world)
    services.draw_sample(by=world.sm_dan, size=3, seed=1)  # every open case now under audit
    line = programme_line(world, cases_per_month=3, first_month=MONTH)
    drawn = services.programme_draw(by=world.sm_dan, month=MONTH, seed=1)
    assert drawn.drawn[line] == []
    assert len(cases) == 3


def test_lines_draw_only_in_their_months(world):
    allocated_cases(world)
    later = programme_line(world, first_month=date(2026, 5, 1))
    ended = programme_line(world, auditor=world.sm_dan, first_month=date(2026, 1, 1))
    services.programme_line_end(by=world.sm_dan, line=ended, last_month=date(2026, 2, 10))
    assert ended.last_month == date(2026, 2, 1)
    drawn = services.programme_draw(by=world.sm_dan, month=MONTH, seed=3)
    assert drawn.drawn == {} and drawn.already == []
    assert later.draws_in(date(2026, 5, 1)) and not ended.draws_in(MONTH)


def test_stratified_by_stage_draws_from_each_stage(world):
    cases = allocated_cases(world)
    pool = services.candidates(world.authority.pk, Stratum.STAGE)
    assert {row[0] for row in pool} == {c.pk for c in cases.values()}
    assert all(row[1] in STAGE_BY_CODE for row in pool)
    line = programme_line(world, auditor=world.sm_dan, stratum=Stratum.STAGE, first_month=MONTH)
    drawn = services.programme_draw(by=world.sm_dan, month=MONTH, seed=11)
    stages = {row[1] for row in pool}
    assert len(drawn.drawn[line]) == len(stages)


# --- The page ------------------------------------------------------------------------------


def test_the_service_manager_sets_and_draws_the_programme_from_the_page(world, client):
    allocated_cases(world)
    today = timezone.localdate()
    client.force_login(world.sm_dan)
    page = client.get(reverse("assurance:programme"))
    assert page.status_code == 200
    assert b"No audit programme has been set" in page.content
    added = client.post(
        reverse("assurance:programme-line-add"),
        {
            "auditor": world.tm_carol.pk,
            "cases_per_month": 2,
            "stratum": "",
            "first_month": today.replace(day=1).isoformat(),
            "last_month": "",
        },
    )
    assert added.status_code == 302
    line = ProgrammeLine.objects.get()
    assert (line.auditor, line.cases_per_month, line.last_month) == (world.tm_carol, 2, None)
    drawn = client.post(
        reverse("assurance:programme-draw"),
        {"month": today.replace(day=1).isoformat(), "seed": 5},
        follow=True,
    )
    assert b"case files drawn for" in drawn.content
    assert Audit.objects.filter(programme_run__line=line).count() == 2
    page = client.get(reverse("assurance:programme"))
    assert b"0 of 2 audited" in page.content
    ended = client.post(reverse("assurance:programme-line-end", args=[line.pk]), follow=True)
    assert b"The line ends after this month" in ended.content
    line.refresh_from_db()
    assert line.last_month == today.replace(day=1)


def test_a_bad_line_from_the_page_is_shown_again_with_its_error(world, client):
    client.force_login(world.sm_dan)
    today = timezone.localdate().replace(day=1)
    response = client.post(
        reverse("assurance:programme-line-add"),
        {"auditor": world.tm_carol.pk, "cases_per_month": 0, "first_month": today.isoformat()},
    )
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content
    assert not ProgrammeLine.objects.exists()
    response = client.post(reverse("assurance:programme-draw"), {"month": "2026-13-01"})
    assert response.status_code == 400
    assert not ProgrammeRun.objects.exists()


def test_team_managers_see_the_programme_but_cannot_change_it(world, client):
    programme_line(world)
    client.force_login(world.tm_carol)
    page = client.get(reverse("assurance:programme"))
    assert page.status_code == 200 and b"sg-programme-line" in page.content
    assert b"add-programme-line" not in page.content
    assert client.post(reverse("assurance:programme-draw"), {}).status_code == 403
    client.force_login(world.sw_amy)
    assert client.get(reverse("assurance:programme")).status_code == 403


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_programme(
    world, client, django_assert_max_num_queries
):
    allocated_cases(world)
    client.force_login(world.sm_dan)
    client.get(reverse("assurance:programme"))
    programme_line(world)
    services.programme_draw(by=world.sm_dan, month=timezone.localdate(), seed=1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("assurance:programme"))
    for n in range(6):
        programme_line(world, auditor=world.sm_dan, cases_per_month=n + 1)
    services.programme_draw(by=world.sm_dan, month=timezone.localdate(), seed=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("assurance:programme"))


def test_a_one_off_draw_never_gives_a_manager_their_own_teams_cases(carol_manages_team_a):
    world = carol_manages_team_a
    cases = allocated_cases(world)
    audits = services.draw_sample(by=world.tm_carol, size=3, seed=4)
    assert [a.case for a in audits] == [cases["Tom"]]
    # Dan may draw for Carol; the same rule holds for the auditor, not whoever draws.
    audits = services.draw_sample(by=world.sm_dan, size=3, seed=4, auditor=world.tm_carol)
    assert [a.case for a in audits] == [cases["Tom"]]


# --- The nightly draw: nobody has to remember to draw the month --------------------------------


def test_the_nightly_draw_draws_each_line_once_as_the_system_with_a_seed_of_the_month(world):
    from safeguard.assurance import tasks
    from safeguard.audit.models import ChangeEvent

    allocated_cases(world)
    by_hand = programme_line(world, auditor=world.sm_dan, cases_per_month=1, first_month=MONTH)
    services.programme_draw(by=world.sm_dan, month=MONTH, seed=5)  # drawn by hand first
    hand_run = ProgrammeRun.objects.get(line=by_hand)
    line = programme_line(world, cases_per_month=1, first_month=MONTH)
    assert tasks.draw_every_authority(month=date(2026, 3, 20)) == 1
    run = ProgrammeRun.objects.get(line=line)
    assert run.month == MONTH and run.created_by is None  # the system drew it
    assert run.seed == services.line_seed(services.programme_seed(world.authority, MONTH), line)
    assert ChangeEvent.objects.filter(target_id=str(run.pk), user__isnull=True).exists()
    assert ProgrammeRun.objects.get(line=by_hand) == hand_run  # left as it was
    # The next night, and any night after, changes nothing.
    assert tasks.draw_every_authority(month=date(2026, 3, 21)) == 0
    assert Audit.objects.count() == 2
    # The same programme and month always draw the same case file.
    chosen = list(Audit.objects.filter(programme_run=run).values_list("case_id", flat=True))
    Audit.objects.filter(programme_run=run).delete()
    run.delete()
    tasks.draw_every_authority(month=MONTH)
    again = ProgrammeRun.objects.get(line=line)
    assert list(Audit.objects.filter(programme_run=again).values_list("case_id", flat=True)) == chosen


def test_each_auditor_is_told_what_the_draw_gave_them(world):
    from safeguard.assurance import tasks
    from safeguard.notices.models import Notice

    allocated_cases(world)
    programme_line(world, cases_per_month=2, first_month=MONTH)
    tasks.draw_every_authority(month=MONTH)
    notice = Notice.objects.get(user=world.tm_carol)
    assert notice.subject == "2 case files to audit in March 2026"
    assert notice.url == reverse("assurance:audits")
    assert "Sam" not in notice.body and "Tom" not in notice.body


def test_the_nightly_draw_schedules_itself_once(world):
    from safeguard.assurance import tasks

    assert tasks.schedule_nightly() is True
    assert tasks.schedule_nightly() is False  # one is waiting already


def test_the_draw_audits_command(world):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    allocated_cases(world)
    programme_line(world, cases_per_month=1, first_month=MONTH)
    out = io.StringIO()
    call_command("draw_audits", month="2026-03", stdout=out)
    assert out.getvalue().strip() == "1 case file drawn to audit in March 2026."
    out = io.StringIO()
    call_command("draw_audits", month="2026-03", stdout=out)
    assert out.getvalue().strip() == "0 case files drawn to audit in March 2026."
    for bad in ("2026-13", "March", "2026"):
        with pytest.raises(CommandError, match="like 2026-12"):
            call_command("draw_audits", month=bad, stdout=io.StringIO())
    with pytest.raises(CommandError, match="leave out --month"):
        call_command("draw_audits", month="2026-03", nightly=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("draw_audits", nightly=True, stdout=out)
    call_command("draw_audits", nightly=True, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("The nightly draw of the audit programme is scheduled (")
    assert lines[1] == "The nightly draw of the audit programme is already scheduled."
    assert Audit.objects.count() == 1


def test_a_draw_on_a_day_takes_only_cases_referred_by_then(world):
    """Drawn as on an earlier day (the demo's past months), a case referred after it is not a
    candidate: no audit comes before the child's referral."""
    cases = allocated_cases(world)  # all referred on 6 January 2025
    before = services.candidates(world.authority.pk, Stratum.RANDOM, on=date(2025, 1, 5))
    on_the_day = services.candidates(world.authority.pk, Stratum.RANDOM, on=date(2025, 1, 6))
    assert before == []
    assert {row[0] for row in on_the_day} == {c.pk for c in cases.values()}
