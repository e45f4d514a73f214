"""Backlog review exercises (issue 14 item 6): the filters choose the right cases, the cases
are spread among the reviewers, each outcome makes its step on the child's file through the
owning app's service, only the assigned reviewer reviews, the opener sees progress, the
summary counts, and the pages make a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.backlog import selectors, services
from safeguard.backlog.models import ExerciseCase, Outcome, OutcomeKind, Risk
from safeguard.backlog.selectors import Filters
from safeguard.backlog.tests.steps import REFERRED, exercise, open_cases
from safeguard.casework import services as casework
from safeguard.casework.models import Allocation, Case, CaseNote, ChronologyEntry
from safeguard.casework.services import case_priority_change
from safeguard.core.errors import ApplicationError
from safeguard.core.workdays import add_working_days, working_days_between
from safeguard.notices.models import Notice
from safeguard.people.tests.sealing import seal
from safeguard.timescales.models import DueEntry

pytestmark = pytest.mark.django_db


def _item(ex, child) -> ExerciseCase:
    return ExerciseCase.objects.select_related("exercise", "case").get(
        exercise=ex, case__child=child
    )


def _review(world, item, *, by=None, risk=Risk.MEDIUM, outcomes, **extra) -> ExerciseCase:
    return services.review_record(
        by=by or world.sw_amy, item=item, risk=risk, outcomes=outcomes,
        rationale=extra.pop("rationale", "Read the file; spoke to the school."), **extra,
    )  # fmt: skip


def _chosen(world, filters: Filters) -> set[str]:
    return {
        c.child.given_names
        for c in Case.objects.filter(
            pk__in=[
                c.pk
                for c in selectors.choose_cases(world.tm_carol, filters, on=timezone.localdate())
            ]
        ).select_related("child")
    }


# --- Choosing the cases -------------------------------------------------------------------------


def test_no_filter_chooses_every_open_case_and_unallocated_leaves_out_held_ones(world):
    open_cases(world)
    assert _chosen(world, Filters()) == {"Sam", "Sally", "Tom"}
    assert _chosen(world, Filters(unallocated=True)) == {"Sam", "Sally"}


def test_the_team_filter_chooses_the_team_answerable_for_the_case(world):
    open_cases(world)
    assert _chosen(world, Filters(team=world.team_b)) == {"Tom"}


def test_the_priority_filter(world):
    cases = open_cases(world)
    case_priority_change(
        by=world.tm_carol, case=cases["Sally"], priority="red", reason="Injury reported"
    )
    assert _chosen(world, Filters(priorities=("red",))) == {"Sally"}
    assert _chosen(world, Filters(priorities=("red", selectors.UNRATED))) == {"Sam", "Sally", "Tom"}
    assert _chosen(world, Filters(priorities=("green",))) == set()


def test_the_overdue_filter_chooses_cases_with_an_overdue_item(world):
    cases = open_cases(world)
    today = timezone.localdate()
    for name in ("Sam", "Tom"):
        assert DueEntry.objects.filter(case=cases[name], due_date__lt=today).exists()
    DueEntry.objects.filter(case=cases["Sally"]).delete()
    assert _chosen(world, Filters(overdue=True)) == {"Sam", "Tom"}


def test_the_unseen_filter_leaves_out_a_child_seen_lately(world):
    cases = open_cases(world)
    seen = timezone.localdate() - timedelta(days=3)
    casework.visit_record(
        by=world.sw_amy, case=cases["Sam"], kind="home", visit_date=seen, child_seen=True
    )
    assert _chosen(world, Filters(unseen_days=30)) == {"Sally", "Tom"}
    assert _chosen(world, Filters(unseen_days=2)) == {"Sam", "Sally", "Tom"}


def test_the_list_is_frozen_at_opening(world):
    ex = exercise(world, filters=Filters(unallocated=True))
    assert set(ex.cases.values_list("case__child__given_names", flat=True)) == {"Sam", "Sally"}
    casework.case_open(
        by=world.sw_amy, child=world.unborn, referral_date=REFERRED, referral_source="6"
    )
    assert ex.cases.count() == 2


def test_a_filter_nothing_meets_is_refused(world):
    open_cases(world)
    with pytest.raises(ApplicationError, match="No open case"):
        services.exercise_open(
            by=world.tm_carol, filters=Filters(priorities=("green",)), reviewers=[world.sw_amy]
        )


def test_only_managers_open_and_reviewers_are_recorders(world):
    open_cases(world)
    with pytest.raises(PermissionDenied):
        services.exercise_open(by=world.sw_amy, filters=Filters(), reviewers=[world.sw_amy])
    with pytest.raises(ApplicationError, match="cannot review"):
        services.exercise_open(by=world.tm_carol, filters=Filters(), reviewers=[world.analyst_eve])


# --- Reviewers ----------------------------------------------------------------------------------


def test_cases_are_spread_evenly_in_priority_order(world):
    ex = exercise(world, reviewers=[world.sw_amy, world.sw_ben])
    counts = {}
    for item in ex.cases.all():
        counts[item.reviewer_id] = counts.get(item.reviewer_id, 0) + 1
    assert sorted(counts.values()) == [1, 2]
    assert set(counts) == {world.sw_amy.pk, world.sw_ben.pk}


def test_by_hand_leaves_them_unassigned_until_the_opener_assigns(world, client):
    ex = exercise(world, reviewers=[world.sw_amy, world.sw_ben], spread=False)
    assert not ex.cases.filter(reviewer__isnull=False).exists()
    item = _item(ex, world.child_sam)
    url = reverse("backlog:assign", args=[ex.pk, item.pk])
    client.force_login(world.tm_carol)
    response = client.post(url, {"reviewer": world.sw_ben.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.reviewer == world.sw_ben
    # Only the exercise's reviewers.
    response = client.post(url, {"reviewer": world.sw_amy.pk * 1000})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.reviewer == world.sw_ben


def test_a_reviewer_reviews_only_the_cases_assigned_to_them(world, client):
    ex = exercise(world, reviewers=[world.sw_amy, world.sw_ben])
    bens = ex.cases.filter(reviewer=world.sw_ben).select_related("case").first()
    amys = ex.cases.filter(reviewer=world.sw_amy).select_related("case").first()
    with pytest.raises(PermissionDenied):
        _review(world, bens, by=world.sw_amy, outcomes=[OutcomeKind.NO_FURTHER_ACTION])
    client.force_login(world.sw_ben)
    url = reverse("backlog:review", args=[ex.pk, amys.pk])
    assert client.get(url).status_code == 403
    data = {"risk": "low", "outcomes": ["nfa"], "rationale": "Nothing more to do"}
    assert client.post(url, data).status_code == 403
    amys.refresh_from_db()
    assert not amys.reviewed
    # Ben's own case: reviewed once, then no more.
    url = reverse("backlog:review", args=[ex.pk, bens.pk])
    assert client.post(url, data).status_code == 302
    bens.refresh_from_db()
    assert bens.reviewed and bens.reviewed_by == world.sw_ben
    assert client.post(url, data).status_code == 403


def test_the_reviewer_sees_their_cases_and_the_opener_sees_progress(world, client):
    ex = exercise(world, reviewers=[world.sw_amy, world.sw_ben])
    amys = ex.cases.filter(reviewer=world.sw_amy).select_related("case").first()
    _review(world, amys, outcomes=[OutcomeKind.POLICE], risk=Risk.HIGH)
    client.force_login(world.tm_carol)
    page = client.get(reverse("backlog:exercise", args=[ex.pk])).content.decode()
    progress = page.split('id="progress"', 1)[1].split("</table>", 1)[0]
    assert "Amy Adeyemi" in progress and "Ben Bailey" in progress
    rows = {r.reviewer.first_name: (r.total, r.reviewed, r.left) for r in selectors.progress(ex)}
    assert rows == {"Amy": (2, 1, 1), "Ben": (1, 0, 1)}
    cases = page.split('id="cases"', 1)[1]
    assert all(name in cases for name in ("Sam Smith", "Sally Smith", "Tom Jones"))
    client.force_login(world.sw_ben)
    page = client.get(reverse("backlog:exercise", args=[ex.pk])).content.decode()
    cases = page.split('id="cases"', 1)[1]
    bens = ex.cases.get(reviewer=world.sw_ben).case.child.full_name
    assert bens in cases
    assert reverse("backlog:review", args=[ex.pk, ex.cases.get(reviewer=world.sw_ben).pk]) in cases


def test_a_sealed_child_is_left_out_of_the_list_and_counted(world, client):
    ex = exercise(world, reviewers=[world.sw_amy, world.sw_ben])
    seal(world, world.child_sam, world.sw_amy)
    client.force_login(world.sm_dan)
    page = client.get(reverse("backlog:exercise", args=[ex.pk])).content.decode()
    assert "Sam Smith" not in page
    assert "1 case of restricted records is not shown" in page


# --- Each outcome makes its step ----------------------------------------------------------------


def test_close_asks_the_case_manager_through_casework(world):
    """A reviewer's "close" goes through casework's closure, which the case's line manager
    authorises (decision 0041): the outcome names the request, and the case closes only when
    it is authorised."""
    from safeguard.casework.models import AuthorisationRequest
    from safeguard.testing.decisions import authorise

    ex = exercise(world)
    item = _item(ex, world.child_sam)
    _review(world, item, outcomes=[OutcomeKind.CLOSE], closure_reason="RC7", risk=Risk.LOW)
    outcome = Outcome.objects.get(exercise_case=item)
    asked = AuthorisationRequest.objects.get(pk=outcome.record_id)
    assert (outcome.kind, outcome.record_type) == ("close", "casework.authorisationrequest")
    case = Case.objects.get(pk=item.case_id)
    assert case.closure_date is None and asked.case_id == case.pk
    authorise(asked)
    case.refresh_from_db()
    assert case.closure_date == timezone.localdate() and case.closure_reason == "RC7"
    assert ChronologyEntry.objects.filter(case=case, what__startswith="Case closed").exists()


def _note_outcome(world, kind, subject_start):
    ex = exercise(world)
    item = _item(ex, world.child_sam)
    _review(world, item, outcomes=[kind], rationale="Concerns about the home")
    outcome = Outcome.objects.get(exercise_case=item)
    note = CaseNote.objects.get(pk=outcome.record_id)
    assert outcome.kind == kind and outcome.record_type == "casework.casenote"
    assert note.case_id == item.case_id and note.significant
    assert note.subject.startswith(subject_start) and note.text == "Concerns about the home"
    assert ChronologyEntry.objects.filter(
        source_type="casework.casenote", source_id=str(note.pk)
    ).exists()
    return item, outcome


def test_no_further_action_is_written_on_the_file(world):
    _item_, outcome = _note_outcome(
        world, OutcomeKind.NO_FURTHER_ACTION, "Backlog review: no further action"
    )
    assert outcome.due_date is None
    assert Case.objects.get(pk=_item_.case_id).closure_date is None


def test_refer_to_the_police_is_written_on_the_file_and_chronology(world):
    _note_outcome(world, OutcomeKind.POLICE, "Backlog review: referred to the police")


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        (OutcomeKind.HOME_VISIT, "Backlog review: home visit to be made by"),
        (OutcomeKind.STRATEGY, "Backlog review: strategy discussion to be held by"),
        (OutcomeKind.CONFERENCE, "Backlog review: initial child protection conference requested"),
    ],
)
def test_a_task_outcome_is_set_on_the_file_with_its_owner_told(world, kind, subject):
    world.team_a.manager = world.tm_carol
    world.team_a.save()
    item, outcome = _note_outcome(world, kind, subject)
    # Sam waits unallocated in Team A: the task goes to its manager, who is told.
    today = timezone.localdate()
    assert outcome.owner == world.tm_carol
    assert outcome.due_date == add_working_days(today, 5)
    assert Notice.objects.filter(
        user=world.tm_carol, subject__icontains=kind.label.lower()
    ).exists()


def test_a_task_on_a_held_case_goes_to_its_worker_and_high_risk_is_due_next_working_day(world):
    ex = exercise(world)
    item = _item(ex, world.child_tom)
    _review(world, item, outcomes=[OutcomeKind.HOME_VISIT], risk=Risk.HIGH)
    outcome = Outcome.objects.get(exercise_case=item)
    assert outcome.owner == world.sw_ben
    assert outcome.due_date == add_working_days(timezone.localdate(), 1)


def test_allocate_allocates_through_casework(world):
    ex = exercise(world)
    item = _item(ex, world.child_sally)
    _review(
        world, item, outcomes=[OutcomeKind.ALLOCATE, OutcomeKind.HOME_VISIT], worker=world.sw_amy
    )
    allocation = Allocation.objects.get(case_id=item.case_id, end_date__isnull=True)
    assert allocation.worker == world.sw_amy and allocation.team == world.team_a
    assert allocation.reason.startswith("Allocated at the backlog review")
    kinds = dict(Outcome.objects.filter(exercise_case=item).values_list("kind", "record_type"))
    assert kinds == {"allocate": "casework.allocation", "home_visit": "casework.casenote"}
    # The visit task goes to the worker just allocated.
    assert Outcome.objects.get(exercise_case=item, kind="home_visit").owner == world.sw_amy


@pytest.mark.parametrize(
    ("outcomes", "extra", "message"),
    [
        ([], {}, "at least one outcome"),
        (["close", "home_visit"], {"closure_reason": "RC7"}, "cannot go with"),
        (["nfa", "allocate"], {}, "cannot go with"),
        (["close", "nfa"], {"closure_reason": "RC7"}, "cannot go with"),
        (["close"], {}, "reason for closing"),
        (["allocate"], {}, "worker to allocate"),
    ],
)
def test_a_review_that_does_not_hold_together_is_refused_and_nothing_is_kept(
    world, outcomes, extra, message
):
    ex = exercise(world)
    item = _item(ex, world.child_sam)
    notes = CaseNote.objects.count()
    with pytest.raises(ApplicationError, match=message):
        _review(world, item, outcomes=outcomes, **extra)
    item.refresh_from_db()
    assert not item.reviewed and CaseNote.objects.count() == notes
    assert not Outcome.objects.exists()


def test_a_step_the_owning_app_refuses_undoes_the_whole_review(world):
    ex = exercise(world)
    item = _item(ex, world.child_sam)
    casework.cin_plan_start(by=world.sw_amy, case=item.case, start_date=REFERRED)
    notes = CaseNote.objects.count()
    with pytest.raises(ApplicationError, match="cannot be closed"):
        _review(world, item, outcomes=[OutcomeKind.POLICE, OutcomeKind.CLOSE], closure_reason="RC7")
    item.refresh_from_db()
    assert not item.reviewed and CaseNote.objects.count() == notes and not Outcome.objects.exists()
    assert Case.objects.get(pk=item.case_id).closure_date is None


def test_the_review_page_records_a_review(world, client):
    ex = exercise(world)
    item = _item(ex, world.child_sally)
    client.force_login(world.sw_amy)
    url = reverse("backlog:review", args=[ex.pk, item.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"risk": "high", "outcomes": ["strategy", "police"], "rationale": "Bruising seen"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.risk == "high" and item.rationale == "Bruising seen"
    assert set(item.outcomes.values_list("kind", flat=True)) == {"strategy", "police"}


# --- The summary --------------------------------------------------------------------------------


def test_the_summary_counts_outcomes_risk_time_and_cases_left(world, client, monkeypatch):
    opened = date(2026, 11, 2)
    cases = open_cases(world)
    casework.case_open(
        by=world.sw_amy, child=world.unborn, referral_date=REFERRED, referral_source="6"
    )
    ex = services.exercise_open(
        by=world.tm_carol, filters=Filters(), reviewers=[world.sw_amy], today=opened
    )
    assert ex.cases.count() == 4
    sam, sally, tom = (_item(ex, c) for c in (world.child_sam, world.child_sally, world.child_tom))
    _review(world, sam, outcomes=["close", "police"], closure_reason="RC7", risk=Risk.LOW,
            today=date(2026, 11, 4))  # fmt: skip
    _review(world, sally, outcomes=["strategy", "police", "home_visit"], risk=Risk.HIGH,
            today=date(2026, 11, 9))  # fmt: skip
    _review(world, tom, outcomes=["home_visit"], risk=Risk.HIGH, today=date(2026, 11, 16))
    casework.visit_record(
        by=world.sw_ben, case=cases["Tom"], kind="home", visit_date=date(2026, 11, 17),
        child_seen=True,
    )  # fmt: skip
    summary = selectors.summary(ex, on=date(2026, 11, 20))
    assert (summary.total, summary.reviewed, summary.left) == (4, 3, 1)
    assert dict(summary.by_outcome) == {
        "Close the case": 1, "No further action": 0, "Home visit": 2,
        "Strategy discussion": 1, "Request an initial child protection conference": 0,
        "Refer to the police": 2, "Allocate": 0,
    }  # fmt: skip
    assert dict(summary.by_risk) == {"High": 2, "Medium": 0, "Low": 1}
    assert summary.visits_made == 1
    # Still under way: counted to the day read.
    assert not summary.finished
    assert summary.working_days == working_days_between(opened, date(2026, 11, 20))
    mary = ex.cases.get(case__child=world.unborn)
    mary.exercise = ex
    mary.case = Case.objects.get(pk=mary.case_id)
    _review(world, mary, outcomes=["nfa"], risk=Risk.MEDIUM, today=date(2026, 11, 23))
    summary = selectors.summary(ex, on=date(2026, 12, 1))
    assert summary.finished and summary.left == 0
    assert summary.working_days == working_days_between(opened, date(2026, 11, 23)) == 15
    client.force_login(world.tm_carol)
    page = client.get(reverse("backlog:summary", args=[ex.pk])).content.decode()
    assert 'id="reviewed">4</span>' in page and 'id="left">0</span>' in page
    pdf = client.get(reverse("backlog:summary", args=[ex.pk]) + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # Counts only, never a child's name: read with its text uncompressed (a compressed stream
    # may hold any three bytes by chance).
    from reportlab import rl_config

    monkeypatch.setattr(rl_config, "pageCompression", 0)
    plain = client.get(reverse("backlog:summary", args=[ex.pk]) + "?format=pdf").content
    assert b"Refer to the police" in plain
    assert b"Sam" not in plain and b"Smith" not in plain


# --- Queries ------------------------------------------------------------------------------------


def _more_cases(world, n):
    for i in range(n):
        child = world.child_sam.__class__.objects.create(
            authority=world.authority, given_names=f"Extra{i}", family_name="Child",
            date_of_birth=date(2016, 1, 1),
        )  # fmt: skip
        casework.case_open(
            by=world.sw_amy, child=child, referral_date=REFERRED, referral_source="6"
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["backlog:exercises", "backlog:exercise", "backlog:summary"])
def test_pages_make_a_fixed_number_of_queries(world, client, page):
    """The same number of queries for an exercise of 3 cases and one of 12, some reviewed."""
    counts = []
    for extra in (0, 9):
        _more_cases(world, extra)
        ex = exercise(world, reviewers=[world.sw_amy, world.sw_ben])
        for item in ex.cases.filter(reviewer=world.sw_amy).select_related("case")[:2]:
            item.exercise = ex
            _review(world, item, outcomes=["police"])
        client.force_login(world.tm_carol)
        url = reverse(page) if page == "backlog:exercises" else reverse(page, args=[ex.pk])
        client.get(url)  # warm the session
        counts.append(_count(client, url))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 20


def test_the_open_page_opens_an_exercise_over_the_filtered_cases(world, client):
    open_cases(world)
    client.force_login(world.tm_carol)
    url = reverse("backlog:open")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"unallocated": "on", "team": world.team_a.pk, "spread": "even",
         "reviewers": [world.sw_amy.pk, world.sw_ben.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    ex = ExerciseCase.objects.first().exercise
    assert response["Location"] == reverse("backlog:exercise", args=[ex.pk])
    names = set(ex.cases.values_list("case__child__given_names", flat=True))
    assert names == {"Sam", "Sally"}
    assert ex.filters["unallocated"] and ex.filters["team_name"] == world.team_a.name
    # Nothing meets these: refused with a message, nothing stored.
    response = client.post(
        url, {"priorities": ["green"], "spread": "even", "reviewers": [world.sw_amy.pk]}
    )
    assert response.status_code == 400
    assert "No open case meets these filters" in response.content.decode()
    assert ExerciseCase.objects.count() == 2


def test_the_cases_are_listed_a_page_at_a_time_and_only_those_shown_are_logged(
    world, client, monkeypatch
):
    """An exercise of about 400 cases (2009's) is read a page at a time: each page logs access
    only for the children it shows, and the pages link to each other."""
    from safeguard.audit.models import AccessEvent

    monkeypatch.setattr(selectors, "CASES_PAGE_SIZE", 2)
    ex = exercise(world)
    order = list(ex.cases.order_by("position").values_list("case__child_id", flat=True))
    assert len(order) == 3
    client.force_login(world.tm_carol)
    url = reverse("backlog:exercise", args=[ex.pk])
    pages = {}
    for number in (1, 2):
        before = AccessEvent.objects.count()
        response = client.get(url, {"page": number})
        assert response.status_code == 200
        pages[number] = [r.case.child_id for r in response.context["rows"]]
        logged = set(
            AccessEvent.objects.order_by("sequence")[before:].values_list("person_id", flat=True)
        )
        assert logged == set(pages[number])
    assert pages == {1: order[:2], 2: order[2:]}
    first = client.get(url).content.decode()
    assert 'rel="next"' in first and "Page 1 of 2" in first
    last = client.get(url, {"page": 2}).content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last
    # A page past the end, or not a number, is the nearest page, not an error.
    assert client.get(url, {"page": 9}).context["page"].number == 2
    assert client.get(url, {"page": "x"}).context["page"].number == 1
