"""The assessment pages: each renders for those who may use it and logs the child's access
once; good input is stored and leads back to the case; bad input is shown again with a
clear error and nothing is stored."""

import html
from collections import Counter
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.assessments.models import Assessment
from safeguard.assessments.services import assessment_start
from safeguard.assessments.tests.steps import REFERRED, STARTED, assessment_of_sam, case_of_sam
from safeguard.audit.models import AccessEvent, ChangeEvent
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


def _child_events():
    return Counter(AccessEvent.objects.values_list("person_id", flat=True))


# --- Pages render and log the child's access once ---------------------------------------------


PAGES = [
    ("assessments:start", "case", "sw_amy", "Start an assessment"),
    ("assessments:seen", "assessment", "sw_amy", "Record when the child was seen"),
    ("assessments:authorise", "assessment", "tm_carol", "Authorise the assessment"),
]


@pytest.mark.parametrize(("name", "target", "who", "heading"), PAGES)
def test_page_renders_with_the_child_as_caption_and_logs_one_access(
    world, client, name, target, who, heading
):
    if target == "case":
        kwargs = {"case_id": case_of_sam(world).pk}
    else:
        kwargs = {"assessment_id": assessment_of_sam(world).pk}
    client.force_login(getattr(world, who))
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    text = _text(response)
    assert '<span class="govuk-caption-l">Sam Smith</span>' in text
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in text
    assert _child_events() == Counter({world.child_sam.pk: 1})
    event = AccessEvent.objects.get()
    assert (event.user, event.purpose) == (getattr(world, who), "edit")


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


# --- Authorise --------------------------------------------------------------------------------


GOOD_AUTHORISATION = {
    **_date("completed_date", date(2025, 2, 14)),
    "factors": ["3B", "16A"],
    "primary_need": "N1",
    "outcome": "strategy",
    "analysis": "Neglect and domestic abuse at home.",
}


def test_authorise_shows_the_working_days_since_the_referral_and_the_start(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.tm_carol)
    response = client.get(reverse("assessments:authorise", args=[assessment.pk]))
    today = timezone.localdate()
    assert response.context["durations"] == {
        "from_referral": working_days_between(REFERRED, today),
        "from_start": working_days_between(STARTED, today),
    }
    text = _text(response)
    assert f'id="working-days-from-referral">{working_days_between(REFERRED, today)}<' in text
    assert f'id="working-days-from-start">{working_days_between(STARTED, today)}<' in text
    # Factors are grouped and labelled; the census code is kept beside each label.
    assert "Domestic violence" in text
    assert "Domestic violence: the child’s parent(s) or carer(s) are the subject (3B)" in text
    # The 2025-26 census wording (issue 11 item 16).
    assert "Abuse, neglect and exploitation (N1)" in text
    # A single assessment cannot lead to a core assessment, so that outcome is not offered.
    assert 'value="core"' not in text


def test_every_factor_is_offered_once():
    from safeguard.assessments.codes import Factor
    from safeguard.assessments.forms import FACTOR_GROUPS

    codes = [code for _, group in FACTOR_GROUPS for code in group]
    assert sorted(codes) == sorted(Factor.values)


def test_a_manager_authorises_the_assessment(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.tm_carol)
    response = client.post(
        reverse("assessments:authorise", args=[assessment.pk]), GOOD_AUTHORISATION
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{assessment.case_id}/"
    assessment.refresh_from_db()
    assert assessment.completed_date == date(2025, 2, 14)
    assert assessment.factors == ["3B", "16A"]
    assert (assessment.primary_need, assessment.outcome, assessment.authorised_by) == (
        "N1",
        "strategy",
        world.tm_carol,
    )
    assert Case.objects.get(pk=assessment.case_id).primary_need == "N1"


def test_authorisation_replaces_the_working_primary_need_from_the_referral(world, client):
    """Issue 11 item 14: the referral's working primary need stands until the authorised
    assessment's replaces it."""
    case = open_case(world, received=REFERRED, primary_need="N4")
    assert case.primary_need == "N4"
    assessment = assessment_start(by=world.sw_amy, case=case, kind="single", start_date=STARTED)
    client.force_login(world.tm_carol)
    response = client.post(
        reverse("assessments:authorise", args=[assessment.pk]), GOOD_AUTHORISATION
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).primary_need == "N1"


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
    client.force_login(world.tm_carol)
    before = _counts()
    response = client.post(
        reverse("assessments:authorise", args=[assessment.pk]),
        {**GOOD_AUTHORISATION, "factors": ["21"], "outcome": "nfa"},
    )
    message = f"“No factors identified” cannot be used on this case: {expected}"
    _assert_refused(response, message, before)


def test_no_factors_with_no_further_action_is_authorised(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.tm_carol)
    response = client.post(
        reverse("assessments:authorise", args=[assessment.pk]),
        {**GOOD_AUTHORISATION, "factors": ["21"], "outcome": "nfa", "primary_need": "N9"},
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.factors, assessment.outcome) == (["21"], "nfa")


def test_a_social_worker_cannot_authorise(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.sw_amy)
    before = _counts()
    url = reverse("assessments:authorise", args=[assessment.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, GOOD_AUTHORISATION).status_code == 403
    assert _counts() == before
    assert Assessment.objects.get(pk=assessment.pk).completed_date is None


BAD_AUTHORISATIONS = [
    ({"factors": ["21", "3B"]}, "“No factors identified” cannot be combined with other factors"),
    ({"factors": []}, "Choose the factors identified, or “No factors identified”"),
    ({"factors": ["99Z"]}, "Choose factors from the list: 99Z is not one of them"),
    ({"primary_need": "N99"}, "Choose the primary need from the list"),
    ({"primary_need": ""}, "Choose the primary need"),
    # Issue 11 item 16: "no factors" is for no further action (census rules 8873Q, 2990).
    (
        {"factors": ["21"], "outcome": "strategy"},
        "“No factors identified” is only for an assessment that ends in no further action or "
        "early help, not “Strategy discussion”",
    ),
    (
        {"factors": ["21"], "outcome": "cin_plan"},
        "“No factors identified” is only for an assessment that ends in no further action or "
        "early help, not “Child in need plan”",
    ),
    ({"outcome": "core"}, "Choose the outcome from the list"),
    ({"outcome": ""}, "Choose the outcome"),
    (
        {"completed_date_day": "", "completed_date_month": "", "completed_date_year": ""},
        "Enter the authorisation date",
    ),
    ({"completed_date_day": "32"}, "Authorisation date must be a real date"),
    ("future", "The authorisation date cannot be in the future"),
    (_date("completed_date", REFERRED - timedelta(days=1)), "cannot be before the referral"),
    (_date("completed_date", REFERRED), "The assessment cannot be authorised before it started"),
]


@pytest.mark.parametrize(("change", "message"), BAD_AUTHORISATIONS)
def test_authorise_refuses_bad_input(world, client, change, message):
    assessment = assessment_of_sam(world)
    client.force_login(world.tm_carol)
    if change == "future":
        change = _date("completed_date", _tomorrow())
    before = _counts()
    response = client.post(
        reverse("assessments:authorise", args=[assessment.pk]), {**GOOD_AUTHORISATION, **change}
    )
    _assert_refused(response, message, before)
    assert Assessment.objects.get(pk=assessment.pk).completed_date is None


def test_an_assessment_is_authorised_once_only(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.tm_carol)
    url = reverse("assessments:authorise", args=[assessment.pk])
    client.post(url, GOOD_AUTHORISATION)
    before = _counts()
    response = client.post(url, {**GOOD_AUTHORISATION, "primary_need": "N4"})
    _assert_refused(response, "This assessment has already been authorised", before)


def test_a_bad_post_still_logs_one_access_only(world, client):
    assessment = assessment_of_sam(world)
    client.force_login(world.tm_carol)
    client.post(
        reverse("assessments:authorise", args=[assessment.pk]),
        {**GOOD_AUTHORISATION, "factors": []},
    )
    assert _child_events() == Counter({world.child_sam.pk: 1})


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
    links = _actions(case)
    assert start not in links
    assert reverse("assessments:seen", args=[assessment.pk]) in links
    assert reverse("assessments:authorise", args=[assessment.pk]) not in links
    assert reverse("assessments:authorise", args=[assessment.pk]) in _actions(
        case, can_authorise=True
    )

    from safeguard.assessments.services import assessment_complete

    assessment_complete(
        by=world.tm_carol,
        assessment=assessment,
        completed_date=date(2025, 2, 14),
        factors=["21"],
        primary_need="N9",
        outcome="nfa",
    )
    links = _actions(case, can_authorise=True)
    assert start in links
    assert reverse("assessments:seen", args=[assessment.pk]) not in links
    assert reverse("assessments:authorise", args=[assessment.pk]) not in links
