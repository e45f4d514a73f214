"""Keeping the directory of services: adding, changing, checking and ending entries,
appointing and ending directory editors, and importing an Open Referral UK file.

Every service takes ``by=``, checks the directory policy, runs in one transaction and saves
through ``audit.services`` (a change event in the same transaction); bad input raises
``ApplicationError`` with a message for the user and nothing is stored.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.roles import ADMINISTRATOR_ROLES
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, save_change, save_new, snapshot
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.directory import oruk, permissions
from safeguard.directory.codes import Need, ServiceKind
from safeguard.directory.models import DirectoryEditor, Service
from safeguard.directory.permissions import Action
from safeguard.referrals.models import ThresholdLevel

# The fields an editor keeps, in the order the form asks for them. ``last_checked``,
# ``checked_by`` and the end are set by their own services.
FIELDS = (
    "name", "organisation", "kind", "description", "min_age", "max_age", "areas", "levels",
    "needs", "eligibility_notes", "how_to_refer", "referral_email", "accepting_referrals",
    "waiting_weeks", "capacity_notes", "phone", "email", "website", "address", "postcode",
)  # fmt: skip

# A postcode district: the outward code of a UK postcode ("N17", "KM3", "SW1A").
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
OLDEST = 25  # the directory serves children and young people (care leavers to 25)


def _require(by, action: Action, obj=None) -> None:
    if not permissions.can(by, action, obj):
        raise ApplicationError("Only directory editors keep the directory")


def _today() -> date:
    return timezone.localdate()


def current_level_numbers(authority_id) -> set[int]:
    return set(
        ThresholdLevel.objects.filter(
            authority_id=authority_id, disabled_on__isnull=True
        ).values_list("number", flat=True)
    )


def problems(values: dict, *, level_numbers: set[int]) -> list[tuple[str, str]]:
    """What is wrong with an entry's ``values``: ``(field, message)`` pairs, none if fit to
    save. The one check of an entry, for the form, the services and the import."""
    found = []
    for name, label in (
        ("name", "the service's name"),
        ("organisation", "who provides it"),
        ("description", "what it offers"),
        ("how_to_refer", "how to refer"),
    ):
        if not str(values.get(name) or "").strip():
            found.append((name, f"Enter {label}"))
    for name, limit in (("name", 200), ("organisation", 200), ("capacity_notes", 300)):
        if len(str(values.get(name) or "")) > limit:
            found.append((name, f"Use {limit} characters or fewer"))
    if values.get("kind") not in ServiceKind.values:
        found.append(("kind", "Choose a kind of service from the list"))
    low, high = values.get("min_age"), values.get("max_age")
    for name, age in (("min_age", low), ("max_age", high)):
        if age is not None and not (isinstance(age, int) and 0 <= age <= OLDEST):
            found.append((name, f"An age must be a whole number from 0 to {OLDEST}"))
    if isinstance(low, int) and isinstance(high, int) and low > high:
        found.append(("max_age", "The oldest age must be the same as or above the youngest"))
    for area in values.get("areas") or []:
        if not isinstance(area, str) or not DISTRICT.match(area):
            found.append(("areas", f"{area!r} is not a postcode district (like N17 or KM3)"))
    for level in values.get("levels") or []:
        if level not in level_numbers:
            found.append(("levels", f"Level {level} is not a level of the authority's threshold"))
    for need in values.get("needs") or []:
        if need not in Need.values:
            found.append(("needs", f"{need!r} is not one of the needs the directory lists"))
    for name in ("email", "referral_email"):
        if values.get(name):
            try:
                EmailValidator()(values[name])
            except ValidationError:
                found.append((name, "Enter an email address like name@example.org"))
    if values.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(values["website"])
        except ValidationError:
            found.append(("website", "Enter a web address starting https://"))
    weeks = values.get("waiting_weeks")
    if weeks is not None and not (isinstance(weeks, int) and 0 <= weeks <= 104):
        found.append(("waiting_weeks", "The wait must be a whole number of weeks up to 104"))
    return found


def _clean(values: dict) -> dict:
    values = dict(values)
    values["areas"] = sorted({a.strip().upper() for a in values.get("areas") or [] if a.strip()})
    values["levels"] = sorted(set(values.get("levels") or []))
    values["needs"] = sorted(set(values.get("needs") or []))
    values["postcode"] = (values.get("postcode") or "").strip().upper()
    return values


def _check(authority_id, values: dict, *, exclude_pk=None) -> None:
    found = problems(values, level_numbers=current_level_numbers(authority_id))
    if found:
        name, message = found[0]
        raise ApplicationError(message, field=name)
    same = Service.objects.filter(
        authority_id=authority_id, name=values["name"], organisation=values["organisation"]
    ).exclude(pk=exclude_pk)
    if same.exists():
        raise ApplicationError(
            "The directory already has a service of this name from this organisation",
            field="name",
        )


@transaction.atomic
def service_add(
    *, by, last_checked: date | None = None, oruk_id: uuid.UUID | None = None, **values
) -> Service:
    """Add an entry to ``by``'s authority's directory, checked today by ``by`` (or on
    ``last_checked``). ``oruk_id`` only for the demo, whose ids follow its seed."""
    _require(by, Action.EDIT)
    values = _clean({name: values.get(name) for name in FIELDS if name in values})
    _check(by.authority_id, values)
    service = Service(
        authority_id=by.authority_id,
        last_checked=last_checked or _today(),
        checked_by=by,
        **values,
    )
    if oruk_id is not None:
        service.oruk_id = oruk_id
    save_new(service, by=by)
    return service


@transaction.atomic
def service_change(*, by, service: Service, version: int | None = None, **values) -> Service:
    """Change an entry's details; refused if someone changed it since ``version`` was read.
    Changing the details is not checking them: "last checked" moves only by
    ``service_check``."""
    _require(by, Action.EDIT, service)
    expect_version(service, version)
    values = _clean({name: values.get(name) for name in FIELDS if name in values})
    _check(service.authority_id, values, exclude_pk=service.pk)
    before = snapshot(service)
    for name, value in values.items():
        setattr(service, name, value)
    save_change(service, by=by, before=before)
    return service


@transaction.atomic
def service_check(*, by, service: Service, version: int | None = None) -> Service:
    """Mark an entry as checked today by ``by``: it is current again for ``CHECK_MONTHS``."""
    _require(by, Action.EDIT, service)
    expect_version(service, version)
    if service.ended_on is not None:
        raise ApplicationError("This service has ended: it cannot be marked as checked")
    before = snapshot(service)
    service.last_checked = _today()
    service.checked_by = by
    save_change(service, by=by, before=before)
    return service


@transaction.atomic
def service_end(
    *, by, service: Service, ended_on: date, reason: str, version: int | None = None
) -> Service:
    """End an entry from ``ended_on`` with the reason: it stays in the directory, marked
    ended, never suggested, and takes no more referrals."""
    _require(by, Action.EDIT, service)
    expect_version(service, version)
    if service.ended_on is not None:
        raise ApplicationError("This service has already ended")
    if not reason.strip():
        raise ApplicationError("Say why the service ended", field="reason")
    if ended_on > _today():
        raise ApplicationError("The end date must be today or in the past", field="ended_on")
    before = snapshot(service)
    service.ended_on = ended_on
    service.ended_reason = reason.strip()
    service.accepting_referrals = False
    save_change(service, by=by, before=before, verb=ChangeVerb.ENDED)
    return service


# --- Directory editors ------------------------------------------------------------------------


@transaction.atomic
def editor_appoint(*, by, user) -> DirectoryEditor:
    """Appoint ``user`` a directory editor of ``by``'s authority (never ``by`` themselves)."""
    if user.pk == by.pk:
        raise ApplicationError("Nobody appoints themselves", field="user")
    _require_appoint(by, user)
    if user.authority_id != by.authority_id or not user.is_active:
        raise ApplicationError("Choose an active member of your authority's staff", field="user")
    if user.role in permissions.NOT_USERS:
        raise ApplicationError("This member of staff does not use the directory", field="user")
    if DirectoryEditor.objects.filter(
        authority_id=by.authority_id, user=user, ended_on__isnull=True
    ).exists():
        raise ApplicationError("This member of staff is already a directory editor", field="user")
    editor = DirectoryEditor(
        authority_id=by.authority_id, user=user, appointed_by=by, appointed_on=_today()
    )
    save_new(editor, by=by)
    return editor


def _require_appoint(by, user) -> None:
    if not permissions.can(by, Action.APPOINT, user):
        raise ApplicationError("Only a service manager or an administrator appoints editors")


@transaction.atomic
def editor_end(*, by, editor: DirectoryEditor) -> DirectoryEditor:
    """End ``editor``'s appointment today (never by the editor themselves)."""
    if editor.user_id == by.pk:
        raise ApplicationError("Nobody ends their own appointment")
    _require_appoint(by, editor.user)
    if editor.authority_id != by.authority_id:
        raise ApplicationError("Not an editor of your authority")
    if editor.ended_on is not None:
        raise ApplicationError("This appointment has already ended")
    before = snapshot(editor)
    editor.ended_on = _today()
    editor.save(update_fields=["ended_on"])
    record_change(by=by, verb=ChangeVerb.ENDED, obj=editor, before=before)
    return editor


# --- Open Referral UK import ------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What an import did (or, for a dry run, would do)."""

    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "Would add" if self.dry_run else "Added"
        change = "Would change" if self.dry_run else "Changed"
        out = [f"{verb}: {name}" for name in self.added]
        out += [f"{change}: {name} ({', '.join(fields)})" for name, fields in self.changed]
        out.append(
            f"{len(self.added)} to add, {len(self.changed)} to change, "
            f"{self.unchanged} unchanged" + (" (nothing saved: dry run)" if self.dry_run else "")
        )
        return out


def _may_import(by, authority) -> bool:
    # Directory editors from the browser; the system administrator at the console
    # (``safeguard import-directory``), the command-line account included.
    if by.role in ADMINISTRATOR_ROLES or not by.agency_id:
        return True
    return permissions.can(by, Action.EDIT) and by.authority_id == authority.pk


@transaction.atomic
def directory_import(*, by, authority, text: str, dry_run: bool = False) -> ImportOutcome:
    """Import an Open Referral UK file (decision 0079) into ``authority``'s directory, all or
    nothing: entries are matched by their Open Referral UK id, new ones added, changed ones
    changed. An invalid file raises ``oruk.FileRefused`` with every reason, and nothing is
    written; ``dry_run`` says what would happen and writes nothing."""
    if not _may_import(by, authority):
        raise ApplicationError("Only directory editors import into the directory")
    records = oruk.parse(text, level_numbers=current_level_numbers(authority.pk))
    levels = current_level_numbers(authority.pk)
    addresses = []
    for number, record in enumerate(records, start=1):
        for name, message in problems(record.values, level_numbers=levels):
            if name in ("email", "referral_email", "website"):
                addresses.append(f"Service {number} ({record.values['name']}), {name}: {message}")
    if addresses:
        raise oruk.FileRefused(addresses)
    existing = {s.oruk_id: s for s in Service.objects.filter(authority=authority)}
    taken = {(s.name, s.organisation): s.oruk_id for s in existing.values()}
    clashes = []
    for number, record in enumerate(records, start=1):
        other = taken.get((record.values["name"], record.values["organisation"]))
        if other is not None and other != record.oruk_id:
            clashes.append(
                f"Service {number} ({record.values['name']}), name: the directory already has "
                "a service of this name from this organisation, with another id"
            )
    if clashes:
        raise oruk.FileRefused(clashes)
    outcome = ImportOutcome(dry_run=dry_run)
    for record in records:
        service = existing.get(record.oruk_id)
        if service is None:
            outcome.added.append(record.values["name"])
            if not dry_run:
                save_new(
                    Service(authority=authority, oruk_id=record.oruk_id, **record.values), by=by
                )
            continue
        changed = [name for name, value in record.values.items() if getattr(service, name) != value]
        if not changed:
            outcome.unchanged += 1
            continue
        outcome.changed.append((service.name, [oruk.label(name) for name in changed]))
        if not dry_run:
            before = snapshot(service)
            for name in changed:
                setattr(service, name, record.values[name])
            if "last_checked" in changed:
                service.checked_by = None  # checked elsewhere, by someone of the file's source
            save_change(service, by=by, before=before)
    return outcome
