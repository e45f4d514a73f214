"""Decision rights in the demo (decision 0041): closures asked for by the workers holding the
cases and waiting for their line managers (some for a day, some for a fortnight), and
answered requests: closures a manager authorised on cases closed in the last few months, and
closures refused with reasons, each answer written on the child's file as a management
decision with its chronology entry, as the service writes them.

Made from the saved teams, allocations and cases, after the journeys and supervision;
deterministic from the borough's seed. Only cases with nothing left open are asked to close,
so that a demo manager who authorises one sees it close.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from safeguard.accounts.models import LocalAuthority, User
from safeguard.casework.codes import ClosureReason
from safeguard.casework.models import (
    Allocation,
    AuthorisationRequest,
    AuthorisationStatus,
    Case,
    ChronologyEntry,
    ManagementDecision,
)
from safeguard.casework.selectors import authoriser_id, authority_teams
from safeguard.casework.services import CASE_CLOSURE, open_work
from safeguard.demo.generator.common import make, save_with_events

# Of the open allocated cases looked at, how many are asked to close (every fourth of them
# refused earlier, the rest waiting); and how many closed cases have their authorisation on
# file.
ASKED, AUTHORISED = 19, 12
CANDIDATES = 80
WORKER_REASONS = (
    "The plan's goals are met: school attendance is good and the mother is managing the "
    "household routines without support.",
    "The family has moved to another authority; the receiving authority has accepted the "
    "transfer and the records have been sent.",
    "The child's needs are now met by the universal services; the family declined further "
    "support and the concerns have not recurred.",
    "The assessment found no further role for children's social care; the school will "
    "continue to monitor and will refer again if needed.",
)
REFUSALS = (
    "The child has not been seen alone since the last incident: visit and see them alone, "
    "then ask again.",
    "The police notification last week is not yet on the chronology or discussed with the "
    "family; consider whether the threshold for a strategy discussion is met first.",
    "Step down to early help rather than close: the family asked for support with routines.",
)
AGREEMENTS = (
    "Agreed: the evidence shows the change has lasted three months.",
    "Agreed: the transfer is confirmed in writing by the receiving authority.",
    "Agreed, with the school told of the closure and how to refer again.",
)


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class Authorisations:
    def __init__(self, authority: LocalAuthority, *, as_at: date, seed: int) -> None:
        self.authority = authority
        self.as_at = as_at
        self.rng = random.Random(f"authorisations-{seed}")
        self.rows: dict = defaultdict(list)
        self.events: list = []
        self.saved: dict = defaultdict(int)
        self.teams = authority_teams(authority.pk)
        self.names = {
            u.pk: u.get_full_name()
            for u in User.objects.filter(agency__authority=authority).only(
                "first_name", "last_name"
            )
        }

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, obj, person_id=None):
        self.rows[type(obj)].append(obj)
        self.events.append((obj._meta.label_lower, str(obj.pk), person_id))
        return obj

    def build(self) -> dict[str, int]:
        self._open_cases()
        self._closed_cases()
        save_with_events(
            self.rows,
            [AuthorisationRequest, ManagementDecision, ChronologyEntry],
            self.events,
            self.saved,
        )
        return {"authorisation_requests": self.saved["casework.authorisationrequest"]}

    def _open_cases(self) -> None:
        allocations = list(
            Allocation.objects.filter(
                case__authority=self.authority,
                case__closure_date__isnull=True,
                end_date__isnull=True,
            )
            .select_related("case")
            .order_by("case_id")[: CANDIDATES * 4]
        )
        self.rng.shuffle(allocations)
        chosen = []
        for allocation in allocations[:CANDIDATES]:
            if len(chosen) == ASKED:
                break
            if open_work(allocation.case, self.as_at):
                continue
            manager = authoriser_id(allocation.team_id, self.teams, {allocation.worker_id})
            if manager is not None:
                chosen.append((allocation, manager))
        for n, (allocation, manager) in enumerate(chosen):
            refused = n % 4 == 3  # every fourth was refused earlier; the rest wait
            asked_on = self.as_at - timedelta(days=self.rng.randint(8, 30) if refused else n)
            self._request(allocation.case, allocation.worker_id, manager, asked_on,
                          closure=self.as_at, refused=refused)  # fmt: skip

    def _closed_cases(self) -> None:
        cases = list(
            Case.objects.filter(
                authority=self.authority,
                referral_nfa=False,
                closure_date__gte=self.as_at - timedelta(days=365),
                closure_date__lte=self.as_at,
                team__isnull=False,
            )
            .exclude(closure_reason="")
            .order_by("pk")[: AUTHORISED * 3]
        )
        self.rng.shuffle(cases)
        made = 0
        for case in cases:
            worker = (
                case.allocations.order_by("-start_date").values_list("worker_id", flat=True).first()
            )
            manager = authoriser_id(case.team_id, self.teams, {worker})
            if worker is None or manager is None:
                continue
            asked_on = max(
                case.closure_date - timedelta(days=self.rng.randint(1, 3)), case.referral_date
            )
            self._request(case, worker, manager, asked_on, closure=case.closure_date,
                          decided=True)  # fmt: skip
            made += 1
            if made == AUTHORISED:
                break

    def _request(self, case, worker, manager, asked_on, *, closure, refused=False, decided=False):
        reason = case.closure_reason or ClosureReason.RC7
        summary = f"Closure on {closure:%d %B %Y}: {ClosureReason(reason).label} ({reason})"
        status = AuthorisationStatus.PENDING
        answer, decided_at = "", None
        if refused or decided:
            status = AuthorisationStatus.REFUSED if refused else AuthorisationStatus.AUTHORISED
            answer = self.rng.choice(REFUSALS if refused else AGREEMENTS)
            # An authorised closure took effect on the day it was authorised.
            decided_on = closure if decided else min(
                asked_on + timedelta(days=self.rng.randint(0, 3)), self.as_at
            )
            decided_at = _aware(decided_on, 15)
        self.add(make(
            AuthorisationRequest, id=self.new_id(), case_id=case.pk, child_id=case.child_id,
            authority_id=self.authority.pk, kind=CASE_CLOSURE, summary=summary,
            reasons=self.rng.choice(WORKER_REASONS),
            payload={"closure_date": closure.isoformat(), "reason": reason, "authors": []},
            requested_by_id=worker, requested_at=_aware(asked_on, 10), status=status,
            decided_by_id=manager if decided_at else None, decided_at=decided_at,
            decision_reason=answer, created_by_id=worker,
            updated_by_id=manager if decided_at else worker,
        ), case.child_id)  # fmt: skip
        if decided_at is None:
            return
        verb = "refused" if refused else "authorised"
        asker = self.names.get(worker, "the worker")
        decision = self.add(make(
            ManagementDecision, id=self.new_id(), case_id=case.pk,
            decision_date=timezone.localdate(decided_at),
            decision=f"Case closure {verb}: {summary} (asked by {asker})", rationale=answer,
            decided_by_id=manager, created_by_id=manager, updated_by_id=manager,
        ), case.child_id)  # fmt: skip
        self.add(make(
            ChronologyEntry, id=self.new_id(), child_id=case.child_id, case_id=case.pk,
            event_date=decision.decision_date,
            what=f"Management decision by {self.names.get(manager, 'the manager')}: "
            f"case closure {verb}",
            outcome=answer, source_type="casework.managementdecision",
            source_id=str(decision.pk), created_by_id=manager, updated_by_id=manager,
        ), case.child_id)  # fmt: skip


def build_authorisations(authority: LocalAuthority, *, as_at: date, seed: int) -> dict[str, int]:
    """Make and save the demo's requests for authorisation and their answers."""
    return Authorisations(authority, as_at=as_at, seed=seed).build()
