"""Recording a session: who may, what it needs, the decisions written on the child's file
and chronology, signing, and actions carried forward until done."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeguard.casework.models import ChronologyEntry, ManagementDecision
from safeguard.core.errors import ApplicationError
from safeguard.supervision import selectors, services
from safeguard.supervision.models import Session, SessionAction, SessionDecision
from safeguard.supervision.services import ActionInput, DiscussionInput
from safeguard.supervision.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(world):
    return f.management_line(world)


def _record(world, by, supervisee, discussions=(), **kw):
    return services.session_record(
        by=by, supervisee=supervisee, session_date=kw.pop("on", timezone.localdate()),
        duration_minutes=kw.pop("minutes", 90), wellbeing=kw.pop("wellbeing", "Well."),
        discussions=list(discussions), **kw,
    )  # fmt: skip


def test_a_decision_reaches_the_childs_file_and_chronology(world, line):
    case = f.held_case(world)
    today = timezone.localdate()
    session = _record(world, world.tm_carol, world.sw_amy, [DiscussionInput(
        case=case, reflection="Mother is engaging; father's role unclear.",
        decision="Convene a family network meeting", rationale="Wider family can offer safety",
    )])  # fmt: skip
    decision = ManagementDecision.objects.get(case=case)
    assert decision.decision == "Convene a family network meeting"
    assert decision.decided_by == world.tm_carol and decision.decision_date == today
    assert "Wider family can offer safety" in decision.rationale
    entry = ChronologyEntry.objects.get(child=case.child, source_id=str(decision.pk))
    assert "Convene a family network meeting" in entry.what
    linked = SessionDecision.objects.get(discussion__session=session)
    assert linked.management_decision == decision
    assert session.supervisor_signed_at is not None and session.supervisee_signed_at is None


def test_a_decision_needs_its_rationale_and_nothing_is_stored(world, line):
    case = f.held_case(world)
    with pytest.raises(ApplicationError, match="rationale"):
        _record(world, world.tm_carol, world.sw_amy,
                [DiscussionInput(case=case, reflection="R", decision="Close the case")])  # fmt: skip
    assert not Session.objects.exists() and not ManagementDecision.objects.exists()


def test_nobody_supervises_themselves(world, line):
    with pytest.raises(PermissionDenied):
        _record(world, world.tm_carol, world.tm_carol)


def test_only_someone_in_the_line_records(world, line):
    """Carol manages Team A, not Team B: she may not supervise Ben; Dan, above both, may;
    a social worker never."""
    with pytest.raises(PermissionDenied):
        _record(world, world.tm_carol, world.sw_ben)
    with pytest.raises(PermissionDenied):
        _record(world, world.sw_ben, world.sw_amy)
    assert _record(world, world.sm_dan, world.sw_ben).supervisor == world.sm_dan
    assert _record(world, world.sm_dan, world.tm_carol).supervisee == world.tm_carol


def test_a_case_discussed_must_be_the_workers(world, line):
    bens = f.held_case(world, world.sw_ben, team=world.team_b)
    with pytest.raises(ApplicationError, match="allocated to the worker"):
        _record(world, world.sm_dan, world.sw_amy, [DiscussionInput(case=bens, reflection="R")])


def test_bad_input_is_refused_with_a_message(world, line):
    with pytest.raises(ApplicationError, match="length"):
        _record(world, world.tm_carol, world.sw_amy, minutes=0)
    with pytest.raises(ApplicationError, match="future"):
        _record(world, world.tm_carol, world.sw_amy, on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ApplicationError, match="at least one case"):
        _record(world, world.tm_carol, world.sw_amy, wellbeing=" ")
    with pytest.raises(ApplicationError, match="due before"):
        _record(world, world.tm_carol, world.sw_amy, actions=[ActionInput(
            action="Book training", owner=world.sw_amy,
            due_date=timezone.localdate() - timedelta(days=1))])  # fmt: skip
    assert not Session.objects.exists()


def test_the_supervisee_signs_once_and_nobody_else(world, line):
    session = _record(world, world.tm_carol, world.sw_amy)
    with pytest.raises(PermissionDenied):
        services.session_sign(by=world.tm_carol, session=session)
    with pytest.raises(PermissionDenied):
        services.session_sign(by=world.sm_dan, session=session)
    signed = services.session_sign(by=world.sw_amy, session=session, comment="Agreed.")
    assert signed.supervisee_signed_at is not None and signed.supervisee_comment == "Agreed."
    with pytest.raises(PermissionDenied):
        services.session_sign(by=world.sw_amy, session=signed)


def test_actions_are_carried_forward_until_done(world, line):
    case = f.held_case(world)
    today = timezone.localdate()
    first = _record(world, world.tm_carol, world.sw_amy, [DiscussionInput(
        case=case, reflection="R", action="Visit the school", action_owner=world.sw_amy,
        action_due=today + timedelta(days=7))],
        actions=[ActionInput(action="Book ASYE training", owner=world.tm_carol,
                             due_date=today + timedelta(days=14))],
    )  # fmt: skip
    assert [a.action for a in selectors.open_actions(world.sw_amy)] == [
        "Visit the school", "Book ASYE training",
    ]  # fmt: skip
    school = SessionAction.objects.get(action="Visit the school")
    second = _record(world, world.tm_carol, world.sw_amy, done=[school])
    assert [a.action for a in selectors.open_actions(world.sw_amy)] == ["Book ASYE training"]
    school.refresh_from_db()
    assert school.done_on == today and school.done_in == second and school.session == first
    with pytest.raises(ApplicationError, match="already done"):
        _record(world, world.tm_carol, world.sw_amy, done=[school])


def test_another_workers_action_cannot_be_marked_done(world, line):
    _record(world, world.sm_dan, world.sw_ben, actions=[ActionInput(
        action="Shadow a conference", owner=world.sw_ben,
        due_date=timezone.localdate() + timedelta(days=3))])  # fmt: skip
    bens = SessionAction.objects.get()
    with pytest.raises(ApplicationError, match="this worker"):
        _record(world, world.tm_carol, world.sw_amy, done=[bens])
    assert SessionAction.objects.get().done_on is None


def test_a_sealed_childs_case_is_not_discussed_by_a_manager_outside_the_seal(world, line):
    from safeguard.people.services import person_seal

    case = f.held_case(world)
    person_seal(by=world.tm_carol, person=case.child, reason="The child is a relative of staff",
                members=[world.sw_amy])  # fmt: skip
    with pytest.raises(ApplicationError, match="one you may see"):
        _record(world, world.sm_dan, world.sw_amy, [DiscussionInput(case=case, reflection="R")])
    assert _record(
        world, world.tm_carol, world.sw_amy, [DiscussionInput(case=case, reflection="R")]
    )
