"""The front door: recording contacts, deciding them against the threshold of need, and
recording referrals (which open a child-in-need episode)."""

import tomllib
from datetime import date, datetime, time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.roles import MANAGER_ROLES
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, save_change, save_new, snapshot
from safeguard.casework import selectors as casework_selectors
from safeguard.casework import services as casework
from safeguard.casework.codes import ClosureReason, PrimaryNeed, ReferralSource
from safeguard.casework.models import Case
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.referrals import permissions
from safeguard.referrals.models import (
    Contact,
    ContactGroup,
    ContactOutcome,
    Referral,
    ReferralDecision,
    ThresholdIndicator,
    ThresholdLevel,
)
from safeguard.referrals.permissions import Action

# The decision right of no further action on a referral (decision 0041).
REFERRAL_NFA = "referral_nfa"

# Safeguard's own four-level continuum of need: what a new authority starts with
# (``safeguard create-authority``, the demo borough, ``safeguard load_thresholds``).
DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "thresholds" / "default.toml"


def _require_front_door(by, authority_id) -> None:
    if not permissions.can(by, Action.RECORD, authority_id=authority_id):
        raise PermissionDenied("You cannot record at the front door")


def _received_at(contact_date: date, received_time: time | None) -> datetime | None:
    """The moment a contact was received: its date at ``received_time``; without a time, now
    for a contact dated today, else unknown (its clock starts at the start of its day)."""
    now = timezone.localtime()
    if received_time is None:
        return now if contact_date == now.date() else None
    received = timezone.make_aware(datetime.combine(contact_date, received_time))
    if received > now:
        raise ApplicationError("The time received cannot be in the future", field="received_time")
    return received


@transaction.atomic
def contact_record(
    *,
    by,
    child,
    contact_date: date,
    source: str,
    reason: str,
    priority: str = "",
    priority_reason: str = "",
    received_time: time | None = None,
    group: ContactGroup | None = None,
) -> Contact:
    """Record a contact with its priority (RAG; a reason for red). Empty ``priority`` leaves
    it not rated, for callers other than the form (which requires one). ``group``: the
    contact about several children this one is part of (``contact_group_record``)."""
    _require_front_door(by, child.authority_id)
    casework.check_date(contact_date, label="contact date", field="contact_date")
    if source not in ReferralSource.values:
        raise ApplicationError("Choose who made the contact", field="source")
    if not reason.strip():
        raise ApplicationError("Enter the reason for the contact", field="reason")
    if priority or priority_reason.strip():
        casework.check_priority(priority, priority_reason)
    contact = Contact(
        child=child,
        authority_id=child.authority_id,
        contact_date=contact_date,
        received_at=_received_at(contact_date, received_time),
        source=source,
        reason=reason.strip(),
        group=group,
    )
    if priority:
        casework.set_priority(contact, by=by, priority=priority, reason=priority_reason)
    save_new(contact, by=by, person_id=child.pk)
    open_case = casework_selectors.open_case_of(child)
    _contact_chronology(contact, by=by, case=open_case)
    if open_case is not None:
        casework.tell_case_holder(
            open_case,
            by=by,
            subject="A new contact about a child you hold",
            body=(
                f"{by} recorded a contact from {ReferralSource(source).label} on "
                f"{contact_date:%d %B %Y} about a child whose case you hold."
            ),
            url=reverse("casework:chronology", args=[contact.child_id]),
        )
    return contact


def _contact_chronology(contact: Contact, *, by, case) -> None:
    """The contact's entry in the child's chronology (issue 16 item 9): every contact, decided
    or not, whatever its outcome (no further action included), on the open case if there is
    one. Its decision updates the same entry."""
    what, source, outcome = contact_chronology_words(contact)
    casework.chronology_add(
        by=by,
        child=contact.child,
        case=case,
        event_date=contact.contact_date,
        what=what,
        source_agency=source,
        outcome=outcome,
        source=contact,
    )


def contact_chronology_words(contact: Contact) -> tuple[str, str, str]:
    """What the chronology says of a contact: (what happened, the source agency, the
    outcome). The demo's bulk contacts say the same."""
    source = ReferralSource(contact.source).label
    what = f"Contact from {source}"
    if contact.outcome:
        what = f"{what} ({ContactOutcome(contact.outcome).label.lower()})"
    what = f"{what}: {contact.reason}"
    limit = 500  # ChronologyEntry.what
    if len(what) > limit:
        what = what[: limit - 1] + "…"
    return what, source, ContactOutcome(contact.outcome).label if contact.outcome else ""


def suggested_outcome(level: ThresholdLevel | None) -> str:
    return level.implied_outcome if level is not None else ""


@transaction.atomic
def contact_decide(
    *,
    by,
    contact: Contact,
    level: ThresholdLevel,
    indicators: list[ThresholdIndicator],
    rationale: str,
    outcome: str,
    decision_date: date,
    manager=None,
    manager_reason: str = "",
    version: int | None = None,
    priority: str | None = None,
    priority_reason: str = "",
) -> Contact:
    """Decide a contact. The threshold level suggests an outcome; a different outcome needs a
    team or service manager named with their reason (the manager may be ``by``).
    ``priority`` (None: unchanged) may change the contact's priority, with a reason."""
    _require_front_door(by, contact.authority_id)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    expect_version(contact, version)
    if contact.is_decided:
        raise ApplicationError("This contact has already been decided")
    if level is None or level.authority_id != contact.authority_id:
        raise ApplicationError("Choose the level of need", field="level")
    if any(i.level_id != level.pk for i in indicators):
        raise ApplicationError(
            "Choose indicators from the level you have chosen", field="indicators"
        )
    if not indicators:
        raise ApplicationError("Choose the indicators that led to this level", field="indicators")
    if not rationale.strip():
        raise ApplicationError("Enter the rationale for the decision", field="rationale")
    if outcome not in ContactOutcome.values:
        raise ApplicationError("Choose the outcome", field="outcome")
    casework.check_date(decision_date, label="decision date", field="decision_date")
    if decision_date < contact.contact_date:
        raise ApplicationError("The decision cannot be before the contact", field="decision_date")
    suggested = suggested_outcome(level)
    open_case = casework_selectors.open_case_of(contact.child)
    if outcome == ContactOutcome.PASSED_TO_WORKER:
        if open_case is None:
            raise ApplicationError(
                "The child has no open case: choose another outcome", field="outcome"
            )
    elif open_case is not None and outcome == ContactOutcome.REFERRAL:
        raise ApplicationError(
            "The child already has an open case: pass the contact to the allocated worker",
            field="outcome",
        )
    # The threshold asks whether social care should become involved; with a case open it
    # already is, so passing the contact to its holder departs from nothing.
    departs = outcome != suggested and outcome != ContactOutcome.PASSED_TO_WORKER
    if departs:
        if manager is None and by.role in MANAGER_ROLES:
            manager = by
        if manager is None or manager.role not in MANAGER_ROLES or not manager.is_active:
            raise ApplicationError(
                f"Level {level.number} suggests “{ContactOutcome(suggested).label}”. "
                "A different outcome needs a team or service manager's agreement and reason",
                field="manager",
            )
        if not manager_reason.strip():
            raise ApplicationError(
                "Enter the manager's reason for departing from the threshold",
                field="manager_reason",
            )
    new_priority = priority is not None and priority != contact.priority
    if new_priority:
        casework.check_priority(priority, priority_reason, previous=contact.priority)
    before = snapshot(contact)
    if new_priority:
        casework.set_priority(contact, by=by, priority=priority, reason=priority_reason)
    contact.level = level
    contact.rationale = rationale.strip()
    contact.outcome = outcome
    contact.suggested_outcome = suggested
    contact.manager = manager if departs else None
    contact.manager_reason = manager_reason.strip() if departs else ""
    contact.decided_by = by
    contact.decision_date = decision_date
    save_change(contact, by=by, before=before, person_id=contact.child_id)
    contact.indicators.set(indicators)
    _contact_chronology(contact, by=by, case=open_case)
    if outcome == ContactOutcome.PASSED_TO_WORKER:
        casework.tell_case_holder(
            open_case,
            by=by,
            subject="A contact was passed to you",
            body=(
                f"{by} passed a contact received on {contact.contact_date:%d %B %Y} to you as "
                "the holder of the child's case. Read it and record what you do about it."
            ),
            url=reverse("casework:chronology", args=[contact.child_id]),
        )
    return contact


@transaction.atomic
def referral_record(
    *,
    by,
    child,
    received_date: date,
    source: str,
    decision: str,
    decision_date: date,
    reason: str = "",
    contact: Contact | None = None,
    primary_need: str = "",
    priority: str = "",
    priority_reason: str = "",
) -> Referral:
    """Record a referral and its decision; this opens the child-in-need episode.

    A decision that goes on to further action (an assessment or a strategy discussion) needs
    the working primary need at once (CIN census rule 8610): it is the episode's primary need
    until an authorised assessment replaces it. A referral decided "no further action" opens
    and closes the episode on the referral date (CIN census ReferralNFA), as the census
    expects; its primary need is optional.

    The referral's priority (RAG) is its case's priority at opening: kept on the case, not
    the referral (issue 13, item 2). A reason is needed for red, and for a priority other
    than its contact's. Empty leaves the case not rated (callers other than the form).
    """
    _require_front_door(by, child.authority_id)
    if decision not in ReferralDecision.values:
        raise ApplicationError("Choose the decision on the referral", field="decision")
    if decision != ReferralDecision.NO_FURTHER_ACTION and not primary_need:
        raise ApplicationError(
            "Choose the primary need: a referral that goes on to an assessment or a strategy "
            "discussion needs one (choose “Not stated” if it is not yet known)",
            field="primary_need",
        )
    if primary_need and primary_need not in PrimaryNeed.values:
        raise ApplicationError("Choose the primary need from the list", field="primary_need")
    casework.check_date(decision_date, label="decision date", field="decision_date")
    if decision_date < received_date:
        raise ApplicationError(
            "The decision cannot be before the referral was received", field="decision_date"
        )
    if contact is not None:
        # The caller's copy may predate the decision: read the contact as it is now.
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.child_id != child.pk:
            raise ApplicationError("That contact is about another child", field="contact")
        if contact.outcome != ContactOutcome.REFERRAL:
            raise ApplicationError("That contact was not decided as a referral", field="contact")
        if hasattr(contact, "referral"):
            raise ApplicationError("That contact already has a referral")
        if received_date < contact.contact_date:
            raise ApplicationError(
                "The referral cannot be before its contact", field="received_date"
            )
    if priority or priority_reason.strip():
        casework.check_priority(
            priority, priority_reason, previous=contact.priority if contact is not None else None
        )
    case = casework.case_open(
        by=by,
        child=child,
        referral_date=received_date,
        referral_source=source,
        primary_need=primary_need,
        priority=priority,
        priority_reason=priority_reason,
    )
    referral = Referral(
        case=case,
        contact=contact,
        received_date=received_date,
        decision=decision,
        decision_date=decision_date,
        decided_by=by,
        reason=reason.strip(),
    )
    save_new(referral, by=by, person_id=child.pk)
    label = ReferralDecision(decision).label.lower()
    casework.chronology_add(
        by=by,
        child=child,
        case=case,
        event_date=received_date,
        what=f"Referral received from {ReferralSource(source).label}: decision {label}",
        source_agency=ReferralSource(source).label,
        outcome=reason.strip(),
        source=referral,
    )
    if decision == ReferralDecision.NO_FURTHER_ACTION:
        if casework.needs_authorisation(case.authority, REFERRAL_NFA):
            # Decision 0041: the case stays open, and the referral's decision a proposal,
            # until the front door's manager authorises it.
            casework.authorisation_request(
                by=by,
                case=case,
                kind=REFERRAL_NFA,
                summary=f"No further action on the referral received {received_date:%d %B %Y}",
                payload={},
                reasons=reason,
            )
        else:
            _close_as_nfa(by=by, case=case)
    return referral


# --- A contact about several children of a family (issue 16 item 7, decision 0065) ------------


@transaction.atomic
def contact_group_record(
    *,
    by,
    children: list,
    contact_date: date,
    source: str,
    reason: str,
    priority: str = "",
    priority_reason: str = "",
    received_time: time | None = None,
) -> ContactGroup:
    """Record one contact about several children of a family: the group, and a contact for
    each child under ``contact_record``'s rules (its chronology entry, the case holder told
    of a child with an open case), all or none. ``children`` have been read through the
    access function; the caller offers only the children of one family."""
    children = list({child.pk: child for child in children}.values())
    if len(children) < 2:
        raise ApplicationError(
            "Choose at least one more child: a contact about one child is recorded on its own",
            field="children",
        )
    authority_id = children[0].authority_id
    if any(child.authority_id != authority_id for child in children):
        raise ApplicationError("The children must be of one authority", field="children")
    _require_front_door(by, authority_id)
    if source not in ReferralSource.values:
        raise ApplicationError("Choose who made the contact", field="source")
    if not reason.strip():
        raise ApplicationError("Enter the reason for the contact", field="reason")
    casework.check_date(contact_date, label="contact date", field="contact_date")
    group = ContactGroup(
        authority_id=authority_id, contact_date=contact_date, source=source, reason=reason.strip()
    )
    save_new(group, by=by)
    for child in children:
        contact_record(
            by=by,
            child=child,
            contact_date=contact_date,
            source=source,
            reason=reason,
            priority=priority,
            priority_reason=priority_reason,
            received_time=received_time,
            group=group,
        )
    return group


class GroupDecisionRefused(ApplicationError):
    """One or more children's decisions of a group were refused: nothing was kept.
    ``errors``: ``{contact id: ApplicationError}``, each child's first refusal."""

    def __init__(self, errors: dict):
        super().__init__(
            "Nothing was saved: correct the decisions marked below, then record them again"
        )
        self.errors = errors


@transaction.atomic
def contact_group_decide(*, by, decisions: list[dict]) -> list[Contact]:
    """Decide several contacts of one group at once, all or none.

    Each item of ``decisions`` is ``contact_decide``'s keywords (``contact`` among them) and,
    for the outcome "referral", ``referral``: ``referral_record``'s decision, primary need
    and reason, so that the referral is recorded in the same step (received on the contact's
    date, from its source, decided on the decision's date). Each child is decided under the
    single contact's rules; every child is tried so that all refusals are reported together
    (``GroupDecisionRefused``), and then nothing is kept."""
    errors: dict = {}
    decided = []
    for item in decisions:
        item = dict(item)
        referral = item.pop("referral", None)
        contact = item["contact"]
        try:
            with transaction.atomic():
                made = contact_decide(by=by, **item)
                if made.outcome == ContactOutcome.REFERRAL:
                    _group_referral(by=by, contact=made, referral=referral or {})
        except ApplicationError as error:
            errors[contact.pk] = error
            continue
        decided.append(made)
    if errors:
        raise GroupDecisionRefused(errors)
    return decided


def _group_referral(*, by, contact: Contact, referral: dict) -> Referral:
    """The referral a group's contact decided "referral" goes on to, on the same page."""
    if not referral.get("decision"):
        raise ApplicationError("Choose the decision on the referral", field="referral_decision")
    try:
        return referral_record(
            by=by,
            child=contact.child,
            contact=contact,
            received_date=contact.contact_date,
            source=contact.source,
            decision=referral["decision"],
            decision_date=contact.decision_date,
            reason=referral.get("reason", ""),
            primary_need=referral.get("primary_need", ""),
            priority=contact.priority,
        )
    except ApplicationError as error:
        # The page names the referral's fields apart from the decision's.
        field = {"decision": "referral_decision", "reason": "referral_reason"}.get(
            error.field, error.field
        )
        raise ApplicationError(error.message, field=field) from error


def _close_as_nfa(*, by, case) -> None:
    """Open and close the episode on the referral date (CIN census ReferralNFA)."""
    before = snapshot(case)
    case.referral_nfa = True
    case.closure_date = case.referral_date
    case.closure_reason = ClosureReason.RC7
    save_change(case, by=by, before=before, verb=ChangeVerb.ENDED, person_id=case.child_id)


def nfa_authorised(*, by, request) -> None:
    """Apply an authorised "no further action" (``casework.register_decision_right``): only
    while nothing has been done on the case since the referral; otherwise the case is closed
    the ordinary way."""
    case = Case.objects.select_for_update().get(pk=request.case_id)
    if case.closure_date is not None:
        raise ApplicationError(f"The case was already closed on {case.closure_date:%d %B %Y}")
    if case.allocations.exists() or casework.latest_step_date(case) > case.referral_date:
        raise ApplicationError(
            "Work has been recorded on this case since the referral: refuse this request, "
            "and the worker can ask for the case to be closed instead"
        )
    _close_as_nfa(by=by, case=case)


# --- The threshold of need ----------------------------------------------------------------------


def _clean_thresholds(data: dict) -> list[dict]:
    """The levels of a continuum of need as read from TOML, checked and in number order."""
    levels = data.get("levels") if isinstance(data, dict) else None
    if not isinstance(levels, list) or not levels:
        raise ApplicationError("The thresholds have no levels: add [[levels]] tables")
    cleaned: dict[int, dict] = {}
    for raw in levels:
        raw = raw if isinstance(raw, dict) else {}
        number = raw.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ApplicationError(f"Each level needs a number of 1 or more, not {number!r}")
        if number in cleaned:
            raise ApplicationError(f"Level {number} appears twice")
        name = str(raw.get("name", "")).strip()
        if not name or len(name) > 100:
            raise ApplicationError(f"Level {number} needs a name of up to 100 characters")
        outcome = raw.get("implied_outcome")
        if outcome not in ContactOutcome.values:
            raise ApplicationError(
                f"Level {number}: the implied outcome must be one of "
                f"{', '.join(ContactOutcome.values)}, not {outcome!r}"
            )
        indicators = raw.get("indicators")
        if not isinstance(indicators, list) or not indicators:
            raise ApplicationError(f"Level {number} needs a list of indicators")
        texts = [str(text).strip() for text in indicators]
        if any(not text or len(text) > 300 for text in texts):
            raise ApplicationError(f"Level {number}: each indicator is 1 to 300 characters")
        if len(set(texts)) != len(texts):
            raise ApplicationError(f"Level {number} repeats an indicator")
        cleaned[number] = {
            "number": number,
            "name": name,
            "description": str(raw.get("description", "")).strip(),
            "implied_outcome": outcome,
            "indicators": texts,
        }
    return [cleaned[n] for n in sorted(cleaned)]


def _threshold_save(obj, *, by, before: dict | None) -> None:
    """Save a level or indicator with its change event, if anything changed."""
    after = snapshot(obj)
    if before is not None and before == after:
        return
    obj.save()
    if before is None:
        verb = ChangeVerb.CREATED
    elif obj.disabled_on is not None and before.get("disabled_on") is None:
        verb = ChangeVerb.ENDED
    else:
        verb = ChangeVerb.UPDATED
    record_change(by=by, verb=verb, obj=obj, before=before)


# What a version of a level is: a change to any of these makes a new version.
LEVEL_WORDING = ("name", "description", "implied_outcome")


def _wording(level: ThresholdLevel) -> tuple:
    return tuple(getattr(level, field) for field in LEVEL_WORDING)


def _retire(obj, *, by, today: date) -> None:
    """Stop offering a level or indicator from ``today``; it stays for what was decided."""
    before = snapshot(obj)
    obj.disabled_on = today
    _threshold_save(obj, by=by, before=before)


def _level_version(
    *, by, authority_id, number: int, wording: dict, indicators: list[str], replaces=None
) -> ThresholdLevel:
    """Make a new version of level ``number`` with ``wording`` and ``indicators`` (texts),
    retiring ``replaces`` (the current version, if any) and its current indicators first: a
    contact decided against them keeps pointing at them, words and all."""
    today = timezone.localdate()
    if replaces is not None and replaces.disabled_on is None:
        for indicator in replaces.indicators.filter(disabled_on__isnull=True):
            _retire(indicator, by=by, today=today)
        _retire(replaces, by=by, today=today)
    level = ThresholdLevel(authority_id=authority_id, number=number, **wording)
    _threshold_save(level, by=by, before=None)
    for text in indicators:
        _threshold_save(ThresholdIndicator(level=level, text=text), by=by, before=None)
    return level


@transaction.atomic
def thresholds_load(*, by, authority, data: dict) -> list[ThresholdLevel]:
    """Make ``data`` (``{"levels": [{number, name, description, implied_outcome,
    indicators}]}``) the authority's continuum of need, and return its levels.

    Nothing is deleted or reworded, because decided contacts point at the levels and
    indicators they were decided against (decision 0074): a level or indicator left out of
    ``data`` is disabled from today; a level whose name, description or implied outcome
    changes gets a new version (the old one retired from today with its indicators, the new
    one with the file's indicators); an indicator is matched on its text, and one whose text
    changes is a new indicator. A retired level or indicator that comes back unchanged is
    offered again. Loading the same data twice changes nothing. ``by`` is a team or service
    manager, or None for the ``load_thresholds`` command run by the system's operator.
    """
    if by is not None and not permissions.can(by, Action.AUTHORISE, authority_id=authority.pk):
        raise PermissionDenied("Only a team or service manager can change the thresholds")
    wanted = _clean_thresholds(data)
    today = timezone.localdate()
    latest: dict[int, ThresholdLevel] = {}
    # The newest version of each number: the current one, when there is one.
    for level in (
        ThresholdLevel.objects.select_for_update()
        .filter(authority=authority)
        .order_by("number", "-pk")
    ):
        latest.setdefault(level.number, level)
    for number, level in latest.items():
        if number not in {row["number"] for row in wanted} and level.disabled_on is None:
            _retire(level, by=by, today=today)
    for row in wanted:
        level = latest.get(row["number"])
        wording = {field: row[field] for field in LEVEL_WORDING}
        if level is None or _wording(level) != tuple(wording.values()):
            _level_version(
                by=by,
                authority_id=authority.pk,
                number=row["number"],
                wording=wording,
                indicators=row["indicators"],
                replaces=level,
            )
            continue
        if level.disabled_on is not None:
            before = snapshot(level)
            level.disabled_on = None
            level.disabled_reason = ""
            _threshold_save(level, by=by, before=before)
        # The current row of each text wins over a retired one of the same words.
        known = {
            i.text: i
            for i in sorted(level.indicators.all(), key=lambda i: (i.disabled_on is None, i.pk))
        }
        for text, indicator in known.items():
            if text not in row["indicators"] and indicator.disabled_on is None:
                _retire(indicator, by=by, today=today)
        for text in row["indicators"]:
            indicator = known.get(text)
            if indicator is None:
                _threshold_save(ThresholdIndicator(level=level, text=text), by=by, before=None)
            elif indicator.disabled_on is not None:
                i_before = snapshot(indicator)
                indicator.disabled_on = None
                _threshold_save(indicator, by=by, before=i_before)
    return list(
        ThresholdLevel.objects.filter(authority=authority, disabled_on__isnull=True).order_by(
            "number"
        )
    )


# --- The threshold of need in the browser (system administrators; decision 0074) ----------------


def _require_threshold_administrator(by, authority_id) -> None:
    if not permissions.can(by, Action.ADMINISTER, authority_id=authority_id):
        raise PermissionDenied("Only the authority's system administrators change the threshold")


def _clean_level(number, name: str, description: str, implied_outcome: str) -> dict:
    """A level's number and wording checked as a loaded file's are, with the form's fields."""
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 20:
        raise ApplicationError("The level's number is a whole number from 1 to 20", field="number")
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError("Enter the level's name", field="name")
    if len(name) > 100:
        raise ApplicationError("The level's name is 100 characters or fewer", field="name")
    if implied_outcome not in ContactOutcome.values:
        raise ApplicationError("Choose the outcome the level suggests", field="implied_outcome")
    return {
        "name": name,
        "description": (description or "").strip(),
        "implied_outcome": implied_outcome,
    }


def _clean_indicator(text: str, *, field: str = "text") -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ApplicationError("Enter the indicator's words", field=field)
    if len(text) > 300:
        raise ApplicationError("An indicator is 300 characters or fewer", field=field)
    return text


def _current_level(level: ThresholdLevel) -> ThresholdLevel:
    """``level`` locked, refused if it has been replaced or retired meanwhile."""
    locked = ThresholdLevel.objects.select_for_update().get(pk=level.pk)
    if locked.disabled_on is not None:
        raise ApplicationError(
            f"Level {locked.number} was changed or retired meanwhile: reload the page"
        )
    return locked


@transaction.atomic
def threshold_level_add(
    *,
    by,
    authority_id,
    number: int,
    name: str,
    description: str = "",
    implied_outcome: str,
    indicators: list[str],
) -> ThresholdLevel:
    """Add level ``number`` to the authority's threshold of need, with its first
    ``indicators`` (texts; at least one, since a decision names the indicators it rests on).
    A number in use by a current level is refused; a retired level's number may be reused."""
    _require_threshold_administrator(by, authority_id)
    wording = _clean_level(number, name, description, implied_outcome)
    texts = [_clean_indicator(text, field="indicators") for text in indicators if text.strip()]
    if not texts:
        raise ApplicationError("Enter at least one indicator, one a line", field="indicators")
    if len(set(texts)) != len(texts):
        raise ApplicationError("An indicator appears twice", field="indicators")
    taken = ThresholdLevel.objects.select_for_update().filter(
        authority_id=authority_id, number=number, disabled_on__isnull=True
    )
    if taken.exists():
        raise ApplicationError(
            f"There is already a level {number}: change it instead", field="number"
        )
    return _level_version(
        by=by, authority_id=authority_id, number=number, wording=wording, indicators=texts
    )


@transaction.atomic
def threshold_level_change(
    *, by, level: ThresholdLevel, name: str, description: str, implied_outcome: str
) -> ThresholdLevel:
    """Change a level's name, description or implied outcome: its new version, with the same
    indicators (new rows, same words), replaces it from today. Returns the new version."""
    _require_threshold_administrator(by, level.authority_id)
    wording = _clean_level(level.number, name, description, implied_outcome)
    level = _current_level(level)
    if _wording(level) == tuple(wording.values()):
        raise ApplicationError("Nothing was changed: change the name, description or outcome")
    texts = list(
        level.indicators.filter(disabled_on__isnull=True)
        .order_by("pk")
        .values_list("text", flat=True)
    )
    return _level_version(
        by=by,
        authority_id=level.authority_id,
        number=level.number,
        wording=wording,
        indicators=texts,
        replaces=level,
    )


def _check_new_text(level: ThresholdLevel, text: str) -> None:
    if level.indicators.filter(disabled_on__isnull=True, text=text).exists():
        raise ApplicationError(f"Level {level.number} already has that indicator", field="text")


@transaction.atomic
def threshold_indicator_add(*, by, level: ThresholdLevel, text: str) -> ThresholdIndicator:
    """Add an indicator to the current version of a level."""
    _require_threshold_administrator(by, level.authority_id)
    text = _clean_indicator(text)
    level = _current_level(level)
    _check_new_text(level, text)
    indicator = ThresholdIndicator(level=level, text=text)
    _threshold_save(indicator, by=by, before=None)
    return indicator


def _current_indicator(indicator: ThresholdIndicator) -> ThresholdIndicator:
    locked = ThresholdIndicator.objects.select_for_update().get(pk=indicator.pk)
    _current_level(locked.level)
    if locked.disabled_on is not None:
        raise ApplicationError("The indicator was changed or retired meanwhile: reload the page")
    return locked


@transaction.atomic
def threshold_indicator_reword(
    *, by, indicator: ThresholdIndicator, text: str
) -> ThresholdIndicator:
    """Reword an indicator: the old words are retired from today (contacts decided on them
    keep them) and the new words are a new indicator of the same level."""
    _require_threshold_administrator(by, indicator.level.authority_id)
    text = _clean_indicator(text)
    indicator = _current_indicator(indicator)
    if text == indicator.text:
        raise ApplicationError("Nothing was changed: change the indicator's words", field="text")
    _check_new_text(indicator.level, text)
    _retire(indicator, by=by, today=timezone.localdate())
    reworded = ThresholdIndicator(level=indicator.level, text=text)
    _threshold_save(reworded, by=by, before=None)
    return reworded


@transaction.atomic
def threshold_indicator_retire(*, by, indicator: ThresholdIndicator) -> ThresholdIndicator:
    """Stop offering an indicator from today. A level keeps at least one."""
    _require_threshold_administrator(by, indicator.level.authority_id)
    indicator = _current_indicator(indicator)
    if (
        not indicator.level.indicators.filter(disabled_on__isnull=True)
        .exclude(pk=indicator.pk)
        .exists()
    ):
        raise ApplicationError("This is the level's last indicator: add another before retiring it")
    _retire(indicator, by=by, today=timezone.localdate())
    return indicator


# The outcome the front door cannot do without a level for (decision 0077): without a level
# suggesting a referral, every referral to children's social care would be a departure from
# the threshold, needing a manager's agreement and counted as one in the assurance figures.
OUTCOMES_NEEDED = (ContactOutcome.REFERRAL,)
RETIRE_REASON_LIMIT = ThresholdLevel._meta.get_field("disabled_reason").max_length


@transaction.atomic
def threshold_level_retire(*, by, level: ThresholdLevel, reason: str) -> ThresholdLevel:
    """Stop offering a whole level from today, with its current indicators, for ``reason``.
    Contacts decided against it keep it. Refused if it is the authority's last current
    level, or the only current one suggesting an outcome in ``OUTCOMES_NEEDED``."""
    _require_threshold_administrator(by, level.authority_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ApplicationError("Enter why the level is retired", field="reason")
    if len(reason) > RETIRE_REASON_LIMIT:
        raise ApplicationError(
            f"The reason is {RETIRE_REASON_LIMIT} characters or fewer", field="reason"
        )
    # Every current level of the authority locked, so that two administrators retiring the
    # last two levels at once cannot both pass the checks below.
    current = list(
        ThresholdLevel.objects.select_for_update()
        .filter(authority_id=level.authority_id, disabled_on__isnull=True)
        .order_by("pk")
    )
    level = _current_level(level)
    others = [other for other in current if other.pk != level.pk]
    if not others:
        raise ApplicationError(
            f"Level {level.number} is the only level: the front door needs one. "
            "Add another level before retiring it"
        )
    if level.implied_outcome in OUTCOMES_NEEDED and not any(
        other.implied_outcome == level.implied_outcome for other in others
    ):
        raise ApplicationError(
            f"Level {level.number} is the only level that suggests "
            f"“{level.get_implied_outcome_display()}”: the front door needs one. Change "
            "another level to suggest it, or add one, before retiring this level"
        )
    today = timezone.localdate()
    for indicator in level.indicators.filter(disabled_on__isnull=True):
        _retire(indicator, by=by, today=today)
    before = snapshot(level)
    level.disabled_on, level.disabled_reason = today, reason
    _threshold_save(level, by=by, before=before)
    return level


def default_thresholds() -> dict:
    """The packaged default continuum, as ``thresholds_load`` takes it."""
    with DEFAULT_THRESHOLDS.open("rb") as handle:
        return tomllib.load(handle)


def thresholds_load_default(*, by, authority) -> list[ThresholdLevel]:
    """Make Safeguard's default continuum the authority's (``thresholds_load``); a second
    load changes nothing."""
    return thresholds_load(by=by, authority=authority, data=default_thresholds())
