"""Supervision histories: for every case-holding member of social care, the sessions with
their line manager over the last six months, at their required interval (weekly, then
fortnightly, for the newly qualified; monthly for the others), with the cases discussed,
the decisions made (each also a management decision on the child's file and its chronology
entry), and the actions agreed, most done by the next session. Some workers drift behind, so
the overdue list has names; the last session of some (``sw1`` among them) waits for the
worker's signature. A few workers have their own frequency, and the authority its case
frequencies by stage.

Made from the saved staff, teams and allocations, after the journeys; deterministic from the
borough's seed.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from safeguard.accounts.models import Agency, AgencyKind, LocalAuthority, Team, User
from safeguard.accounts.roles import RECORDING_ROLES
from safeguard.casework.models import Allocation, ChronologyEntry, ManagementDecision
from safeguard.demo.generator import texts
from safeguard.demo.generator.common import make, save_with_events
from safeguard.supervision.models import (
    DAYS,
    CaseDiscussion,
    CaseStageFrequency,
    Session,
    SessionAction,
    SessionDecision,
    WorkerFrequency,
)
from safeguard.supervision.selectors import CASE_STAGE_DEFAULTS, scheduled_interval

HISTORY_DAYS = 182
# Of workers, the share who have fallen behind: their sessions come late, and the last one
# is longer ago than their interval.
BEHIND = 0.15
# Of workers, those whose last session is so recent that they have not signed it yet.
AWAITING_SIGNATURE = 0.1

REFLECTIONS = (
    "Mother is engaging with the plan but the same worries about home conditions recur; "
    "discussed whether the plan is changing anything for the child.",
    "The child's voice is strong in the recent visits; school reports better attendance. "
    "Considered what would tell us the improvement will last.",
    "Father's role remains unclear; agencies hold different views of the risk he poses. "
    "Reflected on disguised compliance and what evidence would settle it.",
    "Drift since the last review: two visits missed and the core group postponed. Talked "
    "through the worker's caseload pressures and what to prioritise.",
    "Grandmother is offering respite; family network could take on more. Considered a family "
    "group conference.",
    "Domestic abuse incident reported by police last week; safety plan reviewed with the "
    "mother. Discussed cumulative harm and the threshold for a strategy discussion.",
)
ACTIONS = (
    "Visit the child at school and see them alone",
    "Update the chronology with the police notifications",
    "Convene a core group before the review",
    "Request a health assessment from the school nurse",
    "Speak to the father about his involvement",
    "Complete the assessment analysis section",
)
WELLBEING = (
    "Workload manageable; two court reports due. Leave booked for half term.",
    "Feeling stretched by the duty rota; agreed to protect a writing day each week.",
    "Reflected on a difficult visit; offered the employee assistance line. Training: "
    "signs of safety refresher booked.",
    "Progressing well in the assessed and supported year; portfolio on track.",
)
OWN_FREQUENCIES = (
    ("fortnightly", "Returning from long-term leave: fortnightly for three months"),
    ("weekly", "Complex child protection caseload while the team is short-staffed"),
)


def _next_working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _line_manager(user: User, teams: dict[int, Team], team_ids: list[int]) -> int | None:
    """The manager of the user's first team, or the nearest above it; never the user."""
    for team_id in sorted(team_ids):
        team = teams.get(team_id)
        for _ in range(10):
            if team is None:
                break
            if team.manager_id is not None and team.manager_id != user.pk:
                return team.manager_id
            team = teams.get(team.parent_id)
    return None


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class SupervisionHistories:
    def __init__(self, authority: LocalAuthority, *, as_at: date, seed: int) -> None:
        self.authority = authority
        self.as_at = as_at
        self.rng = random.Random(f"supervision-{seed}")
        self.rows: dict = defaultdict(list)
        self.events: list = []
        self.saved: dict = defaultdict(int)

    def new_id(self) -> uuid.UUID:
        """An id from the seed, so that the same seed makes the same records."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, obj, person_id=None):
        self.rows[type(obj)].append(obj)
        self.events.append((obj._meta.label_lower, str(obj.pk), person_id))
        return obj

    def build(self) -> dict[str, int]:
        staff = list(
            User.objects.filter(
                agency__authority=self.authority,
                agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
                role__in=RECORDING_ROLES,
                is_active=True,
            ).order_by("pk")
        )
        teams = {t.pk: t for t in Team.objects.filter(agency__authority=self.authority)}
        self.csc_name = (
            Agency.objects.filter(authority=self.authority, kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
            .values_list("name", flat=True)
            .first()
            or ""
        )
        team_ids = defaultdict(list)
        for user_id, team_id in User.teams.through.objects.filter(user__in=staff).values_list(
            "user_id", "team_id"
        ):
            team_ids[user_id].append(team_id)
        self._joined(staff)
        held = defaultdict(list)
        since = self.as_at - timedelta(days=HISTORY_DAYS)
        for a in (
            Allocation.objects.filter(worker__in=staff)
            .exclude(end_date__lte=since)
            .values("worker_id", "case_id", "case__child_id", "start_date", "end_date")
            .order_by("start_date", "case_id")
        ):
            held[a["worker_id"]].append(a)
        own = self._own_frequencies(staff, team_ids)
        for user in staff:
            supervisor = _line_manager(user, teams, team_ids[user.pk])
            if supervisor is not None:
                self._history(user, supervisor, held[user.pk], own.get(user.pk))
        for stage, interval in CASE_STAGE_DEFAULTS.items():
            CaseStageFrequency.objects.create(
                authority=self.authority, stage=stage, interval=interval
            )
        save_with_events(
            self.rows,
            [
                WorkerFrequency,
                Session,
                CaseDiscussion,
                ManagementDecision,
                ChronologyEntry,
                SessionDecision,
                SessionAction,
            ],
            self.events,
            self.saved,
        )
        return {
            "supervision_sessions": self.saved["supervision.session"],
            "supervision_decisions": self.saved["supervision.sessiondecision"],
        }

    def _joined(self, staff: list[User]) -> None:
        """When each joined: the newly qualified when they qualified, the others years ago
        (the accounts are made today, but the staff have worked here for years)."""
        for user in staff:
            q = user.qualified_on
            if q is not None and q > self.as_at - timedelta(days=3 * 365):
                joined = q
            else:
                joined = self.as_at - timedelta(days=365 * self.rng.randint(3, 12))
            user.date_joined = _aware(joined, 9)
        User.objects.bulk_update(staff, ["date_joined"], batch_size=1000)

    def _own_frequencies(self, staff, team_ids) -> dict[int, tuple[date, str]]:
        """Two experienced workers with their own frequency, set by their manager."""
        chosen = [u for u in staff if u.qualified_on and team_ids[u.pk] and u.username != "sw1"]
        chosen = [u for u in chosen if u.qualified_on < self.as_at - timedelta(days=3 * 365)]
        found = {}
        for user, (interval, reason) in zip(chosen[-2:], OWN_FREQUENCIES, strict=False):
            start = self.as_at - timedelta(days=60)
            self.add(make(WorkerFrequency, id=self.new_id(), worker_id=user.pk, start_date=start,
                          interval=interval, reason=reason))  # fmt: skip
            found[user.pk] = (start, interval)
        return found

    def _interval(self, user: User, day: date, own) -> str:
        if own is not None and day >= own[0]:
            return own[1]
        return scheduled_interval(user.qualified_on, day)

    def _history(self, user: User, supervisor: int, held: list, own) -> None:
        rng = self.rng
        behind = user.username != "sw1" and rng.random() < BEHIND
        start = max(self.as_at - timedelta(days=HISTORY_DAYS), user.date_joined.date())
        day = _next_working_day(start + timedelta(days=rng.randint(1, 10)))
        sessions = []
        while day <= self.as_at - timedelta(days=1):
            sessions.append(day)
            interval = self._interval(user, day, own)
            step = DAYS.get(interval, 30)
            step += rng.randint(8, 25) if behind else rng.randint(-2, 1)
            day = _next_working_day(day + timedelta(days=max(step, 5)))
        if behind and sessions:  # fell behind lately: no session in the last weeks
            sessions = [d for d in sessions if d < self.as_at - timedelta(days=40)]
        open_actions: list = []
        unsigned = user.username == "sw1" or rng.random() < AWAITING_SIGNATURE
        for n, day in enumerate(sessions):
            last = n == len(sessions) - 1
            signed = not (last and unsigned)
            session = self.add(make(
                Session, id=self.new_id(), supervisor_id=supervisor, supervisee_id=user.pk,
                session_date=day, duration_minutes=rng.choice((60, 90, 90, 90, 120)),
                wellbeing=rng.choice(WELLBEING), supervisor_signed_at=_aware(day, 16),
                supervisee_signed_at=_aware(day + timedelta(days=1), 10) if signed else None,
                created_by_id=supervisor, updated_by_id=supervisor,
            ))  # fmt: skip
            for action in open_actions:
                if rng.random() < 0.8:
                    action.done_on, action.done_in_id = day, session.pk
            open_actions = [a for a in open_actions if a.done_on is None]
            cases = [a for a in held if a["start_date"] <= day and (
                a["end_date"] is None or a["end_date"] > day)]  # fmt: skip
            for a in rng.sample(cases, min(len(cases), rng.randint(1, 3))):
                open_actions += self._discussion(session, a, supervisor, user, day)

    def _discussion(self, session, a, supervisor: int, user: User, day: date) -> list:
        rng = self.rng
        child_id = a["case__child_id"]
        discussion = self.add(make(
            CaseDiscussion, id=self.new_id(), session_id=session.pk, case_id=a["case_id"],
            reflection=rng.choice(REFLECTIONS), created_by_id=supervisor,
            updated_by_id=supervisor,
        ), child_id)  # fmt: skip
        if rng.random() < 0.6:
            decision, rationale = rng.choice(texts.DECISIONS["supervision"])
            made = self.add(make(
                ManagementDecision, id=self.new_id(), case_id=a["case_id"], decision_date=day,
                decision=decision,
                rationale=f"In supervision with {user.get_full_name()}: {rationale}",
                decided_by_id=supervisor, created_by_id=supervisor, updated_by_id=supervisor,
            ), child_id)  # fmt: skip
            self.add(make(
                ChronologyEntry, id=self.new_id(), child_id=child_id, case_id=a["case_id"],
                event_date=day, what=f"Management decision in supervision: {decision}",
                source_agency=self.csc_name,
                source_type="casework.managementdecision", source_id=str(made.pk),
                created_by_id=supervisor, updated_by_id=supervisor,
            ), child_id)  # fmt: skip
            self.add(make(
                SessionDecision, id=self.new_id(), discussion_id=discussion.pk,
                decision=decision, rationale=rationale, management_decision_id=made.pk,
                created_by_id=supervisor, updated_by_id=supervisor,
            ), child_id)  # fmt: skip
        if rng.random() < 0.5:
            action = self.add(make(
                SessionAction, id=self.new_id(), session_id=session.pk,
                discussion_id=discussion.pk, action=rng.choice(ACTIONS), owner_id=user.pk,
                due_date=day + timedelta(days=rng.randint(5, 20)), created_by_id=supervisor,
                updated_by_id=supervisor,
            ), child_id)  # fmt: skip
            return [action]
        return []


def build_supervision(authority: LocalAuthority, *, as_at: date, seed: int) -> dict[str, int]:
    """Make and save the supervision histories of ``authority``'s staff."""
    return SupervisionHistories(authority, as_at=as_at, seed=seed).build()
