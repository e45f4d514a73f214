"""Reading plans, actions and risks. Each read starts from the policy's ``visible_to``; each
page makes a fixed number of queries whatever the number of plans, actions or risks.

``rag_summary`` and ``highlight_report`` return plain dataclasses, drawn by the partial
templates ``governance/_rag_summary.html`` and ``governance/_highlight_report.html`` from the
dataclass alone, so that a board pack can show them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.db.models import Prefetch, Q
from django.http import Http404

from safeguard.accounts.models import Agency, User
from safeguard.audit.models import ChangeEvent, ChangeVerb
from safeguard.governance import permissions
from safeguard.governance.models import (
    Action,
    ActionStatus,
    Evidence,
    Objective,
    Plan,
    Rag,
    Risk,
    RiskStatus,
    risk_band,
)
from safeguard.performance.indicators import INDICATORS

INDICATOR_TITLES = {i.id: i.title for i in INDICATORS}
Through = Action.objectives.through


# ---- reading one record -------------------------------------------------------------------


def plan_for(*, user, plan_id: UUID) -> Plan:
    """The plan, if ``user`` may read it; Http404 otherwise (it is not said to exist)."""
    plan = (
        permissions.visible_to(user)
        .select_related("lead", "agency", "incorporated_into")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def action_for(*, user, action_id: UUID) -> Action:
    if not permissions.may_read(user):
        raise Http404
    action = (
        Action.objects.select_related("owner", "agency", "done_asked_by", "signed_off_by")
        .filter(pk=action_id, authority_id=user.authority_id)
        .first()
    )
    if action is None:
        raise Http404
    return action


def evidence_for(*, user, evidence_id: UUID) -> Evidence:
    """An evidence record with a file, if ``user`` may see its action; Http404 otherwise."""
    if not permissions.may_read(user):
        raise Http404
    evidence = (
        Evidence.objects.select_related("action")
        .filter(pk=evidence_id, action__authority_id=user.authority_id)
        .exclude(file_key="")
        .first()
    )
    if evidence is None or not permissions.can(user, permissions.Action.READ, evidence.action):
        raise Http404
    return evidence


def objective_for(*, user, objective_id: UUID) -> Objective:
    objective = (
        Objective.objects.select_related("plan")
        .filter(pk=objective_id, plan__in=permissions.visible_to(user))
        .first()
    )
    if objective is None:
        raise Http404
    return objective


def risk_for(*, user, risk_id: UUID) -> Risk:
    if not permissions.may_read(user):
        raise Http404
    risk = Risk.objects.filter(pk=risk_id, authority_id=user.authority_id).first()
    if risk is None:
        raise Http404
    return risk


# ---- RAG summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRag:
    plan_id: UUID
    title: str
    incorporated: tuple[str, ...]  # the titles of the plans incorporated into it
    red: int
    amber: int
    green: int
    done: int
    late: int
    total: int


@dataclass(frozen=True)
class RagSummary:
    """Per plan, its actions and those of the plans incorporated into it, each counted once:
    done, or (not done) red, amber or green; late ones (past due, not done) also counted."""

    on: date
    rows: tuple[PlanRag, ...]


def _tree(authority_ids) -> tuple[dict[UUID, Plan], dict[UUID, list[Plan]]]:
    """Every plan of these authorities, and each plan's directly incorporated plans by title
    (one query, whatever the depth of nesting)."""
    plans = {
        p.pk: p
        for p in Plan.objects.filter(authority_id__in=set(authority_ids))
        .select_related("incorporated_into")
        .order_by("title")
    }
    below: dict[UUID, list[Plan]] = defaultdict(list)
    for p in plans.values():
        if p.incorporated_into_id is not None:
            below[p.incorporated_into_id].append(p)
    return plans, below


def _walk(top: UUID, below: dict[UUID, list[Plan]]) -> list[Plan]:
    """The plans below ``top`` at any depth, each once, depth first in title order (a loop in
    the data, which the services refuse, is cut rather than followed)."""
    found: list[Plan] = []
    seen = {top}
    stack = list(reversed(below.get(top, [])))
    while stack:
        plan = stack.pop()
        if plan.pk in seen:
            continue
        seen.add(plan.pk)
        found.append(plan)
        stack.extend(reversed(below.get(plan.pk, [])))
    return found


def _with_incorporated(plans: list[Plan]) -> dict[UUID, list[Plan]]:
    """Each plan's incorporated plans at any depth (one query): a team's plan incorporated
    into the police plan incorporated into the partnership plan is monitored in all three."""
    if not plans:
        return defaultdict(list)
    _, below = _tree(p.authority_id for p in plans)
    return defaultdict(list, {p.pk: _walk(p.pk, below) for p in plans})


def descendant_ids(plan: Plan) -> set[UUID]:
    """The ids of the plans incorporated into ``plan`` at any depth (one query)."""
    return {p.pk for p in _with_incorporated([plan])[plan.pk]}


def rag_summary(plans, on: date) -> RagSummary:
    """The RAG counts of each of ``plans`` on ``on`` (two queries whatever the numbers)."""
    plans = list(plans)
    children = _with_incorporated(plans)
    ids = {p.pk for p in plans} | {c.pk for kids in children.values() for c in kids}
    rows = Through.objects.filter(objective__plan_id__in=ids).values_list(
        "action_id", "objective__plan_id", "action__rag", "action__status", "action__due_date"
    )
    by_plan: dict[UUID, dict[UUID, tuple]] = defaultdict(dict)
    for action_id, plan_id, rag, status, due in rows:
        by_plan[plan_id][action_id] = (rag, status, due)
    out = []
    for plan in plans:
        actions: dict[UUID, tuple] = dict(by_plan[plan.pk])
        for child in children[plan.pk]:
            actions.update(by_plan[child.pk])
        counts = {"red": 0, "amber": 0, "green": 0, "done": 0, "late": 0}
        for rag, status, due in actions.values():
            if status == ActionStatus.DONE:
                counts["done"] += 1
                continue
            counts[rag] += 1
            if due < on:
                counts["late"] += 1
        out.append(
            PlanRag(
                plan_id=plan.pk,
                title=plan.title,
                incorporated=tuple(c.title for c in children[plan.pk]),
                total=len(actions),
                **counts,
            )
        )
    return RagSummary(on=on, rows=tuple(out))


# ---- highlight report ----------------------------------------------------------------------


@dataclass(frozen=True)
class HighlightAction:
    title: str
    plans: tuple[str, ...]
    owner: str
    agency: str
    due_date: date
    status: str
    rag: str  # "red", "amber" or "green"
    rag_label: str
    reason: str
    late: bool
    days_late: int


@dataclass(frozen=True)
class HighlightRisk:
    title: str
    kind: str
    likelihood: int
    impact: int
    score: int
    band: str
    owner: str
    mitigation: str
    review_date: date
    review_overdue: bool


@dataclass(frozen=True)
class HighlightReport:
    """A plan's exceptions on a day: its actions (and those of the plans incorporated into it)
    that are late or red, latest due first, and the open risks that threaten them, highest
    score first."""

    plan_id: UUID
    plan_title: str
    on: date
    incorporated: tuple[str, ...]
    actions: tuple[HighlightAction, ...]
    risks: tuple[HighlightRisk, ...] = field(default=())


def _name(user) -> str:
    return user.get_full_name() or user.username


def highlight_report(plan: Plan, on: date) -> HighlightReport:
    """The highlight report of ``plan`` on ``on`` (four queries whatever the numbers)."""
    children = _with_incorporated([plan])[plan.pk]
    ids = [plan.pk] + [c.pk for c in children]
    exceptions = (
        Action.objects.filter(objectives__plan_id__in=ids)
        .exclude(status=ActionStatus.DONE)
        .filter(Q(due_date__lt=on) | Q(rag=Rag.RED))
        .select_related("owner", "agency")
        .distinct()
        .order_by("due_date", "title")
    )
    exceptions = list(exceptions)
    served: dict[UUID, list[str]] = defaultdict(list)
    for action_id, title in (
        Through.objects.filter(action__in=exceptions, objective__plan_id__in=ids)
        .values_list("action_id", "objective__plan__title")
        .distinct()
        .order_by("objective__plan__title")
    ):
        served[action_id].append(title)
    risks = (
        Risk.objects.filter(plans__in=ids, status=RiskStatus.OPEN)
        .select_related("owner")
        .distinct()
    )
    return HighlightReport(
        plan_id=plan.pk,
        plan_title=plan.title,
        on=on,
        incorporated=tuple(c.title for c in children),
        actions=tuple(
            HighlightAction(
                title=a.title,
                plans=tuple(served[a.pk]),
                owner=_name(a.owner),
                agency=a.agency.name,
                due_date=a.due_date,
                status=a.get_status_display(),
                rag=a.rag,
                rag_label=a.get_rag_display(),
                reason=a.rag_reason,
                late=a.is_late(on),
                days_late=max((on - a.due_date).days, 0),
            )
            for a in exceptions
        ),
        risks=tuple(
            sorted(
                (
                    HighlightRisk(
                        title=r.title,
                        kind=r.get_kind_display(),
                        likelihood=r.likelihood,
                        impact=r.impact,
                        score=r.score,
                        band=risk_band(r.score),
                        owner=_name(r.owner),
                        mitigation=r.mitigation,
                        review_date=r.review_date,
                        review_overdue=r.review_overdue(on),
                    )
                    for r in risks
                ),
                key=lambda r: (-r.score, r.review_date, r.title),
            )
        ),
    )


# ---- pages ---------------------------------------------------------------------------------


def plans_page(*, user, on: date) -> dict:
    """The authority's plans, each with its RAG counts (three queries)."""
    plans = list(permissions.visible_to(user).select_related("lead", "incorporated_into", "agency"))
    summary = rag_summary([p for p in plans if p.incorporated_into_id is None], on)
    return {"plans": plans, "summary": summary}


_ACTIONS = Action.objects.select_related("owner", "agency").order_by("due_date", "title")


def plan_page(*, plan: Plan, on: date) -> dict:
    """A plan with its objectives and actions, the plans incorporated into it with theirs, its
    RAG counts, the risks that threaten it and its history (a fixed number of queries)."""
    children = _with_incorporated([plan])[plan.pk]
    ids = [plan.pk] + [c.pk for c in children]
    objectives = list(
        Objective.objects.filter(plan_id__in=ids)
        .select_related("plan")
        .prefetch_related(Prefetch("actions", queryset=_ACTIONS))
    )
    for objective in objectives:
        for action in objective.actions.all():
            action.late = action.is_late(on)
    own = [o for o in objectives if o.plan_id == plan.pk]
    incorporated = [(c, [o for o in objectives if o.plan_id == c.pk]) for c in children]
    risks = list(
        Risk.objects.filter(plans__in=ids, status=RiskStatus.OPEN)
        .select_related("owner")
        .distinct()
    )
    risks.sort(key=lambda r: (-r.score, r.review_date))
    targets = {
        "governance.plan": [str(i) for i in ids],
        "governance.objective": [str(o.pk) for o in objectives],
        "governance.action": sorted({str(a.pk) for o in objectives for a in o.actions.all()}),
    }
    return {
        "objectives": own,
        "incorporated": incorporated,
        "summary": rag_summary([plan], on).rows[0],
        "risks": risks,
        "history": history(targets),
    }


def action_page(*, action: Action) -> dict:
    """An action: the objectives (and plans) it serves, its RAG history, evidence and history."""
    objectives = list(action.objectives.select_related("plan").order_by("plan__title", "number"))
    evidence = list(Evidence.objects.filter(action=action).select_related("created_by"))
    ratings = list(action.ratings.select_related("rated_by"))
    return {
        "objectives": objectives,
        "ratings": ratings,
        "evidence": evidence,
        "indicators": [INDICATOR_TITLES.get(k, k) for k in action.indicators],
        "history": history(
            {
                "governance.action": [str(action.pk)],
                "governance.evidence": [str(e.pk) for e in evidence],
            }
        ),
    }


def sign_off_candidates(*, action: Action) -> bool:
    """Whether any plan the action serves is led by someone other than its owner."""
    return Plan.objects.filter(objectives__actions=action).exclude(lead=action.owner).exists()


def risks_page(*, user, on: date) -> dict:
    """The register: open risks, highest score first, then closed ones (two queries)."""
    if not permissions.may_read(user):
        return {"open": [], "closed": [], "overdue": 0}
    risks = list(
        Risk.objects.filter(authority_id=user.authority_id)
        .select_related("owner")
        .prefetch_related(Prefetch("plans", queryset=Plan.objects.order_by("title")))
    )
    for risk in risks:
        risk.overdue = risk.review_overdue(on)
    open_ = sorted(
        (r for r in risks if r.status == RiskStatus.OPEN), key=lambda r: (-r.score, r.review_date)
    )
    return {
        "open": open_,
        "closed": [r for r in risks if r.status != RiskStatus.OPEN],
        "overdue": sum(r.overdue for r in open_),
    }


# ---- history in plain words ----------------------------------------------------------------

_KINDS = {
    "governance.plan": (Plan, "Plan"),
    "governance.objective": (Objective, "Objective"),
    "governance.action": (Action, "Action"),
    "governance.evidence": (Evidence, "Evidence"),
    "governance.risk": (Risk, "Risk"),
}
_HIDDEN = {"id", "authority"}


@dataclass(frozen=True)
class HistoryLine:
    at: object
    who: str
    what: str
    changes: tuple[str, ...]


def _show(model, name, value, users, agencies) -> str:
    if value in (None, "", []):
        return "nothing"
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.choices).get(value, value))
    if f.is_relation and f.related_model is User:
        return users.get(str(value), "someone")
    if f.is_relation and f.related_model is Agency:
        return agencies.get(str(value), "an agency")
    if name == "indicators":
        return ", ".join(INDICATOR_TITLES.get(k, k) for k in value)
    if f.many_to_many:
        return f"{len(value)}"
    if f.is_relation:
        return "another"
    return str(value)


def history(targets: dict[str, list[str]], limit: int = 60) -> list[HistoryLine]:
    """The change events of these records, newest first, in plain words (three queries)."""
    q = Q(pk__in=[])
    for kind, ids in targets.items():
        if ids:
            q |= Q(target_type=kind, target_id__in=ids)
    events = list(ChangeEvent.objects.filter(q).select_related("user").order_by("-at")[:limit])
    user_ids, agency_ids = set(), set()
    for e in events:
        model = _KINDS[e.target_type][0]
        for snap in (e.before or {}, e.after or {}):
            for name, value in snap.items():
                if name in _HIDDEN or value is None:
                    continue
                f = model._meta.get_field(name)
                if f.is_relation and f.related_model is User:
                    user_ids.add(value)
                elif f.is_relation and f.related_model is Agency:
                    agency_ids.add(value)
    users = {str(u.pk): _name(u) for u in User.objects.filter(pk__in=user_ids)}
    agencies = {
        str(a.pk): a.name for a in Agency.objects.filter(pk__in=agency_ids).only("id", "name")
    }
    lines = []
    for e in events:
        model, label = _KINDS[e.target_type]
        after, before = e.after or {}, e.before or {}
        title = after.get("title") or before.get("title") or ""
        changes = []
        if e.verb == ChangeVerb.CREATED:
            what = f"{label} added: {title}"
        else:
            what = f"{label} changed: {title}"
            for name, value in after.items():
                if name in _HIDDEN or before.get(name) == value:
                    continue
                f = model._meta.get_field(name)
                words = str(f.verbose_name)
                words = words[0].upper() + words[1:]
                if f.many_to_many:
                    changes.append(f"{words}: now {len(value)}, was {len(before.get(name) or [])}")
                    continue
                old = _show(model, name, before.get(name), users, agencies)
                new = _show(model, name, value, users, agencies)
                changes.append(f"{words}: from {old} to {new}")
        who = _name(e.user) if e.user else "Safeguard"
        lines.append(HistoryLine(at=e.at, who=who, what=what, changes=tuple(changes)))
    return lines
