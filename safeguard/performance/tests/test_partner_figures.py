"""Partner figures by agency (issue 17 item 7, decisions 0070 and 0073): conference
attendance, conference reports sent on time, plan actions done on time and information requests
answered on time, each a numerator out of a denominator by agency. The expected figures are counted by hand from the
records made here (period: the 2025-26 census year; today: after it)."""

import csv
import io
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.casework import services as casework
from safeguard.partners.models import ConferenceKind, InformationRequest, StepInvitation, StepKind
from safeguard.performance.indicators import Period
from safeguard.performance.partners import (
    FIGURES,
    AgencyRow,
    conference_attendance,
    invited_attendance,
    partner_figures,
    plan_actions_on_time,
    reports_sent_on_time,
    requests_answered_on_time,
    twelve_months_to,
)
from safeguard.protection.models import (
    ActionStatus,
    ChildProtectionConference,
    ChildProtectionPlan,
    PlanAction,
)

pytestmark = pytest.mark.django_db

YEAR = Period(date(2025, 4, 1), date(2026, 3, 31))
AFTER = date(2026, 12, 7)


@pytest.fixture
def plan(world):
    case = casework.case_open(
        by=world.sw_amy, child=world.child_sam, referral_date=date(2025, 1, 6), referral_source="6"
    )
    return ChildProtectionPlan.objects.create(
        case=case, start_date=date(2025, 2, 1), initial_category="NEG", latest_category="NEG"
    )


def _conference(world, plan, day, attendance):
    ChildProtectionConference.objects.create(
        case=plan.case, kind="review", conference_date=day, plan=plan, decision="continue",
        chaired_by=world.chair_iris, attendance=attendance,
    )  # fmt: skip


@pytest.fixture
def conferences(world, plan):
    _conference(world, plan, date(2025, 5, 1), {
        "Children's social care": True, "Police": True, "Health": False, "Education": True,
        "Family": True,
    })  # fmt: skip
    # No school named: the child has none, so education was not expected.
    _conference(world, plan, date(2025, 6, 1),
                {"Children's social care": True, "Police": False, "Health": True})  # fmt: skip
    _conference(world, plan, date(2025, 7, 1), {"Police": True, "Health": True, "Education": False})
    # Outside the period: not counted.
    _conference(world, plan, date(2025, 3, 31), {"Police": False})
    _conference(world, plan, date(2026, 4, 1), {"Police": False})


def _action(plan, *, due, status=ActionStatus.NOT_STARTED, closed=None, **owner):
    PlanAction.objects.create(
        plan=plan, description="An action", due_date=due, status=status, closed_on=closed, **owner
    )


@pytest.fixture
def actions(world, plan):
    police = {"owner_agency": world.police}
    _action(plan, due=date(2025, 5, 10), status="done", closed=date(2025, 5, 10), **police)
    _action(plan, due=date(2025, 6, 10), status="done", closed=date(2025, 6, 11), **police)
    # Owned by a police officer: the police's. Still open after its due date: late.
    _action(plan, due=date(2025, 7, 10), owner_user=world.police_pat)
    # Withdrawn by its due date: not counted; withdrawn after it: late.
    _action(plan, due=date(2025, 8, 10), status="not_done", closed=date(2025, 8, 1),
            owner_agency=world.health)  # fmt: skip
    _action(plan, due=date(2025, 8, 10), status="not_done", closed=date(2025, 8, 20),
            owner_agency=world.health)  # fmt: skip
    # A social worker's: children's social care's, done early.
    _action(plan, due=date(2025, 9, 1), status="done", closed=date(2025, 8, 30),
            owner_user=world.sw_amy)  # fmt: skip
    # Due after the period: not counted.
    _action(plan, due=date(2026, 4, 2), **police)


def _request(world, agency, *, due, answered=None):
    sent = timezone.make_aware(datetime(2025, 4, 20, 10))
    fields = {}
    if answered is not None:
        at = timezone.make_aware(datetime.combine(answered, datetime.min.time().replace(hour=12)))
        fields = {
            "answer": "Known to us", "answered_by": world.police_pat, "answered_at": at,
            "days_to_answer": (answered - sent.date()).days,
        }  # fmt: skip
    InformationRequest.objects.create(
        authority=world.authority, child=world.child_sam, agency=agency,
        requested_by=world.sw_amy, sent_at=sent, question="Anything known?", due_date=due,
        **fields,
    )  # fmt: skip


@pytest.fixture
def requests(world):
    _request(world, world.police, due=date(2025, 5, 1), answered=date(2025, 5, 1))  # on the day
    _request(world, world.police, due=date(2025, 5, 1), answered=date(2025, 5, 2))  # a day late
    _request(world, world.police, due=date(2025, 5, 1))  # never answered: late
    _request(world, world.health, due=date(2025, 6, 1), answered=date(2025, 5, 20))
    _request(world, world.health, due=date(2027, 1, 1))  # due after the period


def _invitation(
    world, plan, practitioner, day, *, sent=None, kind=StepKind.CONFERENCE, attendance=""
):
    """``practitioner`` invited to the conference (or step) of ``day``, their report sent at
    noon on ``sent`` (or never)."""
    report = {}
    if sent is not None:
        at = timezone.make_aware(datetime.combine(sent, datetime.min.time().replace(hour=12)))
        report = {"known": "Known to us", "recommendation": "A plan", "reported_by": practitioner,
                  "reported_at": at}  # fmt: skip
    StepInvitation.objects.create(
        authority=world.authority, case=plan.case, child=plan.case.child, kind=kind,
        conference_kind=ConferenceKind.REVIEW if kind == StepKind.CONFERENCE else "",
        meeting_date=day, purpose="Review conference", agency=practitioner.agency,
        practitioner=practitioner, invited_by=world.sw_amy, attendance=attendance, **report,
    )  # fmt: skip


@pytest.fixture
def invitations(world, plan):
    pat, hana = world.police_pat, world.health_hana
    # Wednesday 14 May 2025: due Friday 9 May, sent that day: on time.
    _invitation(world, plan, pat, date(2025, 5, 14), sent=date(2025, 5, 9), attendance="attended")
    # Monday 2 June: due Wednesday 28 May (the weekend is not counted); sent the 29th: late.
    _invitation(world, plan, pat, date(2025, 6, 2), sent=date(2025, 5, 29))
    # Tuesday 27 May, after the spring bank holiday: due Wednesday 21 May; sent the 22nd: late.
    _invitation(world, plan, pat, date(2025, 5, 27), sent=date(2025, 5, 22))
    # Thursday 2 April 2026, after the period: due Monday 30 March, in it; sent on the 27th.
    _invitation(world, plan, pat, date(2026, 4, 2), sent=date(2026, 3, 27))
    # Wednesday 2 April 2025: due Friday 28 March, before the period: not counted.
    _invitation(world, plan, pat, date(2025, 4, 2), sent=date(2025, 4, 1))
    # A strategy discussion's contribution: not a conference report, not counted.
    _invitation(world, plan, pat, date(2025, 5, 14), kind=StepKind.STRATEGY)
    # Thursday 10 July: due Monday 7 July, never sent: late.
    _invitation(world, plan, hana, date(2025, 7, 10))
    # Wednesday 10 September: due Friday 5 September, sent on the 1st: on time.
    _invitation(world, plan, hana, date(2025, 9, 10), sent=date(2025, 9, 1))


def test_conference_reports_on_time_count_working_days_and_never_sent_reports(world, invitations):
    assert reports_sent_on_time(world.authority.pk, YEAR, AFTER) == [
        AgencyRow("Testshire Health Trust", 1, 2),
        AgencyRow("Testshire Police", 2, 4),
    ]


def test_a_report_not_sent_is_not_counted_until_its_due_day_has_passed(world, invitations):
    # On its due day (7 July) health's missing report is not late yet (only September's, sent,
    # is counted); the day after, it is.
    health = "Testshire Health Trust"
    on_the_day = reports_sent_on_time(world.authority.pk, YEAR, date(2025, 7, 7))
    assert AgencyRow(health, 1, 1) in on_the_day
    day_after = reports_sent_on_time(world.authority.pk, YEAR, date(2025, 7, 8))
    assert AgencyRow(health, 1, 2) in day_after


def test_attendance_by_named_agency_counts_the_invited_whose_attendance_was_recorded(world, plan):
    pat, hana, sid = world.police_pat, world.health_hana, world.school_sid
    _invitation(world, plan, pat, date(2025, 5, 14), attendance="attended")
    _invitation(world, plan, pat, date(2025, 6, 2), attendance="apologies")  # not attendance
    _invitation(world, plan, pat, date(2025, 7, 2))  # not recorded: not counted
    _invitation(world, plan, hana, date(2025, 5, 14), attendance="absent")
    _invitation(world, plan, hana, date(2025, 6, 2), attendance="attended")
    _invitation(world, plan, sid, date(2026, 4, 2), attendance="attended")  # after the period
    StepInvitation.objects.create(
        authority=world.authority, case=plan.case, child=plan.case.child, kind="conference",
        conference_kind="review", meeting_date=date(2025, 9, 1), purpose="x",
        agency=sid.agency, practitioner=sid, invited_by=world.sw_amy, attendance="attended",
        withdrawn_at=timezone.now(), withdrawn_by=world.sw_amy, withdrawal_reason="Moved",
    )  # fmt: skip  # withdrawn: not counted
    assert invited_attendance(world.authority.pk, YEAR, AFTER) == [
        AgencyRow("Testshire Health Trust", 1, 2),
        AgencyRow("Testshire Police", 1, 2),
    ]


def test_conference_attendance_counts_only_where_the_agency_was_expected(world, conferences):
    assert conference_attendance(world.authority.pk, YEAR, AFTER) == [
        AgencyRow("Children's social care", 2, 2),
        AgencyRow("Police", 2, 3),
        AgencyRow("Health", 2, 3),
        AgencyRow("Education", 1, 2),
    ]


def test_plan_actions_by_owning_agency_or_its_staff(world, actions):
    assert plan_actions_on_time(world.authority.pk, YEAR, AFTER) == [
        AgencyRow(world.csc.name, 1, 1),
        AgencyRow("Testshire Health Trust", 0, 1),
        AgencyRow("Testshire Police", 1, 3),
    ]


def test_an_open_action_not_yet_past_its_due_date_is_not_counted(world, actions):
    # On 10 July 2025 the officer's action is due today: not yet late.
    rows = plan_actions_on_time(world.authority.pk, YEAR, date(2025, 7, 10))
    assert AgencyRow("Testshire Police", 1, 2) in rows


def test_requests_answered_on_time_use_the_response_times_definition(world, requests):
    assert requests_answered_on_time(world.authority.pk, YEAR, AFTER) == [
        AgencyRow("Testshire Health Trust", 1, 1),
        AgencyRow("Testshire Police", 1, 3),
    ]
    # On the due date itself, the open request is not yet late.
    rows = requests_answered_on_time(world.authority.pk, YEAR, date(2025, 5, 1))
    assert AgencyRow("Testshire Police", 1, 2) in rows


def test_another_authoritys_records_are_not_counted(
    world, conferences, actions, requests, invitations
):
    assert all(not rows for _, rows in partner_figures(
        authority_id=world.other_authority.pk, period=YEAR, today=AFTER
    ))  # fmt: skip


def test_a_fixed_number_of_queries_one_a_figure(world, conferences, actions, requests, invitations):
    with CaptureQueriesContext(connection) as few:
        partner_figures(authority_id=world.authority.pk, period=YEAR, today=AFTER)
    plan = ChildProtectionPlan.objects.get()
    for i in range(10):
        _conference(world, plan, date(2025, 10, 1 + i), {"Police": True, "Other": i % 2 == 0})
        _action(plan, due=date(2025, 10, 1 + i), owner_agency=world.health)
        _request(world, world.health, due=date(2025, 10, 1 + i))
        _invitation(world, plan, world.school_sid, date(2025, 10, 6 + i), sent=date(2025, 9, 1),
                    attendance="attended" if i % 2 else "apologies")  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        figures = partner_figures(authority_id=world.authority.pk, period=YEAR, today=AFTER)
    assert len(few) == len(many) == len(FIGURES)
    assert AgencyRow("Other", 5, 10) in figures[0][1]
    by_id = {figure.id: rows for figure, rows in figures}
    assert AgencyRow(world.school_sid.agency.name, 10, 10) in by_id["conference-reports"]
    assert AgencyRow(world.school_sid.agency.name, 5, 10) in by_id["invited-attendance"]


def test_the_page_and_its_csv_show_each_figure_with_its_numerator_and_denominator(
    world, client, conferences, actions, requests, invitations
):
    client.force_login(world.tm_carol)
    dashboard = client.get(reverse("performance:dashboard")).content.decode()
    assert reverse("performance:partners") in dashboard
    query = "?from=2025-04-01&to=2026-03-31"
    page = client.get(reverse("performance:partners") + query).content.decode()
    for figure in FIGURES:
        assert figure.title in page and figure.numerator in page and figure.denominator in page
    assert "66.7%" in page  # the police's and health's attendance, 2 of 3
    response = client.get(reverse("performance:partners") + query + "&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    police = {r["figure"]: r for r in rows if r["agency"] in ("Police", "Testshire Police")}
    assert {(f, r["numerator"], r["denominator"], r["rate"]) for f, r in police.items()} == {
        ("Conference attendance", "2", "3", "66.7%"),
        ("Conference attendance by named agency", "1", "1", "100.0%"),
        ("Conference reports sent on time", "2", "4", "50.0%"),
        ("Plan actions done on time", "1", "3", "33.3%"),
        ("Information requests answered on time", "1", "3", "33.3%"),
    }
    same = client.get(reverse("performance:partners-csv") + query)
    assert same.content == response.content


def test_with_no_period_asked_for_the_figures_are_the_twelve_months_to_today(world, client):
    """Not the last census year, as the indicators are: the partnership watches its
    agencies' part as it goes."""
    client.force_login(world.tm_carol)
    today = timezone.localdate()
    period = twelve_months_to(today)
    assert period.end == today and (period.end - period.start).days in (364, 365)
    page = client.get(reverse("performance:partners")).content.decode()
    assert f'value="{period.start.isoformat()}"' in page
    assert f'value="{today.isoformat()}"' in page
    response = client.get(reverse("performance:partners-csv"))
    assert response.headers["Content-Disposition"].endswith(f'-{period.start}-{today}.csv"')


def test_a_social_worker_does_not_see_them(world, client):
    client.force_login(world.sw_amy)
    assert client.get(reverse("performance:partners")).status_code == 403
    assert client.get(reverse("performance:partners-csv")).status_code == 403


def test_the_partnership_report_is_a_pdf_with_the_period_definitions_and_figures(
    world, client, conferences, invitations, monkeypatch
):
    from reportlab import rl_config

    # Read with its text uncompressed (a compressed stream may hold any bytes by chance).
    monkeypatch.setattr(rl_config, "pageCompression", 0)
    client.force_login(world.tm_carol)
    query = "?from=2025-04-01&to=2026-03-31"
    page = client.get(reverse("performance:partners") + query).content.decode()
    assert reverse("performance:partners-pdf") + "?" in page
    response = client.get(reverse("performance:partners-pdf") + query)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="partner-figures-2025-04-01-2026-03-31.pdf"'
    )
    content = response.content
    assert content.startswith(b"%PDF")
    assert b"1 April 2025 to 31 March 2026" in content
    assert b"Conference reports sent on time" in content and b"working days" in content
    assert b"Testshire Police" in content and b"50.0%" in content  # its reports: 2 of 4
    assert b"Sam" not in content and b"Smith" not in content
    same = client.get(reverse("performance:partners") + query + "&format=pdf")
    assert same["Content-Type"] == "application/pdf"
    client.force_login(world.sw_amy)
    assert client.get(reverse("performance:partners-pdf") + query).status_code == 403
