"""The child protection pages: each renders for those who may record and logs the child's
access once; good input is stored and leads back to the case; bad input is shown again with
a clear error and nothing is stored."""

import html
from collections import Counter
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.assessments import services as assessment_services
from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.casework.models import ChronologyEntry
from safeguard.core.errors import ApplicationError
from safeguard.protection import services
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguard.protection.tests.steps import (
    ATTENDEES,
    DISCUSSED,
    ENQUIRY_STARTED,
    ICPC,
    REFERRED,
    case_of_sam,
    discussion_of_sam,
    enquiry_of_sam,
    plan_of_sam,
)
from safeguard.testing.decisions import authorise

pytestmark = pytest.mark.django_db


def _date(name: str, day: date) -> dict:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _no_date(name: str) -> dict:
    return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}


def _tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def _rows(name: str, people: list[tuple[str, str, str]]) -> dict:
    data = {}
    for i, (agency, person, role) in enumerate(people):
        data |= {f"{name}-{i}-agency": agency, f"{name}-{i}-name": person, f"{name}-{i}-role": role}
    return data


def _counts():
    return (
        StrategyDiscussion.objects.count(),
        Section47Enquiry.objects.count(),
        ChildProtectionConference.objects.count(),
        ChildProtectionPlan.objects.count(),
        CoreGroupMeeting.objects.count(),
        ChronologyEntry.objects.count(),
        ChangeEvent.objects.count(),
        tuple(
            Section47Enquiry.objects.order_by("pk").values_list("version", "end_date", "outcome")
        ),
        tuple(
            ChildProtectionPlan.objects.order_by("pk").values_list(
                "version", "end_date", "latest_category"
            )
        ),
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


def _post(client, world, url: str, data: dict, change, date_field: str):
    """Post ``data`` changed by ``change``; "future" puts tomorrow in ``date_field``."""
    client.force_login(world.sw_amy)
    if change == "future":
        change = _date(date_field, _tomorrow())
    return client.post(url, {**data, **change})


# --- Pages render and log the child's access once ---------------------------------------------

TARGETS = {
    "case": lambda world: {"case_id": case_of_sam(world).pk},
    "discussion": lambda world: {"discussion_id": discussion_of_sam(world).pk},
    "enquiry": lambda world: {"enquiry_id": enquiry_of_sam(world).pk},
    "plan": lambda world: {"plan_id": plan_of_sam(world).pk},
}

PAGES = [
    ("protection:strategy-new", "case", "Record a strategy discussion"),
    ("protection:s47-new", "discussion", "Start a section 47 enquiry"),
    ("protection:s47-conclude", "enquiry", "Record the outcome of the section 47 enquiry"),
    ("protection:icpc-new", "enquiry", "Record the initial child protection conference"),
    ("protection:core-group-new", "plan", "Record a core group meeting"),
    ("protection:review-new", "plan", "Record a review child protection conference"),
    ("protection:plan-end", "plan", "End the child protection plan"),
]


@pytest.mark.parametrize(("name", "target", "heading"), PAGES)
def test_page_renders_with_the_child_as_caption_and_logs_one_access(
    world, client, name, target, heading
):
    kwargs = TARGETS[target](world)
    client.force_login(world.sw_amy)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    text = _text(response)
    assert '<span class="govuk-caption-l">Sam Smith</span>' in text
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in text
    assert Counter(AccessEvent.objects.values_list("person_id", flat=True)) == Counter(
        {world.child_sam.pk: 1}
    )
    assert AccessEvent.objects.get().purpose == "edit"


@pytest.mark.parametrize(("name", "target", "heading"), PAGES)
def test_another_authoritys_records_are_not_found(world, client, name, target, heading):
    builders = {
        "case": lambda: {"case_id": case_of_sam(world, child=world.outsider, by=world.other_sw).pk},
        "discussion": lambda: {
            "discussion_id": discussion_of_sam(world, child=world.outsider, by=world.other_sw).pk
        },
        "enquiry": lambda: {
            "enquiry_id": enquiry_of_sam(world, child=world.outsider, by=world.other_sw).pk
        },
        "plan": lambda: {"plan_id": plan_of_sam(world, child=world.outsider, by=world.other_sw).pk},
    }
    url = reverse(name, kwargs=builders[target]())
    client.force_login(world.sw_amy)
    before = _counts()
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert _counts() == before
    assert AccessEvent.objects.count() == 0


def test_an_analyst_cannot_record(world, client):
    case = case_of_sam(world)
    client.force_login(world.analyst_eve)
    before = _counts()
    response = client.post(reverse("protection:strategy-new", args=[case.pk]), GOOD_STRATEGY)
    assert response.status_code == 403
    assert _counts() == before


# --- Strategy discussion ----------------------------------------------------------------------

GOOD_STRATEGY = {
    **_date("discussion_date", DISCUSSED),
    **_rows(
        "attendees",
        [
            ("Testshire Children's Social Care", "Amy Adeyemi", "Social worker"),
            ("Testshire Police", "DC Pat Patel", "Investigating officer"),
            ("Testshire Health Trust", "Dr Hana Hussain", ""),
        ],
    ),
    "decision": "s47",
    "emergency_protection": "police",
    "notes": "Bruising seen at school.",
}


def test_strategy_form_starts_with_the_user_in_the_first_row_and_today(world, client):
    case = case_of_sam(world)
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("protection:strategy-new", args=[case.pk])))
    assert 'name="attendees-0-agency" value="Testshire Children\'s Social Care"' in text
    assert 'name="attendees-0-name" value="Amy Adeyemi"' in text
    assert 'name="attendees-5-role" value=""' in text
    assert 'name="attendees-6-agency"' not in text
    assert f'name="discussion_date_day" value="{timezone.localdate().day}"' in text
    # The agencies of the authority are offered as suggestions, without JavaScript.
    assert '<option value="Testshire Police">' in text


def test_strategy_discussion_is_stored_with_its_attendees(world, client):
    case = case_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.post(reverse("protection:strategy-new", args=[case.pk]), GOOD_STRATEGY)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    discussion = StrategyDiscussion.objects.get(case=case)
    assert discussion.attendees == [
        {
            "agency": "Testshire Children's Social Care",
            "name": "Amy Adeyemi",
            "role": "Social worker",
        },
        {"agency": "Testshire Police", "name": "DC Pat Patel", "role": "Investigating officer"},
        {"agency": "Testshire Health Trust", "name": "Dr Hana Hussain", "role": ""},
    ]
    assert (discussion.decision, discussion.chaired_by, discussion.discussion_date) == (
        "s47",
        world.sw_amy,
        DISCUSSED,
    )
    # Ofsted's Annex A list 7 asks whether the child was in police or emergency protection.
    assert discussion.emergency_protection == "police"
    page = _text(client.get(f"/cases/{case.pk}/"))
    assert "Police protection (section 46)" in page


BAD_STRATEGIES = [
    (_no_date("discussion_date"), "Enter the date of the strategy discussion"),
    ("future", "The date of the strategy discussion cannot be in the future"),
    (
        _date("discussion_date", REFERRED - timedelta(days=1)),
        "cannot be before the referral (06 January 2025)",
    ),
    (
        {
            "attendees-1-agency": "Testshire Children's Social Care",
            "attendees-2-agency": "",
            "attendees-2-name": "",
        },
        "Record who took part from at least two agencies",
    ),
    ({"attendees-1-agency": ""}, "Enter the agency of DC Pat Patel"),
    ({"attendees-3-role": "Note taker"}, "Enter the agency and name in row 4, or clear it"),
    ({"attendees-1-name": "x" * 201}, "Name in row 2 must be 200 characters or fewer"),
    ({"decision": ""}, "Choose the decision"),
    ({"decision": "arrest"}, "Choose the decision from the list"),
    (
        {"emergency_protection": ""},
        "Choose whether the child was in police or emergency protection",
    ),
    (
        {"emergency_protection": "arrest"},
        "Choose whether the child was in police or emergency protection from the list",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_STRATEGIES)
def test_strategy_discussion_refuses_bad_input(world, client, change, message):
    case = case_of_sam(world)
    before = _counts()
    url = reverse("protection:strategy-new", args=[case.pk])
    response = _post(client, world, url, GOOD_STRATEGY, change, "discussion_date")
    _assert_refused(response, message, before)
    # What was typed is kept.
    assert 'name="attendees-0-name" value="Amy Adeyemi"' in _text(response)


def test_an_attendees_error_is_shown_beside_the_rows_and_linked_from_the_summary(world, client):
    case = case_of_sam(world)
    url = reverse("protection:strategy-new", args=[case.pk])
    response = _post(client, world, url, GOOD_STRATEGY, {"attendees-1-agency": ""}, "")
    text = _text(response)
    assert '<a href="#id_attendees_0_agency">Enter the agency of DC Pat Patel (row 2)</a>' in text
    assert '<p class="govuk-error-message" id="id_attendees_error">' in text


# --- Section 47 enquiry -----------------------------------------------------------------------


def test_section47_starts_from_a_strategy_discussion(world, client):
    discussion = discussion_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.post(
        reverse("protection:s47-new", args=[discussion.pk]), _date("start_date", ENQUIRY_STARTED)
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{discussion.case_id}/"
    enquiry = Section47Enquiry.objects.get()
    assert (enquiry.strategy_discussion, enquiry.start_date, enquiry.end_date) == (
        discussion,
        ENQUIRY_STARTED,
        None,
    )


# --- Working Together 2006 and 2010: the enquiry through a core assessment (item 18) ---------


def _old_rules(world, rule_set="wt2010"):
    world.authority.rule_set = rule_set
    world.authority.save()


def test_under_2010_a_core_assessment_starts_straight_from_the_strategy_discussion(world, client):
    _old_rules(world)
    discussion = discussion_of_sam(world)
    client.force_login(world.sw_amy)
    url = reverse("protection:s47-new", args=[discussion.pk])
    text = _text(client.get(url))
    assert 'name="core_assessment"' in text and "no initial assessment is needed first" in text
    response = client.post(url, {**_date("start_date", ENQUIRY_STARTED), "core_assessment": "on"})
    assert response.status_code == 302
    enquiry = Section47Enquiry.objects.get()
    core = enquiry.core_assessment
    assert (core.kind, core.start_date, core.completed_date) == ("core", ENQUIRY_STARTED, None)
    assert core.case == enquiry.case and core.section47 == enquiry
    assert list(enquiry.case.assessments.values_list("kind", flat=True)) == ["core"]
    assert ChronologyEntry.objects.filter(
        what="Section 47 enquiry started, carried out through the core assessment started "
        "7 January 2025"
    ).exists()
    assert ChangeEvent.objects.filter(target_type="assessments.assessment").exists()
    page = _text(client.get(f"/cases/{enquiry.case_id}/"))
    assert "through the core assessment started 7 Jan 2025" in page


def test_under_2006_the_enquiry_joins_the_core_assessment_in_progress(world, client):
    _old_rules(world, "wt2006")
    discussion = discussion_of_sam(world)
    core = assessment_services.assessment_start(
        by=world.sw_amy, case=discussion.case, kind="core", start_date=DISCUSSED
    )
    client.force_login(world.sw_amy)
    url = reverse("protection:s47-new", args=[discussion.pk])
    assert "Through the core assessment in progress, started 7 January 2025" in _text(client.get(url))
    response = client.post(url, {**_date("start_date", ENQUIRY_STARTED), "core_assessment": "on"})
    assert response.status_code == 302
    assert Section47Enquiry.objects.get().core_assessment == core
    assert discussion.case.assessments.count() == 1


def test_an_initial_assessment_in_progress_is_authorised_first(world, client):
    _old_rules(world)
    discussion = discussion_of_sam(world)
    assessment_services.assessment_start(
        by=world.sw_amy, case=discussion.case, kind="initial", start_date=REFERRED
    )
    before = _counts()
    url = reverse("protection:s47-new", args=[discussion.pk])
    data = {**_date("start_date", ENQUIRY_STARTED), "core_assessment": "on"}
    response = _post(client, world, url, data, {}, "start_date")
    _assert_refused(
        response,
        "The initial assessment in progress must be authorised before a core assessment can "
        "start",
        before,
    )
    assert discussion.case.assessments.count() == 1
    # Without the core assessment the enquiry starts on its own.
    response = _post(client, world, url, _date("start_date", ENQUIRY_STARTED), {}, "start_date")
    assert response.status_code == 302
    assert Section47Enquiry.objects.get().core_assessment is None


def test_under_2013_the_question_is_not_asked(world, client):
    discussion = discussion_of_sam(world)
    client.force_login(world.sw_amy)
    url = reverse("protection:s47-new", args=[discussion.pk])
    assert 'name="core_assessment"' not in _text(client.get(url))
    response = client.post(url, {**_date("start_date", ENQUIRY_STARTED), "core_assessment": "on"})
    assert response.status_code == 302
    assert Section47Enquiry.objects.get().core_assessment is None
    assert not discussion.case.assessments.exists()


def test_a_core_assessment_may_start_from_the_strategy_discussion_on_the_assessment_page(world):
    _old_rules(world)
    case = case_of_sam(world)
    with pytest.raises(ApplicationError, match="follows a completed initial assessment, or a"):
        assessment_services.assessment_start(
            by=world.sw_amy, case=case, kind="core", start_date=DISCUSSED
        )
    services.strategy_discussion_record(
        by=world.sw_amy, case=case, discussion_date=DISCUSSED, attendees=ATTENDEES, decision="s47"
    )
    core = assessment_services.assessment_start(
        by=world.sw_amy, case=case, kind="core", start_date=DISCUSSED
    )
    assert core.kind == "core"


def test_a_core_assessment_started_later_joins_the_open_enquiry(world, client):
    _old_rules(world)
    discussion = discussion_of_sam(world)
    client.force_login(world.sw_amy)
    url = reverse("protection:s47-new", args=[discussion.pk])
    assert client.post(url, _date("start_date", ENQUIRY_STARTED)).status_code == 302
    enquiry = Section47Enquiry.objects.get()
    assert enquiry.core_assessment is None
    core = assessment_services.assessment_start(
        by=world.sw_amy, case=discussion.case, kind="core", start_date=date(2025, 1, 8)
    )
    enquiry.refresh_from_db()
    assert (enquiry.core_assessment, enquiry.version) == (core, 2)
    assert ChangeEvent.objects.filter(
        target_type="protection.section47enquiry", target_id=str(enquiry.pk)
    ).count() == 2


BAD_S47_STARTS = [
    (_no_date("start_date"), "Enter the date the enquiry started"),
    ({"start_date_month": "13"}, "Date the enquiry started must be a real date"),
    ("future", "The start date of the enquiry cannot be in the future"),
    (_date("start_date", REFERRED - timedelta(days=1)), "cannot be before the referral"),
    (
        _date("start_date", REFERRED),
        "A section 47 enquiry cannot start before its strategy discussion",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_S47_STARTS)
def test_section47_start_refuses_bad_input(world, client, change, message):
    discussion = discussion_of_sam(world)
    before = _counts()
    url = reverse("protection:s47-new", args=[discussion.pk])
    response = _post(client, world, url, _date("start_date", ENQUIRY_STARTED), change, "start_date")
    _assert_refused(response, message, before)


def test_section47_needs_a_discussion_that_decided_on_one(world, client):
    discussion = discussion_of_sam(world, decision="no_s47")
    before = _counts()
    url = reverse("protection:s47-new", args=[discussion.pk])
    response = _post(client, world, url, _date("start_date", ENQUIRY_STARTED), {}, "start_date")
    _assert_refused(
        response, "That strategy discussion did not decide on a section 47 enquiry", before
    )


def test_only_one_section47_is_open_at_a_time(world, client):
    enquiry = enquiry_of_sam(world)
    before = _counts()
    url = reverse("protection:s47-new", args=[enquiry.strategy_discussion_id])
    response = _post(client, world, url, _date("start_date", ENQUIRY_STARTED), {}, "start_date")
    _assert_refused(response, "A section 47 enquiry is already open on this case", before)


GOOD_CONCLUSION = {**_date("end_date", date(2025, 1, 20)), "outcome": "cin"}


def test_section47_concludes_with_its_outcome(world, client):
    enquiry = enquiry_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.post(reverse("protection:s47-conclude", args=[enquiry.pk]), GOOD_CONCLUSION)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{enquiry.case_id}/"
    enquiry.refresh_from_db()
    assert enquiry.end_date is None  # waits for the case's manager (decision 0041)
    authorise(enquiry.case.authorisation_requests.get(kind="section47_conclusion"))
    enquiry.refresh_from_db()
    assert (enquiry.end_date, enquiry.outcome) == (date(2025, 1, 20), "cin")


BAD_CONCLUSIONS = [
    (_no_date("end_date"), "Enter the date the enquiry concluded"),
    ("future", "The date the enquiry concluded cannot be in the future"),
    (_date("end_date", REFERRED - timedelta(days=1)), "cannot be before the referral"),
    (_date("end_date", REFERRED), "The enquiry cannot conclude before it started"),
    ({"outcome": ""}, "Choose the outcome of the enquiry"),
    ({"outcome": "guilty"}, "Choose the outcome of the enquiry from the list"),
]


@pytest.mark.parametrize(("change", "message"), BAD_CONCLUSIONS)
def test_section47_conclusion_refuses_bad_input(world, client, change, message):
    enquiry = enquiry_of_sam(world)
    before = _counts()
    url = reverse("protection:s47-conclude", args=[enquiry.pk])
    response = _post(client, world, url, GOOD_CONCLUSION, change, "end_date")
    _assert_refused(response, message, before)


def test_a_concluded_enquiry_cannot_conclude_again(world, client):
    enquiry = enquiry_of_sam(world)
    url = reverse("protection:s47-conclude", args=[enquiry.pk])
    _post(client, world, url, GOOD_CONCLUSION, {}, "end_date")
    before = _counts()
    response = _post(client, world, url, GOOD_CONCLUSION, {"outcome": "nfa"}, "end_date")
    _assert_refused(response, "already waiting for a manager's authorisation", before)
    authorise(enquiry.case.authorisation_requests.get(kind="section47_conclusion"))
    before = _counts()
    response = _post(client, world, url, GOOD_CONCLUSION, {"outcome": "nfa"}, "end_date")
    _assert_refused(response, "This enquiry has already concluded", before)


# --- Initial child protection conference ------------------------------------------------------

def _chaired(data: dict, world) -> dict:
    """A conference form's answers, naming Iris Ingram (a conference chair) as its chair."""
    return {**data, "chair": str(world.chair_iris.pk)}


GOOD_ICPC = {
    **_date("conference_date", ICPC),
    "attendance": ["Children's social care", "Police", "Health", "Family"],
    "decision": "plan",
    "category": "NEG",
    "outline_plan": "Daily school attendance; health visitor checks.",
    **_rows(
        "core_group_members",
        [
            ("Family", "Mary Smith", "Mother"),
            ("Testshire Schools", "Sid Singh", "Designated safeguarding lead"),
        ],
    ),
}


def test_icpc_form_offers_attendance_by_agency(world, client):
    enquiry = enquiry_of_sam(world)
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("protection:icpc-new", args=[enquiry.pk])))
    for agency in ("Children's social care", "Police", "Health", "Education", "Family", "Other"):
        assert f'type="checkbox" name="attendance" value="{agency}"' in text
    assert 'name="core_group_members-0-agency"' in text


def test_icpc_deciding_a_plan_starts_it(world, client):
    enquiry = enquiry_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.post(reverse("protection:icpc-new", args=[enquiry.pk]), _chaired(GOOD_ICPC, world))
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{enquiry.case_id}/"
    conference = ChildProtectionConference.objects.get()
    assert conference.attendance == {
        "Children's social care": True,
        "Police": True,
        "Health": True,
        "Education": False,
        "Family": True,
        "Other": False,
    }
    assert conference.core_group_members == [
        {"agency": "Family", "name": "Mary Smith", "role": "Mother"},
        {
            "agency": "Testshire Schools",
            "name": "Sid Singh",
            "role": "Designated safeguarding lead",
        },
    ]
    plan = conference.plan
    assert (plan.start_date, plan.initial_category, plan.latest_category) == (ICPC, "NEG", "NEG")
    enquiry.refresh_from_db()
    assert (enquiry.end_date, enquiry.outcome) == (ICPC, "icpc")


def test_icpc_deciding_no_plan_needs_no_category(world, client):
    enquiry = enquiry_of_sam(world)
    client.force_login(world.sw_amy)
    data = {**_date("conference_date", ICPC), "attendance": ["Police"], "decision": "no_plan",
            "chair": str(world.chair_iris.pk)}
    response = client.post(reverse("protection:icpc-new", args=[enquiry.pk]), data)
    assert response.status_code == 302
    assert ChildProtectionConference.objects.get().decision == "no_plan"
    assert ChildProtectionPlan.objects.count() == 0


BAD_ICPCS = [
    (_no_date("conference_date"), "Enter the date of the conference"),
    ("future", "The date of the conference cannot be in the future"),
    # Friday 3 January 2025 (a weekend day would first ask whether it really happened then).
    (_date("conference_date", REFERRED - timedelta(days=3)), "cannot be before the referral"),
    (
        _date("conference_date", REFERRED),
        "The conference cannot be before the section 47 enquiry started",
    ),
    ({"decision": ""}, "Choose whether the child needs a child protection plan"),
    (
        {"decision": "continue"},
        "Choose whether the child needs a child protection plan from the list",
    ),
    ({"category": ""}, "Choose the category of abuse"),
    ({"category": "XYZ"}, "Choose the category of abuse from the list"),
    ({"outline_plan": "  "}, "Enter the outline child protection plan"),
    (
        {
            "core_group_members-0-agency": "",
            "core_group_members-0-name": "",
            "core_group_members-0-role": "",
            "core_group_members-1-agency": "",
            "core_group_members-1-name": "",
            "core_group_members-1-role": "",
        },
        "Name the core group members",
    ),
    ({"attendance": ["Police", "Aliens"]}, "Choose agencies from the list"),
]


@pytest.mark.parametrize(("change", "message"), BAD_ICPCS)
def test_icpc_refuses_bad_input(world, client, change, message):
    enquiry = enquiry_of_sam(world)
    before = _counts()
    url = reverse("protection:icpc-new", args=[enquiry.pk])
    response = _post(client, world, url, _chaired(GOOD_ICPC, world), change, "conference_date")
    _assert_refused(response, message, before)


def test_an_enquiry_has_one_initial_conference(world, client):
    plan = plan_of_sam(world)
    enquiry = plan.conferences.get().section47
    before = _counts()
    url = reverse("protection:icpc-new", args=[enquiry.pk])
    response = _post(client, world, url, _chaired(GOOD_ICPC, world), {}, "conference_date")
    _assert_refused(response, "This enquiry already has an initial conference", before)


# --- Core groups ------------------------------------------------------------------------------

GOOD_CORE_GROUP = {
    **_date("meeting_date", date(2025, 2, 5)),
    **_rows(
        "attendees", [("Family", "Mary Smith", "Mother"), ("Testshire Schools", "Sid Singh", "")]
    ),
    "notes": "Plan agreed in detail.",
}


def test_core_group_is_recorded(world, client):
    plan = plan_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.post(reverse("protection:core-group-new", args=[plan.pk]), GOOD_CORE_GROUP)
    assert response.status_code == 302
    # The core group goes on to the plan's actions, to record progress on each (decision 0036).
    assert response["Location"] == f"/plans/{plan.pk}/#actions"
    meeting = CoreGroupMeeting.objects.get()
    assert (meeting.plan, meeting.meeting_date) == (plan, date(2025, 2, 5))
    assert [a["name"] for a in meeting.attendees] == ["Mary Smith", "Sid Singh"]


BAD_CORE_GROUPS = [
    (_no_date("meeting_date"), "Enter the date of the core group meeting"),
    ("future", "The date of the core group cannot be in the future"),
    (
        _date("meeting_date", ICPC - timedelta(days=1)),
        "A core group cannot meet before the plan started",
    ),
    ({"attendees-0-agency": ""}, "Enter the agency of Mary Smith"),
]


@pytest.mark.parametrize(("change", "message"), BAD_CORE_GROUPS)
def test_core_group_refuses_bad_input(world, client, change, message):
    plan = plan_of_sam(world)
    before = _counts()
    url = reverse("protection:core-group-new", args=[plan.pk])
    response = _post(client, world, url, GOOD_CORE_GROUP, change, "meeting_date")
    _assert_refused(response, message, before)


# --- Conferences on a weekend or bank holiday (item 20 of issue 11) ----------------------------

SATURDAY = date(2025, 1, 25)


def test_an_icpc_on_a_weekend_is_confirmed_before_it_is_saved(world, client):
    enquiry = enquiry_of_sam(world)
    url = reverse("protection:icpc-new", args=[enquiry.pk])
    before = _counts()
    data = {**_chaired(GOOD_ICPC, world), **_date("conference_date", SATURDAY)}
    client.force_login(world.sw_amy)
    response = client.post(url, data)
    _assert_refused(
        response,
        "25 January 2025 is a Saturday: correct the date of the conference, or confirm that "
        "it happened on that day",
        before,
    )
    text = _text(response)
    assert "govuk-warning-text" in text
    assert "Saturday 25 January 2025, which is not a working day" in text
    assert "DfE rule 8875" in text
    assert 'name="confirm_non_working_day" type="checkbox" value="2025-01-25"' in text
    assert 'href="#id_confirm_non_working_day"' in text
    # Everything typed comes back.
    assert "Daily school attendance; health visitor checks." in text
    assert 'value="Sid Singh"' in text
    response = client.post(url, {**data, "confirm_non_working_day": "2025-01-25"})
    assert response.status_code == 302
    assert ChildProtectionConference.objects.get().conference_date == SATURDAY


def test_a_confirmation_covers_only_the_date_it_confirmed(world, client):
    enquiry = enquiry_of_sam(world)
    url = reverse("protection:icpc-new", args=[enquiry.pk])
    client.force_login(world.sw_amy)
    data = {**_chaired(GOOD_ICPC, world), **_date("conference_date", date(2025, 1, 26))}
    response = client.post(url, {**data, "confirm_non_working_day": "2025-01-25"})
    assert response.status_code == 200
    assert "26 January 2025 is a Sunday" in _text(response)
    assert not ChildProtectionConference.objects.exists()


def test_an_icpc_on_a_working_day_asks_nothing(world, client):
    enquiry = enquiry_of_sam(world)
    client.force_login(world.sw_amy)
    url = reverse("protection:icpc-new", args=[enquiry.pk])
    assert "confirm_non_working_day" not in _text(client.get(url))
    # A stray confirmation on a working day is ignored.
    response = client.post(url, {**_chaired(GOOD_ICPC, world), "confirm_non_working_day": "2025-01-25"})
    assert response.status_code == 302


def test_the_weekend_question_waits_for_the_forms_other_problems(world, client):
    enquiry = enquiry_of_sam(world)
    url = reverse("protection:icpc-new", args=[enquiry.pk])
    client.force_login(world.sw_amy)
    data = {**_chaired(GOOD_ICPC, world), **_date("conference_date", SATURDAY), "decision": ""}
    text = _text(client.post(url, data))
    assert "Choose whether the child needs a child protection plan" in text
    assert "confirm_non_working_day" not in text
    # A Saturday in the future is refused as a future date, without the question.
    saturday = timezone.localdate() + timedelta(days=7 + (5 - timezone.localdate().weekday()) % 7)
    text = _text(client.post(url, {**_chaired(GOOD_ICPC, world), **_date("conference_date", saturday)}))
    assert "The date of the conference cannot be in the future" in text
    assert "confirm_non_working_day" not in text


def test_a_review_on_a_bank_holiday_is_confirmed_before_it_is_saved(world, client):
    plan = plan_of_sam(world)
    url = reverse("protection:review-new", args=[plan.pk])
    before = _counts()
    # Easter Monday 2025.
    data = {**_chaired(GOOD_REVIEW, world), **_date("conference_date", date(2025, 4, 21)), "category": "PHY"}
    client.force_login(world.sw_amy)
    response = client.post(url, data)
    _assert_refused(
        response,
        "21 April 2025 is a bank holiday: correct the date of the review conference, or "
        "confirm that it happened on that day",
        before,
    )
    assert 'value="PHY" class="govuk-radios__input" id="id_category_1" checked' in _text(response)
    response = client.post(url, {**data, "confirm_non_working_day": "2025-04-21"})
    assert response.status_code == 302
    review = ChildProtectionConference.objects.get(kind="review")
    assert (review.conference_date, review.category) == (date(2025, 4, 21), "PHY")


# --- Review conferences -----------------------------------------------------------------------

GOOD_REVIEW = {
    **_date("conference_date", date(2025, 4, 22)),
    "attendance": ["Children's social care", "Police", "Health"],
    "decision": "continue",
    "category": "EMO",
    "end_reason": "",
}


def test_review_form_defaults_to_the_plans_category_and_explains_the_end_reason(world, client):
    plan = plan_of_sam(world)
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("protection:review-new", args=[plan.pk])))
    assert (
        'name="category" value="NEG" class="govuk-radios__input" id="id_category_0" checked' in text
    )
    assert "Only if the plan ends" in text
    assert 'name="end_reason" value="risk_reduced"' in text
    # Turning 18, dying or leaving the UK end a plan without a conference.
    assert 'value="eighteen"' not in text


def test_review_continues_the_plan_with_its_latest_category(world, client):
    plan = plan_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.post(reverse("protection:review-new", args=[plan.pk]), _chaired(GOOD_REVIEW, world))
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{plan.case_id}/"
    plan.refresh_from_db()
    assert (plan.latest_category, plan.end_date) == ("EMO", None)
    review = ChildProtectionConference.objects.get(kind="review")
    assert (review.decision, review.plan, review.attendance["Health"]) == ("continue", plan, True)


def test_review_ends_the_plan_with_a_reason(world, client):
    plan = plan_of_sam(world)
    client.force_login(world.sw_amy)
    data = {**_chaired(GOOD_REVIEW, world), "decision": "end", "end_reason": "risk_reduced"}
    response = client.post(reverse("protection:review-new", args=[plan.pk]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.end_date, plan.end_reason) == (date(2025, 4, 22), "risk_reduced")


BAD_REVIEWS = [
    (_no_date("conference_date"), "Enter the date of the review conference"),
    ("future", "The date of the review conference cannot be in the future"),
    (
        # Friday 24 January 2025 (a weekend day would first ask whether it really happened).
        _date("conference_date", ICPC - timedelta(days=3)),
        "A review must come after the last conference (27 January 2025)",
    ),
    (
        _date("conference_date", ICPC),
        "A review must come after the last conference (27 January 2025)",
    ),
    ({"decision": ""}, "Choose whether the plan continues or ends"),
    ({"decision": "plan"}, "Choose whether the plan continues or ends from the list"),
    ({"category": "XYZ"}, "Choose the category of abuse from the list"),
    ({"decision": "end"}, "Choose why the plan ends"),
    ({"decision": "end", "end_reason": "died"}, "Choose why the plan ends from the list"),
]


@pytest.mark.parametrize(("change", "message"), BAD_REVIEWS)
def test_review_refuses_bad_input(world, client, change, message):
    plan = plan_of_sam(world)
    before = _counts()
    url = reverse("protection:review-new", args=[plan.pk])
    response = _post(client, world, url, _chaired(GOOD_REVIEW, world), change, "conference_date")
    _assert_refused(response, message, before)


def test_a_review_cannot_follow_an_ended_plan(world, client):
    plan = plan_of_sam(world)
    url = reverse("protection:review-new", args=[plan.pk])
    _post(client, world, url, {**_chaired(GOOD_REVIEW, world), "decision": "end", "end_reason": "moved"}, {}, "")
    before = _counts()
    response = _post(
        client, world, url, {**_chaired(GOOD_REVIEW, world), **_date("conference_date", date(2025, 5, 1))}, {}, ""
    )
    _assert_refused(response, "The plan ended on 22 April 2025", before)


# --- Ending a plan without a conference -------------------------------------------------------

GOOD_END = {**_date("end_date", date(2025, 3, 3)), "reason": "left_uk"}


def test_plan_ends_when_the_child_leaves_the_uk(world, client):
    plan = plan_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.post(reverse("protection:plan-end", args=[plan.pk]), GOOD_END)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{plan.case_id}/"
    plan.refresh_from_db()
    assert (plan.end_date, plan.end_reason) == (date(2025, 3, 3), "left_uk")


def test_plan_end_offers_only_the_reasons_that_need_no_conference(world, client):
    plan = plan_of_sam(world)
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("protection:plan-end", args=[plan.pk])))
    for reason in ("eighteen", "died", "left_uk"):
        assert f'name="reason" value="{reason}"' in text
    assert 'value="risk_reduced"' not in text
    assert 'value="moved"' not in text


BAD_ENDS = [
    (_no_date("end_date"), "Enter the date the plan ended"),
    ("future", "The end date cannot be in the future"),
    (_date("end_date", ICPC - timedelta(days=1)), "The plan cannot end before it started"),
    (_date("end_date", REFERRED - timedelta(days=1)), "cannot be before the referral"),
    ({"reason": ""}, "Choose why the plan ended"),
    ({"reason": "risk_reduced"}, "Choose why the plan ended from the list"),
]


@pytest.mark.parametrize(("change", "message"), BAD_ENDS)
def test_plan_end_refuses_bad_input(world, client, change, message):
    plan = plan_of_sam(world)
    before = _counts()
    url = reverse("protection:plan-end", args=[plan.pk])
    response = _post(client, world, url, GOOD_END, change, "end_date")
    _assert_refused(response, message, before)


def test_an_ended_plan_cannot_end_again(world, client):
    plan = plan_of_sam(world)
    services.plan_end_without_conference(
        by=world.sw_amy, plan=plan, end_date=date(2025, 3, 3), reason="died"
    )
    before = _counts()
    url = reverse("protection:plan-end", args=[plan.pk])
    response = _post(client, world, url, GOOD_END, {}, "end_date")
    _assert_refused(response, "The plan has already ended", before)


# --- Links for the case page ------------------------------------------------------------------


def _actions(case, *, can_record=True) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        "protection/_case_actions.html", {"case": case, "can_record": can_record}
    )


def test_case_actions_offer_each_next_step(world):
    case = case_of_sam(world)
    strategy = reverse("protection:strategy-new", args=[case.pk])
    assert strategy in _actions(case)
    assert "<li>" not in _actions(case, can_record=False)

    discussion = services.strategy_discussion_record(
        by=world.sw_amy, case=case, discussion_date=DISCUSSED, attendees=ATTENDEES, decision="s47"
    )
    assert reverse("protection:s47-new", args=[discussion.pk]) in _actions(case)

    enquiry = services.section47_start(
        by=world.sw_amy, case=case, strategy_discussion=discussion, start_date=ENQUIRY_STARTED
    )
    links = _actions(case)
    assert reverse("protection:s47-new", args=[discussion.pk]) not in links
    assert reverse("protection:s47-conclude", args=[enquiry.pk]) in links
    assert reverse("protection:icpc-new", args=[enquiry.pk]) in links

    conference = services.icpc_record(
        by=world.sw_amy,
        chair=world.chair_iris,
        section47=enquiry,
        conference_date=ICPC,
        attendance={"Children's social care": True, "Police": True, "Health": True},
        decision="plan",
        category="PHY",
        outline_plan="Plan",
        core_group_members=[{"agency": "Family", "name": "Mary Smith"}],
    )
    plan = conference.plan
    links = _actions(case)
    assert reverse("protection:s47-conclude", args=[enquiry.pk]) not in links
    assert reverse("protection:icpc-new", args=[enquiry.pk]) not in links
    for name in ("protection:core-group-new", "protection:review-new", "protection:plan-end"):
        assert reverse(name, args=[plan.pk]) in links

    services.plan_end_without_conference(
        by=world.sw_amy, plan=plan, end_date=date(2025, 3, 3), reason="died"
    )
    links = _actions(case)
    assert reverse("protection:plan-end", args=[plan.pk]) not in links
    assert strategy in links


def test_case_actions_offer_a_conference_after_an_enquiry_concluded_for_one(world):
    enquiry = enquiry_of_sam(world)
    authorise(services.section47_conclude(
        by=world.sw_amy, enquiry=enquiry, end_date=date(2025, 1, 20), outcome="icpc"
    ))
    assert reverse("protection:icpc-new", args=[enquiry.pk]) in _actions(enquiry.case)
    other = enquiry_of_sam(world, child=world.child_sally)
    authorise(services.section47_conclude(
        by=world.sw_amy, enquiry=other, end_date=date(2025, 1, 20), outcome="nfa"
    ))
    assert reverse("protection:icpc-new", args=[other.pk]) not in _actions(other.case)
