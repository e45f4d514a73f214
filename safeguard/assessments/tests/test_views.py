"""The assessment pages: each renders for those who may use it and logs the child's access
once; good input is stored and leads back to the case; bad input is shown again with a
clear error and nothing is stored."""

import html
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.assessments.models import Assessment
from safeguard.assessments.services import assessment_start
from safeguard.assessments.tests.steps import (
    REFERRED,
    STARTED,
    assessment_of_sam,
    authorise,
    case_of_sam,
    submit,
    submitted_assessment_of_sam,
)
from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.audit.testing import clear_access_log
from safeguard.casework.models import Case, ChronologyEntry
from safeguard.core.workdays import working_days_between
from safeguard.testing.journey import open_case

pytestmark = pytest.mark.django_db


def _date(name: str, day: date) -> dict:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def _counts():
    return (
        Assessment.objects.count(),
        ChronologyEntry.objects.count(),
        ChangeEvent.objects.count(),
        tuple(Assessment.objects.order_by("pk").values_list("version", flat=True)),
        tuple(Case.objects.order_by("pk").values_list("version", "primary_need")),
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _assert_refused(response, message: str, before) -> None:
    assert response.status_code == 200
    text = _text(response)
    assert "There is a problem" in text
    assert "govuk-error-summary" in text
    assert message in text
    assert _counts() == before


def _codes_shown(text: str, *codes: str) -> list[str]:
    """The factor codes a reader sees as words of their own in the page: in its text, not in
    its tags (a checkbox's value is the code) or inside another token."""
    shown = re.sub(r"<[^>]*>", " ", text)
    return [code for code in codes if re.search(rf"(?<![\w-]){code}(?![\w-])", shown)]


def _child_events():
    return Counter(AccessEvent.objects.values_list("person_id", flat=True))


# --- Pages render and log the child's access once ---------------------------------------------


PAGES = [
    ("assessments:start", "case", "sw_amy", "Start an assessment", "edit"),
    ("assessments:detail", "assessment", "sw_amy", "Child and family assessment", "view"),
    ("assessments:write", "assessment", "sw_amy", "Write the assessment", "edit"),
    ("assessments:seen", "assessment", "sw_amy", "Record when the child was seen", "edit"),
    ("assessments:authorise", "submitted", "tm_carol", "Authorise the assessment", "edit"),
]


@pytest.mark.parametrize(("name", "target", "who", "heading", "purpose"), PAGES)
def test_page_renders_with_the_child_as_caption_and_logs_one_access(
    world, client, name, target, who, heading, purpose
):
    if target == "case":
        kwargs = {"case_id": case_of_sam(world).pk}
    elif target == "submitted":
        kwargs = {"assessment_id": submitted_assessment_of_sam(world).pk}
    else:
        kwargs = {"assessment_id": assessment_of_sam(world).pk}
    clear_access_log()
    client.force_login(getattr(world, who))
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    text = _text(response)
    assert '<span class="govuk-caption-l">Sam Smith</span>' in text
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in text
    assert _child_events() == Counter({world.child_sam.pk: 1})
    event = AccessEvent.objects.get()
    assert (event.user, event.purpose) == (getattr(world, who), purpose)


def test_start_defaults_to_the_single_assessment_and_today(world, client):
    case = case_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.get(reverse("assessments:start", args=[case.pk]))
    text = _text(response)
    today = timezone.localdate()
    assert '<input type="hidden" name="kind" value="single"' in text
    assert "Child and family assessment" in text
    assert f'name="start_date_day" value="{today.day}"' in text
    assert f'name="start_date_year" value="{today.year}"' in text


def test_start_offers_initial_and_core_under_the_2010_rule_set_with_initial_chosen(world, client):
    world.authority.rule_set = "wt2010"
    world.authority.save()
    case = case_of_sam(world)
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("assessments:start", args=[case.pk])))
    assert 'name="kind" value="initial" class="govuk-radios__input" id="id_kind_0" checked' in text
    assert 'name="kind" value="core" class="govuk-radios__input" id="id_kind_1" required>' in text
    assert 'value="single"' not in text


def test_another_authoritys_assessment_is_not_found(world, client):
    other_case = open_case(world, world.outsider, received=REFERRED, by=world.other_sw)
    other = assessment_start(by=world.other_sw, case=other_case, kind="single", start_date=STARTED)
    client.force_login(world.tm_carol)
    for name in ("assessments:seen", "assessments:authorise"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    assert client.get(reverse("assessments:start", args=[other_case.pk])).status_code == 404
    assert AccessEvent.objects.count() == 0


# --- Start ------------------------------------------------------------------------------------


def test_start_stores_the_assessment_and_returns_to_the_case(world, client):
    case = case_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.post(
        reverse("assessments:start", args=[case.pk]),
        {"kind": "single", **_date("start_date", STARTED)},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assessment = Assessment.objects.get(case=case)
    assert (assessment.kind, assessment.start_date, assessment.created_by) == (
        "single",
        STARTED,
        world.sw_amy,
    )
    assert ChangeEvent.objects.filter(target_id=str(assessment.pk), verb="created").count() == 1


BAD_STARTS = [
    (
        {"start_date_day": "", "start_date_month": "", "start_date_year": ""},
        "Enter the date the assessment started",
    ),
    ({"start_date_month": ""}, "must include a month"),
    ({"start_date_day": "31", "start_date_month": "2"}, "must be a real date"),
    ("future", "The assessment start date cannot be in the future"),
    (
        _date("start_date", REFERRED - timedelta(days=1)),
        "cannot be before the referral (06 January 2025)",
    ),
    ({"kind": "initial"}, "Choose a kind of assessment this authority uses"),
    ({"kind": "nonsense"}, "Choose a kind of assessment this authority uses"),
    ({"kind": ""}, "Choose the kind of assessment"),
]


@pytest.mark.parametrize(("change", "message"), BAD_STARTS)
def test_start_refuses_bad_input(world, client, change, message):
    case = case_of_sam(world)
    client.force_login(world.sw_amy)
    if change == "future":
        change = _date("start_date", _tomorrow())
    before = _counts()
    data = {"kind": "single", **_date("start_date", STARTED), **change}
    response = client.post(reverse("assessments:start", args=[case.pk]), data)
    _assert_refused(response, message, before)


def test_start_refuses_a_second_assessment_while_one_is_in_progress(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.sw_amy)
    before = _counts()
    response = client.post(
        reverse("assessments:start", args=[assessment.case_id]),
        {"kind": "single", **_date("start_date", STARTED)},
    )
    _assert_refused(response, "An assessment is already in progress on this case", before)


def test_an_empty_post_shows_what_is_missing(world, client):
    case = case_of_sam(world)
    client.force_login(world.sw_amy)
    before = _counts()
    response = client.post(reverse("assessments:start", args=[case.pk]), {})
    _assert_refused(response, "Enter the date the assessment started", before)


# --- Child seen -------------------------------------------------------------------------------


def test_seen_records_the_date_and_seen_alone(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.sw_amy)
    seen = date(2025, 1, 9)
    response = client.post(
        reverse("assessments:seen", args=[assessment.pk]),
        {**_date("child_seen_date", seen), "child_seen_alone": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{assessment.case_id}/"
    assessment.refresh_from_db()
    assert (assessment.child_seen_date, assessment.child_seen_alone) == (seen, True)
    assert ChangeEvent.objects.filter(target_id=str(assessment.pk), verb="updated").count() == 1


BAD_SEEN = [
    ({}, "Enter the date the child was seen"),
    ({"child_seen_date_year": "25"}, "Year must include 4 numbers"),
    ("future", "The date the child was seen cannot be in the future"),
    (_date("child_seen_date", REFERRED - timedelta(days=3)), "cannot be before the referral"),
    (_date("child_seen_date", REFERRED), "The child was seen before the assessment started"),
]


@pytest.mark.parametrize(("change", "message"), BAD_SEEN)
def test_seen_refuses_bad_input(world, client, change, message):
    assessment = assessment_of_sam(world)
    client.force_login(world.sw_amy)
    if change == "future":
        change = _date("child_seen_date", _tomorrow())
    data = (
        change
        if not change or "child_seen_date_day" in change
        else {**_date("child_seen_date", date(2025, 1, 9)), **change}
    )
    before = _counts()
    response = client.post(reverse("assessments:seen", args=[assessment.pk]), data)
    _assert_refused(response, message, before)


# --- Writing and submitting -------------------------------------------------------------------


WRITTEN_POST = {
    "developmental_needs": "Speech is behind; often hungry at school.",
    "parenting_capacity": "Mother is warm but routines have broken down.",
    "family_environment": "Overcrowded flat and rent arrears.",
    "history": "Two earlier contacts from school.",
    "wishes_and_feelings": "“I don't like the shouting.”",
    "analysis": "Neglect linked to low mood and money worries.",
    "recommendation": "A child in need plan.",
    "factors": ["4B", "16A"],
    "primary_need": "N1",
    "outcome": "cin_plan",
}


def _authorisations():
    from safeguard.assessments.models import AssessmentAuthorisation

    return AssessmentAuthorisation.objects.count()


def test_the_worker_saves_part_of_the_assessment_and_comes_back_to_it(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.sw_amy)
    url = reverse("assessments:write", args=[assessment.pk])
    response = client.post(url, {"save": "1", "history": "Two earlier contacts from school."})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:detail", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.history == "Two earlier contacts from school."
    assert (assessment.stage, assessment.submitted_at) == ("writing", None)
    # The next sitting starts from what was saved.
    text = _text(client.get(url))
    assert "Two earlier contacts from school.</textarea>" in text
    assert "Save and come back later" in text and "Submit for authorisation" in text


def test_the_write_page_restores_unsaved_typing_from_the_draft(world, client):
    """Decision 0004: typing not yet saved is kept on the server and shown again, even
    without JavaScript."""
    assessment = assessment_of_sam(world)
    client.force_login(world.sw_amy)
    url = reverse("assessments:write", args=[assessment.pk])
    saved = client.post(
        reverse("core:draft-save"), {"_draft_key": url, "analysis": "Half a thought about"}
    )
    assert saved.status_code == 200
    text = _text(client.get(url))
    assert "Half a thought about</textarea>" in text
    assert "Restored your draft" in text


def test_the_worker_submits_the_whole_assessment(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.post(
        reverse("assessments:write", args=[assessment.pk]), {**WRITTEN_POST, "submit": "1"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.stage, assessment.submitted_by) == ("submitted", world.sw_amy)
    assert assessment.submitted_at is not None
    assert (assessment.factors, assessment.primary_need, assessment.outcome) == (
        ["4B", "16A"],
        "N1",
        "cin_plan",
    )
    assert assessment.wishes_and_feelings == "“I don't like the shouting.”"
    assert assessment.completed_date is None  # the manager completes it
    # Submitted, it is with the manager: the worker cannot change it.
    before = _counts()
    response = client.post(
        reverse("assessments:write", args=[assessment.pk]), {**WRITTEN_POST, "save": "1"}
    )
    _assert_refused(response, "This assessment is with a manager to authorise", before)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"analysis": ""}, "Write analysis before you submit the assessment"),
        (
            {"wishes_and_feelings": "  "},
            "Write the child's wishes and feelings, in their own words before you submit",
        ),
        ({"factors": []}, "Choose the factors identified, or “No factors identified”"),
        ({"factors": ["21", "3B"]}, "“No factors identified” cannot be combined"),
        ({"factors": ["99Z"]}, "Choose factors from the list"),
        ({"primary_need": ""}, "Choose the primary need"),
        ({"primary_need": "N99"}, "Choose the primary need from the list"),
        ({"outcome": ""}, "Choose the outcome you recommend"),
        ({"outcome": "core"}, "Choose the outcome from the list"),
        (
            {"factors": ["21"], "outcome": "strategy"},
            "“No factors identified” is only for an assessment that ends in no further action",
        ),
    ],
)
def test_submission_refuses_an_incomplete_assessment(world, client, change, message):
    assessment = assessment_of_sam(world)
    client.force_login(world.sw_amy)
    before = _counts()
    response = client.post(
        reverse("assessments:write", args=[assessment.pk]),
        {**WRITTEN_POST, **change, "submit": "1"},
    )
    _assert_refused(response, message, before)
    # What was typed is shown again.
    assert "Neglect linked to low mood" in _text(response) or change == {"analysis": ""}


@pytest.mark.parametrize("step", ["strategy_s47", "section47", "cin_plan"])
def test_no_factors_is_refused_on_a_case_with_protection_or_a_plan(world, client, step):
    """Issue 11 item 16: an episode with a section 47 enquiry (or a strategy discussion that
    decided on one) or a child in need plan cannot close as RC8/RC9 (rule 2990), which an
    episode whose assessment found no factors must (rule 8873Q): refused, nothing stored."""
    from safeguard.casework.models import CINPlan

    assessment = assessment_of_sam(world)
    case = assessment.case
    day = STARTED + timedelta(days=1)
    if step == "cin_plan":
        CINPlan.objects.create(case=case, start_date=day)
        expected = "it has a child in need plan"
    else:
        # The protection app's records, made through the case's reverse relations (a lower
        # app's tests import no higher app).
        strategy = case.strategy_discussions.create(
            discussion_date=day, decision="s47", chaired_by=world.tm_carol
        )
        expected = "it has a strategy discussion that decided on a section 47 enquiry"
        if step == "section47":
            strategy.decision = "no_s47"
            strategy.save()
            case.section47s.create(strategy_discussion=strategy, start_date=day)
            expected = "it has a section 47 enquiry"
    client.force_login(world.sw_amy)
    before = _counts()
    response = client.post(
        reverse("assessments:write", args=[assessment.pk]),
        {**WRITTEN_POST, "factors": ["21"], "outcome": "nfa", "submit": "1"},
    )
    message = f"“No factors identified” cannot be used on this case: {expected}"
    _assert_refused(response, message, before)


def test_the_write_form_offers_factors_in_words_in_groups(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("assessments:write", args=[assessment.pk])))
    assert "Domestic violence" in text  # a group heading
    assert "Abuse or neglect: physical abuse (adult on child)" in text
    assert not _codes_shown(text, "18C", "3B", "16A")
    assert "Abuse, neglect and exploitation" in text  # the 2025-26 census wording
    # A single assessment cannot lead to a core assessment, so that outcome is not offered.
    assert 'value="core"' not in text


def test_every_factor_is_offered_once():
    from safeguard.assessments.codes import Factor
    from safeguard.assessments.forms import FACTOR_GROUPS

    codes = [code for _, group in FACTOR_GROUPS for code in group]
    assert sorted(codes) == sorted(Factor.values)


# --- Authorise: agree, or return with reasons -------------------------------------------------


def _decision(day=date(2025, 2, 14), **change) -> dict:
    return {"decision": "agree", **_date("decided_on", day), "comments": "", **change}


def test_the_authorise_form_is_short_and_shows_the_working_days(world, client):
    assessment = submitted_assessment_of_sam(world)
    client.force_login(world.tm_carol)
    response = client.get(reverse("assessments:authorise", args=[assessment.pk]))
    form = response.context["form"]
    assert set(form.fields) == {"decision", "decided_on", "comments", "version"}
    today = timezone.localdate()
    assert response.context["durations"] == {
        "from_referral": working_days_between(REFERRED, today),
        "from_start": working_days_between(STARTED, today),
    }
    text = _text(response)
    assert f'id="working-days-from-referral">{working_days_between(REFERRED, today)}<' in text
    assert 'name="factors"' not in text and 'name="primary_need"' not in text


def test_a_manager_authorises_the_submitted_assessment(world, client):
    assessment = submitted_assessment_of_sam(world)
    client.force_login(world.tm_carol)
    response = client.post(
        reverse("assessments:authorise", args=[assessment.pk]),
        _decision(comments="A thorough assessment."),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{assessment.case_id}/"
    assessment.refresh_from_db()
    # Completion date = the authorisation date (the census's AssessmentAuthorisationDate).
    assert assessment.completed_date == date(2025, 2, 14)
    assert (assessment.authorised_by, assessment.factors, assessment.outcome) == (
        world.tm_carol,
        ["4B", "16A"],
        "cin_plan",
    )
    decision = assessment.authorisations.get()
    assert (decision.decision, decision.decided_on, decision.decided_by, decision.comments) == (
        "agree",
        date(2025, 2, 14),
        world.tm_carol,
        "A thorough assessment.",
    )
    assert ChangeEvent.objects.filter(
        target_type="assessments.assessmentauthorisation", target_id=str(decision.pk)
    ).exists()
    assert Case.objects.get(pk=assessment.case_id).primary_need == "N1"
    entry = ChronologyEntry.objects.get(event_date=date(2025, 2, 14))
    assert entry.what == "Child and family assessment completed: child in need plan"


def test_authorisation_replaces_the_working_primary_need_from_the_referral(world):
    """Issue 11 item 14: the referral's working primary need stands until the authorised
    assessment's replaces it."""
    case = open_case(world, received=REFERRED, primary_need="N4")
    assert case.primary_need == "N4"
    assessment = assessment_start(by=world.sw_amy, case=case, kind="single", start_date=STARTED)
    authorise(world, assessment)
    assert Case.objects.get(pk=case.pk).primary_need == "N1"


def test_a_returned_assessment_goes_back_to_the_worker_with_the_reasons(world, client):
    assessment = submitted_assessment_of_sam(world)
    client.force_login(world.tm_carol)
    response = client.post(
        reverse("assessments:authorise", args=[assessment.pk]),
        _decision(decision="return", comments="Say what Sam's school told you."),
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.stage, assessment.completed_date, assessment.authorised_by) == (
        "returned",
        None,
        None,
    )
    assert assessment.authorisations.get().decision == "return"
    assert not ChronologyEntry.objects.filter(event_date=date(2025, 2, 14)).exists()
    # The worker sees why, revises and resubmits; a manager then agrees.
    client.force_login(world.sw_amy)
    write = _text(client.get(reverse("assessments:write", args=[assessment.pk])))
    assert "Say what Sam's school told you." in write
    response = client.post(
        reverse("assessments:write", args=[assessment.pk]),
        {**WRITTEN_POST, "history": "School: hungry most mornings.", "submit": "1"},
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.stage, assessment.history) == ("submitted", "School: hungry most mornings.")
    client.force_login(world.tm_carol)
    response = client.post(reverse("assessments:authorise", args=[assessment.pk]), _decision())
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.completed_date == date(2025, 2, 14)
    assert list(assessment.authorisations.values_list("decision", flat=True)) == [
        "return",
        "agree",
    ]


def test_a_return_needs_reasons(world, client):
    assessment = submitted_assessment_of_sam(world)
    client.force_login(world.tm_carol)
    before = (_counts(), _authorisations())
    response = client.post(
        reverse("assessments:authorise", args=[assessment.pk]),
        _decision(decision="return", comments="   "),
    )
    assert response.status_code == 200
    assert "Give your reasons for returning the assessment" in _text(response)
    assert (_counts(), _authorisations()) == before


def test_an_assessment_is_not_authorised_before_the_child_is_seen(world, client):
    assessment = submit(world, assessment_of_sam(world), seen=None)
    client.force_login(world.tm_carol)
    url = reverse("assessments:authorise", args=[assessment.pk])
    before = (_counts(), _authorisations())
    response = client.post(url, _decision())
    _assert_refused(response, "The child has not been seen", before[0])
    assert _authorisations() == before[1]
    # Seen after the date the manager gives: refused too.
    from safeguard.assessments.services import assessment_record_seen

    assessment_record_seen(
        by=world.sw_amy,
        assessment=assessment,
        child_seen_date=date(2025, 2, 20),
        child_seen_alone=False,
    )
    before = (_counts(), _authorisations())
    response = client.post(url, _decision(date(2025, 2, 14)))
    _assert_refused(
        response, "the assessment cannot be authorised before the child was seen", before[0]
    )
    # Seen on the day of authorisation: agreed.
    assert client.post(url, _decision(date(2025, 2, 20))).status_code == 302


def test_the_child_seen_date_cannot_move_after_the_authorisation(world, client):
    assessment = authorise(world, assessment_of_sam(world))
    client.force_login(world.sw_amy)
    before = _counts()
    response = client.post(
        reverse("assessments:seen", args=[assessment.pk]),
        _date("child_seen_date", date(2025, 2, 17)),
    )
    _assert_refused(response, "The assessment was authorised on 14 February 2025", before)


def test_an_unborn_childs_pre_birth_assessment_needs_no_child_seen(world):
    from safeguard.people.models import Person

    started = assessment_of_sam(world)
    Person.objects.filter(pk=world.child_sam.pk).update(date_of_birth=date(2025, 6, 1))
    assessment = authorise(world, Assessment.objects.get(pk=started.pk), seen=None)
    assert assessment.completed_date == date(2025, 2, 14)


@pytest.mark.parametrize("who", ["tm_carol", "sm_dan"])
def test_nobody_authorises_an_assessment_they_wrote_or_submitted(world, client, who):
    manager = getattr(world, who)
    assessment = assessment_of_sam(world)
    if who == "tm_carol":
        submit(world, assessment, by=manager)  # wrote and submitted it
    else:
        # Dan wrote part of it; Amy submitted it.
        from safeguard.assessments.services import assessment_write

        assessment_write(by=manager, assessment=assessment, analysis="Dan's own analysis.")
        submit(world, assessment)
    client.force_login(manager)
    url = reverse("assessments:authorise", args=[assessment.pk])
    assert "another manager must decide on it" in _text(client.get(url))
    for decision in (_decision(), _decision(decision="return", comments="Redo it")):
        before = (_counts(), _authorisations())
        response = client.post(url, decision)
        _assert_refused(response, "You wrote or submitted this assessment", before[0])
        assert _authorisations() == before[1]


def test_an_assessment_not_yet_submitted_cannot_be_authorised(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.tm_carol)
    before = _counts()
    response = client.post(reverse("assessments:authorise", args=[assessment.pk]), _decision())
    _assert_refused(response, "This assessment has not been submitted", before)


def test_a_social_worker_cannot_authorise(world, client):
    assessment = submitted_assessment_of_sam(world)
    client.force_login(world.sw_amy)
    before = _counts()
    url = reverse("assessments:authorise", args=[assessment.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _decision()).status_code == 403
    assert _counts() == before
    assert Assessment.objects.get(pk=assessment.pk).completed_date is None


BAD_DECISIONS = [
    ({"decision": ""}, "Choose whether you agree or return the assessment"),
    ({"decision": "maybe"}, "Choose whether you agree or return the assessment"),
    (
        {"decided_on_day": "", "decided_on_month": "", "decided_on_year": ""},
        "Enter the authorisation date",
    ),
    ({"decided_on_day": "32"}, "Authorisation date must be a real date"),
    ("future", "The authorisation date cannot be in the future"),
    (_date("decided_on", REFERRED - timedelta(days=1)), "cannot be before the referral"),
    (_date("decided_on", REFERRED), "The assessment cannot be authorised before it started"),
]


@pytest.mark.parametrize(("change", "message"), BAD_DECISIONS)
def test_authorise_refuses_bad_input(world, client, change, message):
    assessment = submitted_assessment_of_sam(world)
    client.force_login(world.tm_carol)
    if change == "future":
        change = _date("decided_on", _tomorrow())
    before = _counts()
    response = client.post(
        reverse("assessments:authorise", args=[assessment.pk]), {**_decision(), **change}
    )
    _assert_refused(response, message, before)
    assert Assessment.objects.get(pk=assessment.pk).completed_date is None


def test_an_assessment_is_authorised_once_only(world, client):
    assessment = submitted_assessment_of_sam(world)
    client.force_login(world.tm_carol)
    url = reverse("assessments:authorise", args=[assessment.pk])
    client.post(url, _decision())
    before = _counts()
    response = client.post(url, _decision())
    _assert_refused(response, "This assessment has already been authorised", before)


def test_a_bad_post_still_logs_one_access_only(world, client):
    assessment = submitted_assessment_of_sam(world)
    clear_access_log()
    client.force_login(world.tm_carol)
    client.post(reverse("assessments:authorise", args=[assessment.pk]), _decision(decision=""))
    assert _child_events() == Counter({world.child_sam.pk: 1})


# --- Show what was written --------------------------------------------------------------------


def test_the_assessment_page_shows_every_recorded_field(world, client):
    assessment = submit(world, assessment_of_sam(world), seen=date(2025, 1, 9))
    from safeguard.assessments.services import assessment_authorise

    assessment_authorise(
        by=world.tm_carol,
        assessment=assessment,
        decision="return",
        decided_on=date(2025, 2, 10),
        comments="Add what the school said.",
    )
    authorise(world, assessment)
    from safeguard.assessments.tests.steps import WRITTEN

    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("assessments:detail", args=[assessment.pk])))
    for name, value in WRITTEN.items():
        if isinstance(value, str) and name not in ("primary_need", "outcome"):
            assert value in text, name
    assert "Mental health: of the parent(s) or carer(s)" in text
    assert "Abuse or neglect: neglect" in text
    assert not _codes_shown(text, "4B", "16A")  # factors in words, never codes
    assert "Abuse, neglect and exploitation" in text  # the primary need
    assert "Child in need plan" in text  # the outcome
    assert "9 January 2025, seen alone" in text
    assert "14 February 2025, by Carol" in text
    assert "Submitted" in text and "by Amy" in text
    assert "Add what the school said." in text and "Returned to the worker" in text
    assert "Agreed and authorised" in text


def test_an_analyst_sees_the_assessments_dates_and_codes_not_what_was_written(world, client):
    assessment = submitted_assessment_of_sam(world)
    client.force_login(world.analyst_eve)
    response = client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert "Neglect of basic care linked" not in text
    assert "I like it when Mum reads to me" not in text
    assert "Abuse or neglect: neglect" in text
    assert "Write the assessment" not in text


def test_the_case_page_summarises_the_assessment_with_factors_in_words(world, client):
    assessment = authorise(world, assessment_of_sam(world), factors=["3B", "18C"])
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("casework:case-detail", args=[assessment.case_id])))
    assert reverse("assessments:detail", args=[assessment.pk]) in text
    assert "Abuse or neglect: physical abuse (adult on child)" in text
    assert "Domestic violence: the child’s parent(s) or carer(s) are the subject" in text
    assert not _codes_shown(text, "18C", "3B")
    assert "Neglect of basic care linked to the mother" in text  # the analysis, in summary
    client.force_login(world.analyst_eve)
    text = _text(client.get(reverse("casework:case-detail", args=[assessment.case_id])))
    assert "Abuse or neglect: physical abuse (adult on child)" in text
    assert "Neglect of basic care linked to the mother" not in text


def _page_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    # Savepoints are not round trips worth counting (as in tests/test_page_queries.py).
    sqls = [q["sql"] for q in ctx.captured_queries]
    return len([sql for sql in sqls if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))])


def test_the_assessment_page_makes_a_fixed_number_of_queries(world, client):
    """However many times it was returned and however many factors it found."""
    from safeguard.assessments.services import assessment_authorise, assessment_write

    client.force_login(world.sw_amy)
    short = submit(world, assessment_of_sam(world), factors=["16A"])
    url = reverse("assessments:detail", args=[short.pk])
    client.get(url)  # sessions and caches warmed
    few = _page_queries(client, url)
    for n in range(3):
        assessment_authorise(
            by=[world.tm_carol, world.sm_dan][n % 2],
            assessment=short,
            decision="return",
            decided_on=date(2025, 2, 10),
            comments=f"Return {n}",
        )
        assessment_write(
            by=world.sw_amy,
            assessment=short,
            submit=True,
            factors=["3B", "4B", "16A", "17A", "18C"],
        )
    assessment_authorise(
        by=world.sm_dan, assessment=short, decision="agree", decided_on=date(2025, 2, 14)
    )
    many = _page_queries(client, url)
    assert many == few
    assert many <= 20


# --- Links for the case page ------------------------------------------------------------------


def _actions(case, *, can_record=True, can_authorise=False) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        "assessments/_case_actions.html",
        {"case": case, "can_record": can_record, "can_authorise": can_authorise},
    )


def test_case_actions_offer_the_next_assessment_step(world):
    case = case_of_sam(world)
    start = reverse("assessments:start", args=[case.pk])
    assert start in _actions(case)
    assert "<li>" not in _actions(case, can_record=False)

    assessment = assessment_start(by=world.sw_amy, case=case, kind="single", start_date=STARTED)
    write = reverse("assessments:write", args=[assessment.pk])
    authorise_url = reverse("assessments:authorise", args=[assessment.pk])
    links = _actions(case)
    assert start not in links
    assert write in links
    assert reverse("assessments:seen", args=[assessment.pk]) in links
    # Not offered to a manager until the worker submits it.
    assert authorise_url not in _actions(case, can_authorise=True)

    submit(world, assessment)
    links = _actions(case, can_authorise=True)
    assert write not in links
    assert authorise_url in links
    assert authorise_url not in _actions(case)

    from safeguard.assessments.services import assessment_authorise

    assessment_authorise(
        by=world.tm_carol, assessment=assessment, decision="agree", decided_on=date(2025, 2, 14)
    )
    links = _actions(case, can_authorise=True)
    assert start in links
    assert write not in links
    assert reverse("assessments:seen", args=[assessment.pk]) not in links
    assert authorise_url not in links


def test_the_record_history_tells_the_assessment_in_plain_words(world):
    """The person page's history (people.history): each step of the assessment reads in
    words, with the fields as the forms call them, never their internal names."""
    from safeguard.assessments.services import assessment_authorise
    from safeguard.people.history import entries

    assessment = submit(world, assessment_of_sam(world))
    assessment_authorise(
        by=world.tm_carol,
        assessment=assessment,
        decision="return",
        decided_on=date(2025, 2, 10),
        comments="Add the school's view.",
    )
    events = ChangeEvent.objects.filter(person_id=world.child_sam.pk)
    lines = [(e.what, e.fields) for e in entries(events)]
    whats = [what for what, _ in lines]
    assert "Assessment started" in whats
    assert "Manager's decision on an assessment recorded" in whats
    fields = {f for _, shown in lines for f in shown}
    assert "the child's wishes and feelings, in their own words" in fields
    assert "the child's developmental needs" in fields and "factors identified" in fields
    assert not {"wishes_and_feelings", "developmental_needs", "submitted_by"} & fields
