"""Suggesting services where decisions are made (issue 19 item 2): the directory's current
entries whose eligibility matches a child, each with the reasons it matched, in words.

A selector: it reads, never writes, and logs nothing; the page that shows suggestions has read
the child through its own access function. The needs matched are given by the caller or
gathered from the sources higher apps register (``register_needs_source``): ``earlyhelp``
(the latest early help assessment's needs) and ``assessments`` (the census factors of the
latest completed social care assessment, through ``codes.FACTOR_NEEDS``). A fixed number of
queries whatever the directory's size: the current entries, the child's address, the
authority's levels (when a level is given), and one per registered source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from safeguard.directory.codes import Need
from safeguard.directory.models import Service
from safeguard.people.models import Residence
from safeguard.referrals.models import ThresholdLevel

SUGGESTION_LIMIT = 5

# ``fn(child) -> {Need: "where it was recorded, in words"}``, registered by higher apps from
# ``AppConfig.ready()`` (the directory cannot import them: they sit above it).
NeedsSource = Callable[[object], Mapping[str, str]]
_NEEDS_SOURCES: list[NeedsSource] = []


def register_needs_source(source: NeedsSource) -> None:
    """Register ``source(child) -> {Need code: why, in words}``: one more place a child's
    needs are recorded, read when suggestions are not given the needs."""
    if source not in _NEEDS_SOURCES:
        _NEEDS_SOURCES.append(source)


def recorded_needs(child) -> dict[str, str]:
    """The child's needs from every registered source, each with where it was recorded (the
    first source to name a need gives its words; later ones are added after a semicolon)."""
    needs: dict[str, str] = {}
    for source in _NEEDS_SOURCES:
        for code, why in source(child).items():
            needs[code] = f"{needs[code]}; {why}" if needs.get(code) and why else why
    return needs


@dataclass
class Suggestion:
    service: Service
    reasons: list[str] = field(default_factory=list)
    needs_met: int = 0


def outward_code(postcode: str) -> str:
    """The postcode district (the outward code): "N17 6AB" -> "N17", "n176ab" -> "N17"."""
    text = "".join(postcode.split()).upper()
    if not text:
        return ""
    parts = postcode.upper().split()
    if len(parts) > 1:
        return parts[0]
    return text[:-3] if len(text) > 4 else text


def child_district(child, on: date) -> str:
    """The postcode district of the child's address on ``on`` ("" when none is recorded)."""
    residence = (
        Residence.objects.filter(Residence.open_on(on), person_id=child.pk)
        .select_related("address")
        .order_by("-start_date")
        .first()
    )
    return outward_code(residence.address.postcode) if residence is not None else ""


def child_age(child, on: date) -> int | None:
    """Age in whole years on ``on``; an unborn child is 0; None when no date is known."""
    if child.is_unborn:
        return 0
    return child.age_on(on)


def _ages(service: Service) -> str:
    low, high = service.min_age, service.max_age
    if low is not None and high is not None:
        return f"within {low}-{high}"
    if low is not None:
        return f"{low} or over"
    return f"{high} or under"


def _age_reason(service: Service, age: int | None) -> tuple[bool, str]:
    if service.min_age is None and service.max_age is None:
        return True, ""
    if age is None:
        return True, f"Age not known: the service is for ages {_ages(service)}"
    fits = (service.min_age is None or age >= service.min_age) and (
        service.max_age is None or age <= service.max_age
    )
    return fits, f"Age {age} is {_ages(service)}"


def _area_reason(service: Service, district: str) -> tuple[bool, str]:
    areas = [area.upper() for area in service.areas or ()]
    if not areas:
        return True, ""
    if not district:
        return True, f"No current address: the service covers {', '.join(areas)}"
    return district in areas, f"Lives in {district}"


def _level_reason(service: Service, level: int | None, names: dict[int, str]) -> tuple[bool, str]:
    if level is None or not service.levels:
        return True, ""
    name = names.get(level)
    return level in service.levels, f"Serves level {level}" + (f": {name}" if name else "")


def _needs(given) -> dict[str, str]:
    if isinstance(given, Mapping):
        return dict(given)
    return dict.fromkeys(given, "")


def suggest(
    child,
    *,
    on: date,
    level: int | None = None,
    needs: Iterable[str] | Mapping[str, str] | None = None,
    limit: int = SUGGESTION_LIMIT,
) -> list[Suggestion]:
    """The current services of the child's authority taking referrals whose eligibility
    matches ``child`` on ``on``: age (an unborn child is 0), the postcode district of the
    current address, ``level`` (a threshold level number; None: not asked) and the needs
    (``needs``: codes, or codes with where each was recorded; None: gathered from the
    registered sources). A service with no bound, no areas, no levels or no needs is open to
    any; an age, address or needs not known is not held against a service, and the reason
    says what to check. Services meeting more of the needs come first, then the shorter
    usual wait, then by name. A lapsed or ended entry is never suggested
    (``Service.objects.current``)."""
    wanted = recorded_needs(child) if needs is None else _needs(needs)
    age = child_age(child, on)
    district = child_district(child, on)
    names = {}
    if level is not None:
        names = dict(
            ThresholdLevel.objects.filter(
                authority_id=child.authority_id, disabled_on__isnull=True
            ).values_list("number", "name")
        )
    services = Service.objects.current(on).filter(
        authority_id=child.authority_id, accepting_referrals=True
    )
    found = []
    for service in services:
        reasons = []
        for fits, reason in (
            _age_reason(service, age),
            _area_reason(service, district),
            _level_reason(service, level, names),
        ):
            if not fits:
                break
            if reason:
                reasons.append(reason)
        else:
            met = [code for code in wanted if code in (service.needs or ())]
            if service.needs and wanted and not met:
                continue
            for code in met:
                why = wanted[code]
                label = Need(code).label if code in Need.values else code
                reasons.append(f"Meets: {label}" + (f" ({why})" if why else ""))
            found.append(Suggestion(service=service, reasons=reasons, needs_met=len(met)))
    found.sort(
        key=lambda s: (
            -s.needs_met,
            s.service.waiting_weeks is None,
            s.service.waiting_weeks or 0,
            s.service.name,
        )
    )
    return found[:limit]
