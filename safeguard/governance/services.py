"""Writing plans, actions, their ratings and evidence, and the risk register. Each service
takes ``by=``, checks the policy and the data, and saves through ``audit.services`` (a change
event in the same transaction); bad input raises ``ApplicationError`` and stores nothing."""

import os
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.governance import evidence_files, permissions
from safeguard.governance.models import (
    Action,
    ActionRating,
    ActionStatus,
    Evidence,
    Objective,
    Plan,
    Rag,
    Risk,
)
from safeguard.governance.permissions import Action as Do
from safeguard.governance.selectors import descendant_ids
from safeguard.performance.indicators import INDICATORS

INDICATOR_IDS = frozenset(i.id for i in INDICATORS)


def _require(by, what, obj=None, message="You may not do this"):
    if not permissions.can(by, what, obj):
        raise PermissionDenied(message)


def _check_person(by, user, field: str) -> None:
    if user is None or not user.is_active or user.authority_id != by.authority_id:
        raise ApplicationError("Choose an active member of staff of this authority", field=field)


def _check_agency(by, agency, field: str) -> None:
    if agency is not None and agency.authority_id != by.authority_id:
        raise ApplicationError("Choose an agency of this authority", field=field)


def _check_incorporation(plan: Plan | None, into: Plan | None) -> None:
    """Refuse a cycle: a plan incorporated into itself or into a plan below it (at any depth).
    Plans nest at any depth otherwise (decision 0086)."""
    if into is None:
        return
    if plan is not None and into.pk == plan.pk:
        raise ApplicationError(
            "A plan cannot be incorporated into itself", field="incorporated_into"
        )
    if plan is not None and into.pk in descendant_ids(plan):
        raise ApplicationError(
            f"“{into.title}” is incorporated into this plan (directly or through another), so "
            "this plan cannot be incorporated into it: choose a plan above or beside it",
            field="incorporated_into",
        )


def _check_plan_fields(by, *, lead, agency, start_date, end_date) -> None:
    _check_person(by, lead, "lead")
    _check_agency(by, agency, "agency")
    if end_date <= start_date:
        raise ApplicationError("The end date must be after the start date", field="end_date")


@transaction.atomic
def plan_create(
    *, by, title: str, owner_body: str, lead, start_date: date, end_date: date,
    status: str = "draft", agency=None, incorporated_into: Plan | None = None,
) -> Plan:  # fmt: skip
    """Start an improvement plan, optionally an agency's plan incorporated into another."""
    _require(by, Do.CREATE_PLAN, message="Only a service manager starts an improvement plan")
    _check_plan_fields(by, lead=lead, agency=agency, start_date=start_date, end_date=end_date)
    if incorporated_into is not None:
        _require(by, Do.CHANGE_PLAN, incorporated_into)
    _check_incorporation(None, incorporated_into)
    plan = Plan(
        authority_id=by.authority_id, title=title, owner_body=owner_body, lead=lead,
        agency=agency, start_date=start_date, end_date=end_date, status=status,
        incorporated_into=incorporated_into,
    )  # fmt: skip
    save_new(plan, by=by)
    return plan


@transaction.atomic
def plan_update(
    *, by, plan: Plan, version: int | None, title: str, owner_body: str, lead,
    start_date: date, end_date: date, status: str, agency=None,
    incorporated_into: Plan | None = None,
) -> Plan:  # fmt: skip
    """Change a plan's details, its status or the plan it is incorporated into."""
    _require(by, Do.CHANGE_PLAN, plan)
    expect_version(plan, version)
    _check_plan_fields(by, lead=lead, agency=agency, start_date=start_date, end_date=end_date)
    if incorporated_into is not None and incorporated_into.pk != plan.incorporated_into_id:
        _require(by, Do.CHANGE_PLAN, incorporated_into)
    _check_incorporation(plan, incorporated_into)
    before = snapshot(plan)
    plan.title, plan.owner_body, plan.lead, plan.agency = title, owner_body, lead, agency
    plan.start_date, plan.end_date, plan.status = start_date, end_date, status
    plan.incorporated_into = incorporated_into
    save_change(plan, by=by, before=before)
    return plan


@transaction.atomic
def objective_add(*, by, plan: Plan, title: str) -> Objective:
    """Add an objective at the end of the plan's list."""
    _require(by, Do.CHANGE_PLAN, plan)
    last = plan.objectives.order_by("-number").values_list("number", flat=True).first() or 0
    objective = Objective(plan=plan, number=last + 1, title=title)
    save_new(objective, by=by)
    return objective


def _check_rating(rag: str, reason: str) -> None:
    if rag not in Rag.values:
        raise ApplicationError("Choose a RAG rating", field="rag")
    if rag in (Rag.RED, Rag.AMBER) and not reason.strip():
        raise ApplicationError("Say why the action is rated amber or red", field="rag_reason")


def _check_indicators(indicators) -> list[str]:
    unknown = set(indicators) - INDICATOR_IDS
    if unknown:
        raise ApplicationError("Choose indicators from the list", field="indicators")
    return sorted(indicators)


def _rate(action: Action, *, by, at=None) -> ActionRating:
    rating = ActionRating(
        action=action, rating=action.rag, reason=action.rag_reason, rated_by=by,
        rated_at=at or timezone.now(),
    )  # fmt: skip
    rating.save()
    return rating


@transaction.atomic
def action_add(
    *, by, objective: Objective, title: str, owner, agency, due_date: date,
    description: str = "", rag: str = Rag.GREEN, rag_reason: str = "", indicators=(),
    status: str = ActionStatus.NOT_STARTED, rated_at=None,
) -> Action:  # fmt: skip
    """Add an action to an objective, with its first RAG rating. An action is never made
    done here: done is signed off (``action_update``, ``action_sign_off``)."""
    _require(by, Do.CHANGE_PLAN, objective.plan)
    _check_person(by, owner, "owner")
    if agency is None:
        raise ApplicationError("Choose the agency that owns the action", field="agency")
    _check_agency(by, agency, "agency")
    _check_rating(rag, rag_reason)
    if status in (ActionStatus.DONE, ActionStatus.AWAITING_SIGN_OFF):
        raise ApplicationError("A new action cannot be done yet", field="status")
    action = Action(
        authority_id=by.authority_id, title=title, description=description, owner=owner,
        agency=agency, due_date=due_date, status=status, rag=rag, rag_reason=rag_reason,
        indicators=_check_indicators(indicators),
    )  # fmt: skip
    save_new(action, by=by)
    action.objectives.add(objective)
    _rate(action, by=by, at=rated_at)
    return action


@transaction.atomic
def action_update(
    *, by, action: Action, version: int | None, status: str, due_date: date, rag: str,
    rag_reason: str = "", indicators=None, on: date | None = None, rated_at=None,
) -> Action:  # fmt: skip
    """Record progress on an action: its status, due date and RAG rating with the reason (a
    new rating goes into its RAG history). Marking it done is signed off by the owner of a plan
    it serves: set by whoever may sign it off (and is not its owner), it is done at once;
    otherwise it waits for sign-off."""
    _require(by, Do.UPDATE_ACTION, action)
    expect_version(action, version)
    _check_rating(rag, rag_reason)
    reopened = action.status == ActionStatus.DONE and status != ActionStatus.DONE
    if reopened and not permissions.can(by, Do.SIGN_OFF, action):
        raise ApplicationError(
            "Only the plan's owner reopens an action signed off as done", field="status"
        )
    before = snapshot(action)
    rated = (rag, rag_reason) != (action.rag, action.rag_reason)
    if status in (ActionStatus.DONE, ActionStatus.AWAITING_SIGN_OFF):
        if action.status == ActionStatus.DONE:
            status = ActionStatus.DONE
        elif permissions.can(by, Do.SIGN_OFF, action):
            status = ActionStatus.DONE
            action.signed_off_by = by
            action.completed_on = on or timezone.localdate()
        else:
            status = ActionStatus.AWAITING_SIGN_OFF
            action.done_asked_by = by
    else:
        action.done_asked_by = action.signed_off_by = action.completed_on = None
    action.status, action.due_date, action.rag, action.rag_reason = (
        status,
        due_date,
        rag,
        rag_reason,
    )
    if indicators is not None:
        action.indicators = _check_indicators(indicators)
    save_change(action, by=by, before=before)
    if rated:
        _rate(action, by=by, at=rated_at)
    return action


@transaction.atomic
def action_sign_off(*, by, action: Action, version: int | None, on: date | None = None) -> Action:
    """Sign off an action waiting for it as done: never by its owner nor by whoever asked."""
    expect_version(action, version)
    if action.status != ActionStatus.AWAITING_SIGN_OFF:
        raise ApplicationError("This action is not waiting for sign-off")
    _require(
        by, Do.SIGN_OFF, action,
        "The owner of a plan it serves signs an action off, never its own owner nor whoever "
        "asked for the sign-off",
    )  # fmt: skip
    before = snapshot(action)
    action.status = ActionStatus.DONE
    action.signed_off_by = by
    action.completed_on = on or timezone.localdate()
    save_change(action, by=by, before=before)
    return action


@transaction.atomic
def action_serve(*, by, action: Action, objective: Objective) -> Action:
    """Let an action serve one more objective, of this plan or another of the authority."""
    _require(by, Do.CHANGE_PLAN, objective.plan)
    if objective.plan.authority_id != action.authority_id:
        raise ApplicationError("Choose an objective of a plan of this authority", field="objective")
    if action.objectives.filter(pk=objective.pk).exists():
        raise ApplicationError("The action already serves that objective", field="objective")
    before = snapshot(action)
    action.objectives.add(objective)
    save_change(action, by=by, before=before)
    return action


def evidence_add(*, by, action: Action, title: str, url: str = "", file=None) -> Evidence:
    """Add a piece of evidence to an action: a link, an uploaded file (``file``: an upload or
    bytes; checked by content, stored outside the database, decision 0086), or both. A refusal
    stores nothing: no record, and no file left behind."""
    _require(by, Do.UPDATE_ACTION, action)
    title, url = (title or "").strip(), (url or "").strip()
    if not title:
        raise ApplicationError("Say what the evidence is", field="title")
    if url and not url.lower().startswith(("https://", "http://")):
        raise ApplicationError("Enter a link starting with https://", field="url")
    if not url and file is None:
        raise ApplicationError("Enter a link or choose a file, or both", field="url")
    if file is None:
        return _evidence_save(by=by, evidence=Evidence(action=action, title=title, url=url))
    stored = evidence_files.receive_and_place(file)
    name = str(getattr(file, "name", "") or f"evidence.{stored.kind.extension}")
    evidence = Evidence(
        action=action, title=title, url=url, file_key=stored.key,
        file_name=os.path.basename(name)[:200], extension=stored.kind.extension,
        media_type=stored.kind.media_type, size=stored.size, sha256=stored.sha256,
    )  # fmt: skip
    try:
        return _evidence_save(by=by, evidence=evidence)
    except BaseException:
        evidence_files.remove(stored.key)
        raise


@transaction.atomic
def _evidence_save(*, by, evidence: Evidence) -> Evidence:
    save_new(evidence, by=by)
    return evidence


def evidence_orphans_clean() -> str:
    """The scheduled job ``clean-evidence-files``: orphans older than an hour removed."""
    removed = evidence_orphans_remove(older_than_seconds=3600)
    return f"{len(removed)} orphaned evidence file{'s' if len(removed) != 1 else ''} removed"


def evidence_orphans_remove(*, older_than_seconds: int = 3600) -> list[str]:
    """Remove stored evidence files no evidence names (an outer transaction's failure)."""
    keys = Evidence.objects.exclude(file_key="").values_list("file_key", flat=True)
    return evidence_files.orphans_remove(keys.iterator(), older_than_seconds=older_than_seconds)


def _check_risk(by, *, likelihood, impact, owner, plans) -> None:
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if not 1 <= value <= 5:
            raise ApplicationError(f"Give the {name} from 1 to 5", field=name)
    _check_person(by, owner, "owner")
    if any(p.authority_id != by.authority_id for p in plans):
        raise ApplicationError("Choose plans of this authority", field="plans")


@transaction.atomic
def risk_add(
    *, by, kind: str, title: str, likelihood: int, impact: int, owner, mitigation: str,
    review_date: date, plans=(),
) -> Risk:  # fmt: skip
    """Add a risk or an issue to the register, with the plans it threatens."""
    _require(by, Do.ADD_RISK, message="Only a service manager or a plan's owner adds a risk")
    plans = list(plans)
    _check_risk(by, likelihood=likelihood, impact=impact, owner=owner, plans=plans)
    risk = Risk(
        authority_id=by.authority_id, kind=kind, title=title, likelihood=likelihood,
        impact=impact, owner=owner, mitigation=mitigation, review_date=review_date,
    )  # fmt: skip
    save_new(risk, by=by)
    risk.plans.set(plans)
    return risk


@transaction.atomic
def risk_update(
    *, by, risk: Risk, version: int | None, kind: str, title: str, likelihood: int,
    impact: int, owner, mitigation: str, review_date: date, status: str, plans=(),
) -> Risk:  # fmt: skip
    """Review a risk: its scores, mitigation, next review, status and the plans it threatens."""
    _require(by, Do.CHANGE_RISK, risk)
    expect_version(risk, version)
    plans = list(plans)
    _check_risk(by, likelihood=likelihood, impact=impact, owner=owner, plans=plans)
    before = snapshot(risk)
    risk.kind, risk.title, risk.likelihood, risk.impact = kind, title, likelihood, impact
    risk.owner, risk.mitigation, risk.review_date, risk.status = (
        owner,
        mitigation,
        review_date,
        status,
    )
    risk.plans.set(plans)
    save_change(risk, by=by, before=before)
    return risk
