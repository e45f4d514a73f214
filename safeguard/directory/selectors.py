"""Reading the directory of services: the search page, one service with its history, the
directory editors. Nothing here is about a child, so no access event is written; every read
starts from the directory policy's ``visible_to``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from safeguard.accounts.models import User
from safeguard.audit.models import ChangeEvent, ChangeVerb
from safeguard.core.workdays import add_months
from safeguard.directory import permissions
from safeguard.directory.codes import Need, ServiceKind
from safeguard.directory.models import CHECK_MONTHS, DirectoryEditor, Service
from safeguard.referrals.models import ThresholdLevel

PAGE_SIZE = 25
SERVICE_TYPE = "directory.service"


@dataclass
class Filters:
    """What the search page was asked for; empty values filter nothing."""

    text: str = ""
    kind: str = ""
    age: int | None = None
    district: str = ""
    level: int | None = None
    need: str = ""
    currency: str = ""  # "", "current" or "lapsed"


@dataclass
class Page:
    rows: list[Service]
    number: int
    num_pages: int
    count: int
    has_previous: bool = False
    has_next: bool = False
    levels: dict[int, str] = field(default_factory=dict)


def _words(text: str) -> list[str]:
    return [word for word in text.split() if word][:8]


def filtered(queryset: QuerySet[Service], filters: Filters, *, on: date) -> QuerySet[Service]:
    """``queryset`` narrowed by ``filters``, all in SQL. A service with no bound, no district,
    no level or no need listed serves any (the model's rule)."""
    for word in _words(filters.text):
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(organisation__icontains=word)
            | Q(description__icontains=word)
        )
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.age is not None:
        queryset = queryset.filter(
            Q(min_age__isnull=True) | Q(min_age__lte=filters.age),
            Q(max_age__isnull=True) | Q(max_age__gte=filters.age),
        )
    if filters.district:
        # A list of strings held as JSON: the district in quotes is one whole element.
        queryset = queryset.filter(
            Q(areas=[]) | Q(areas__icontains=f'"{filters.district.upper()}"')
        )
    if filters.need:
        queryset = queryset.filter(Q(needs=[]) | Q(needs__icontains=f'"{filters.need}"'))
    if filters.level is not None:
        # Numbers in a JSON list: the number between brackets, commas or spaces.
        queryset = queryset.annotate(levels_text=Cast("levels", CharField())).filter(
            Q(levels=[]) | Q(levels_text__regex=rf"(^|[\[ ,]){filters.level}($|[\] ,])")
        )
    if filters.currency == "current":
        queryset = queryset.filter(pk__in=Service.objects.current(on).values("pk"))
    elif filters.currency == "lapsed":
        queryset = queryset.exclude(pk__in=Service.objects.current(on).values("pk"))
    return queryset


def level_names(authority_id) -> dict[int, str]:
    """The current threshold's levels by number: "Level 2: Early help" (one query)."""
    return {
        level.number: f"Level {level.number}: {level.name}"
        for level in ThresholdLevel.objects.filter(
            authority_id=authority_id, disabled_on__isnull=True
        ).order_by("number")
    }


def checked_words(service: Service, on: date) -> str:
    """How current an entry is, in words: "Checked 3 months ago" or "Out of date: ..."."""
    if service.ended_on is not None and service.ended_on <= on:
        return f"Ended on {service.ended_on:%-d %B %Y}"
    if not service.is_current(on):
        return f"Out of date: not checked since {service.last_checked:%-d %B %Y}"
    months = (on.year - service.last_checked.year) * 12 + on.month - service.last_checked.month
    if on.day < service.last_checked.day:
        months -= 1
    if months <= 0:
        return "Checked this month" if service.last_checked != on else "Checked today"
    return f"Checked {months} month{'s' if months != 1 else ''} ago"


def _decorate(services, on: date, levels: dict[int, str]) -> None:
    for service in services:
        service.current = service.is_current(on)
        service.checked_words = checked_words(service, on)
        service.kind_label = ServiceKind(service.kind).label
        service.level_labels = [levels.get(n, f"Level {n}") for n in service.levels]
        service.need_labels = [Need(n).label if n in Need.values else n for n in service.needs]


def directory_search(user, filters: Filters, *, on: date, number: int = 1) -> Page:
    """One page of the entries ``user`` may read that match ``filters``, by name: three
    queries whatever the directory's size (the levels' names, the count, the page)."""
    levels = level_names(user.authority_id)
    queryset = filtered(permissions.visible_to(user), filters, on=on)
    count = queryset.count()
    num_pages = max(1, -(-count // PAGE_SIZE))
    number = min(max(1, number), num_pages)
    start = (number - 1) * PAGE_SIZE
    rows = list(queryset.order_by("name", "organisation")[start : start + PAGE_SIZE])
    _decorate(rows, on, levels)
    return Page(
        rows=rows,
        number=number,
        num_pages=num_pages,
        count=count,
        has_previous=number > 1,
        has_next=number < num_pages,
        levels=levels,
    )


def access_service(user, service_id, *, on: date | None = None) -> Service:
    """The entry ``service_id`` if ``user`` may read it (with who last checked it), else
    ``Http404``: another authority's entry is not found, never forbidden."""
    if not permissions.can(user, permissions.Action.VIEW):
        raise Http404
    service = (
        permissions.visible_to(user).select_related("checked_by").filter(pk=service_id).first()
    )
    if service is None:
        raise Http404
    if on is not None:
        _decorate([service], on, level_names(user.authority_id))
    return service


# The fields of an entry by the words its form uses, for the history.
def _field_label(name: str) -> str:
    try:
        label = Service._meta.get_field(name).verbose_name
    except Exception:  # noqa: BLE001 - a field no longer on the model
        return name.replace("_", " ")
    return str(label)[:1].upper() + str(label)[1:]


_QUIET = {"version", "updated_at", "updated_by", "updated_by_id", "created_at", "id"}


@dataclass
class HistoryRow:
    at: object
    who: str
    what: str
    fields: list[str]


def service_history(service: Service) -> list[HistoryRow]:
    """Every change to the entry, newest first, in words: added, changed (which fields),
    marked as checked, ended (one query)."""
    events = ChangeEvent.objects.filter(
        target_type=SERVICE_TYPE, target_id=str(service.pk)
    ).select_related("user")
    rows = []
    for event in events:
        before, after = event.before or {}, event.after or {}
        changed = sorted(
            k for k in set(before) | set(after) if k not in _QUIET and before.get(k) != after.get(k)
        )
        if event.verb == ChangeVerb.CREATED:
            what = "Added to the directory"
            changed = []
        elif event.verb == ChangeVerb.ENDED:
            what = "Ended"
        elif changed and set(changed) <= {"last_checked", "checked_by", "checked_by_id"}:
            what = "Marked as checked"
            changed = []
        else:
            what = "Changed"
        who = event.user.get_full_name() or event.user.username if event.user else "Imported"
        labels = sorted({_field_label(k.removesuffix("_id")) for k in changed})
        rows.append(HistoryRow(at=event.at, who=who, what=what, fields=labels))
    return rows


def editors(user) -> list[DirectoryEditor]:
    """The authority's directory editors, current first, then those whose appointment ended
    (one query)."""
    return list(
        DirectoryEditor.objects.filter(authority_id=user.authority_id)
        .select_related("user__agency", "appointed_by")
        .order_by("ended_on", "user__last_name", "user__first_name")
    )


def appointable_staff(user):
    """Staff of the authority who may be appointed: active, using the directory, not already
    a current editor, never the appointer themselves."""
    current = DirectoryEditor.objects.filter(
        authority_id=user.authority_id, ended_on__isnull=True
    ).values("user_id")
    return (
        User.objects.filter(agency__authority_id=user.authority_id, is_active=True)
        .exclude(role__in=permissions.NOT_USERS)
        .exclude(pk=user.pk)
        .exclude(pk__in=current)
        .select_related("agency")
        .order_by("last_name", "first_name")
    )


def all_services(authority_id) -> QuerySet[Service]:
    """The whole directory of an authority, for the export (one query)."""
    return Service.objects.filter(authority_id=authority_id).order_by("name", "organisation")


def lapse_date(on: date) -> date:
    """Entries last checked on or before this day have lapsed."""
    return add_months(on, -CHECK_MONTHS)


def access_editor(user, editor_id) -> DirectoryEditor:
    """An appointment of ``user``'s authority, for someone who may appoint; else ``Http404``."""
    if not permissions.can(user, permissions.Action.APPOINT):
        raise Http404
    editor = (
        DirectoryEditor.objects.filter(authority_id=user.authority_id, pk=editor_id)
        .select_related("user")
        .first()
    )
    if editor is None:
        raise Http404
    return editor
