"""A person's record history (``audit.ChangeEvent``) as shown to staff: which events a reader
may see, and how each reads in plain words.

**Who sees which event.** A change concerns a record owned by one app (a case note by
``casework``, a section 47 enquiry by ``protection``). Its history is shown only to those that
app's policy lets see such records about the person: partner staff, who see a child's
identity, never see that a section 47 enquiry was started. Apps above ``people`` register
their policy here from their ``AppConfig.ready()`` (``register``), as they register the checks
that closing a case asks (decision 0003); an app that registers nothing has its events shown
to no one (fail closed).

**How an event reads.** One place words every event: the record's own name (its model's
``verbose_name``: "Section 47 enquiry") and a word for what happened ("started", "recorded",
"changed", "ended", "closed"), and for a change the names of the fields changed as the forms
call them. Internal names (``protection.section47enquiry``, ``primary_need``) never reach a
page or an export.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q

from safeguard.accounts.roles import is_social_care_staff
from safeguard.audit.models import ChangeEvent, ChangeVerb
from safeguard.people import permissions

# policy(user, person) -> may ``user`` see this app's records about ``person``?
HistoryPolicy = Callable[[object, object], bool]

_POLICIES: dict[str, HistoryPolicy] = {}

# What happened, by verb, unless the record says otherwise below.
VERB_WORDS = {
    ChangeVerb.CREATED: "recorded",
    ChangeVerb.UPDATED: "changed",
    ChangeVerb.ENDED: "ended",
}

# Records whose creation is a start, or whose end is a closing, read so.
STARTED = {
    "casework.allocation",
    "casework.cinplan",
    "earlyhelp.earlyhelpassessment",
    "earlyhelp.teamaroundthefamily",
    "assessments.assessment",
    "protection.section47enquiry",
    "protection.childprotectionplan",
    "people.involvement",
}
CLOSED = {"casework.case", "earlyhelp.teamaroundthefamily", "privacy.subjectaccessrequest"}

# Whole sentences for the events a model's name and a verb do not say well.
SENTENCES = {
    ("people.person", ChangeVerb.CREATED): "Record created",
    ("people.person", ChangeVerb.UPDATED): "Identity or identifiers changed",
    ("people.residence", ChangeVerb.CREATED): "Address recorded",
    ("people.residence", ChangeVerb.ENDED): "Moved away from an address",
    ("people.personname", ChangeVerb.CREATED): "Another name recorded",
    ("people.seal", ChangeVerb.CREATED): "Record sealed",
    ("people.seal", ChangeVerb.ENDED): "Seal lifted",
    ("people.sealmember", ChangeVerb.CREATED): "Member of staff named on the seal",
    ("people.sealmember", ChangeVerb.ENDED): "Member of staff no longer named on the seal",
    ("people.breakglass", ChangeVerb.CREATED): "Break-glass access granted",
    ("people.breakglass", ChangeVerb.UPDATED): "Break-glass use reviewed",
    ("people.adultalert", ChangeVerb.CREATED): "Alert raised",
    ("people.adultalert", ChangeVerb.ENDED): "Alert ended",
    ("casework.case", ChangeVerb.CREATED): "Case opened",
    ("documents.document", ChangeVerb.CREATED): "Document added",
    ("casework.casesummary", ChangeVerb.CREATED): "Case summary saved",
    ("referrals.contact", ChangeVerb.CREATED): "Contact received",
    ("referrals.contact", ChangeVerb.UPDATED): "Contact decided",
}


def register(app_label: str, policy: HistoryPolicy) -> None:
    """Let ``policy`` decide who sees the history of ``app_label``'s records."""
    _POLICIES[app_label] = policy


def registered() -> dict[str, HistoryPolicy]:
    return dict(_POLICIES)


def _people_policy(user, person) -> bool:
    """Identity, addresses, names, relationships and involvements: whoever sees the person.
    Seals and break-glass: the authority's social care staff, who may know of them."""
    return permissions.can(user, permissions.Action.VIEW, person)


# Seals, break-glass and alert flags on adults (decision 0048): the authority's social care
# staff only, as the pages that show them.
_SEAL_RECORDS = {"people.seal", "people.sealmember", "people.breakglass", "people.adultalert"}


def _may_see(user, person, target_type: str, cache: dict) -> bool:
    """Asked once per owning app (and once for seals) per page, whatever the events."""
    app_label = target_type.split(".", 1)[0]
    key = "people.seals" if target_type in _SEAL_RECORDS else app_label
    if key not in cache:
        if app_label == "people":
            ok = _people_policy(user, person)
            if ok and key == "people.seals":
                ok = is_social_care_staff(user, authority_id=person.authority_id)
        else:
            policy = _POLICIES.get(app_label)
            ok = bool(policy and policy(user, person))
        cache[key] = ok
    return cache[key]


def _model(target_type: str) -> type[Model] | None:
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe(target_type: str, verb: str) -> str:
    """What happened, in plain words: "Section 47 enquiry started"."""
    sentence = SENTENCES.get((target_type, verb))
    if sentence:
        return sentence
    model = _model(target_type)
    name = _capitalised(str(model._meta.verbose_name)) if model else "A record"
    word = VERB_WORDS.get(verb, "changed")
    if verb == ChangeVerb.CREATED and target_type in STARTED:
        word = "started"
    elif verb == ChangeVerb.ENDED and target_type in CLOSED:
        word = "closed"
    return f"{name} {word}"


def field_labels(target_type: str, names: Iterable[str]) -> list[str]:
    """The fields' names as the forms call them; a field the record no longer has is left
    out rather than shown by its internal name."""
    model = _model(target_type)
    labels = []
    for name in names:
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        label = getattr(field, "verbose_name", None)
        if label:
            labels.append(str(label))
    return labels


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    what: str
    fields: list[str]
    by: object  # the member of staff, or None for the system


def entries(events: Iterable[ChangeEvent]) -> list[HistoryEntry]:
    """Events as plain-words entries (no filtering: see ``visible_history``)."""
    out = []
    for event in events:
        fields = []
        if event.verb == ChangeVerb.UPDATED and event.before:
            fields = field_labels(event.target_type, event.changed_fields)
        out.append(
            HistoryEntry(
                at=event.at, what=describe(event.target_type, event.verb), fields=fields,
                by=event.user,
            )  # fmt: skip
        )
    return out


def visible_history(*, user, person, limit: int = 50) -> list[HistoryEntry]:
    """The newest ``limit`` events about ``person`` that ``user`` may see, in plain words.
    The caller has already read ``person`` through the access function. Each owning app's
    policy is asked once per page, so the page's queries do not grow with its events."""
    cache: dict = {}
    # Each owning app's policy (and the seals' own) asked once, for every record type the
    # history could hold: one query for the events, with no query for which types it holds.
    apps_seen = [a for a in ("people", *_POLICIES) if _may_see(user, person, f"{a}.", cache)]
    allowed = Q(target_type__in=[]) if not apps_seen else Q()
    for app in apps_seen:
        allowed |= Q(target_type__startswith=f"{app}.")
    if not _may_see(user, person, next(iter(_SEAL_RECORDS)), cache):
        allowed &= ~Q(target_type__in=_SEAL_RECORDS)
    events = (
        ChangeEvent.objects.filter(allowed, person_id=person.pk)
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )
    return entries(events)
