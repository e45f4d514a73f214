"""Writes of the performance app: the child population by postcode district (decision 0082),
the denominator of contacts per 10,000 children by area, and the authority's targets
(decision 0084)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import LocalAuthority
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.performance import permissions
from safeguard.performance.indicators import BY_ID
from safeguard.performance.models import ChildPopulation, Direction, Target
from safeguard.performance.permissions import Action


def _number(text, what: str) -> Decimal:
    try:
        number = Decimal(str(text).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise ApplicationError(f"Enter the {what} as a number, like 85 or 12.5") from None
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise ApplicationError(f"Enter the {what} as a number, like 85 or 12.5")
    return number


def parse_trajectory(text: str) -> dict[str, str]:
    """Lines "2026-04 80" (a month and its target) as the trajectory's mapping."""
    steps: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.replace(",", " ").replace(":", " ").split()
        if len(parts) != 2:
            raise ApplicationError(
                f"Line {number} of the trajectory: write a month and a target, like 2026-04 80"
            )
        try:
            month = date.fromisoformat(parts[0] + "-01")
        except ValueError:
            raise ApplicationError(
                f"Line {number} of the trajectory: write the month as YYYY-MM, like 2026-04"
            ) from None
        steps[f"{month:%Y-%m}"] = str(_number(parts[1], f"target on line {number}"))
    return steps


@transaction.atomic
def target_set(
    *,
    by,
    indicator_id: str,
    value,
    tolerance,
    direction: str,
    trajectory: dict | str | None = None,
    reason: str = "",
) -> Target:
    """Propose a new version of the authority's target for an indicator. It counts once a
    service manager who did not propose it agrees it (``target_agree``)."""
    if not permissions.can(by, Action.SET_TARGET):
        raise ApplicationError("Only service managers and performance analysts set targets.")
    indicator = BY_ID.get(indicator_id)
    if indicator is None:
        raise ApplicationError("Choose an indicator.")
    if direction not in Direction.values:
        raise ApplicationError("Choose whether a higher or a lower figure is better.")
    value = _number(value, "target")
    tolerance = _number(tolerance, "tolerance")
    if tolerance < 0:
        raise ApplicationError("The tolerance cannot be below zero.")
    if indicator.kind == "rate" and not (0 <= value <= 100):
        raise ApplicationError("A target for a rate is a percentage from 0 to 100.")
    if isinstance(trajectory, str):
        trajectory = parse_trajectory(trajectory)
    target = Target(
        authority_id=by.agency.authority_id,
        indicator_id=indicator_id,
        value=value,
        tolerance=tolerance,
        direction=direction,
        trajectory=trajectory or {},
        reason=reason,
        set_by=by,
        set_at=timezone.now(),
    )
    save_new(target, by=by)
    return target


@transaction.atomic
def target_agree(*, by, target: Target) -> Target:
    """A service manager agrees a target someone else proposed; from then it is the one the
    pages compare with (the latest agreed version of each indicator's)."""
    target = Target.objects.select_for_update().get(pk=target.pk)
    if target.agreed_at is not None:
        raise ApplicationError("This target has been agreed already.")
    if target.set_by_id == by.pk:
        raise ApplicationError("Another service manager must agree a target you proposed.")
    if not permissions.can(by, Action.AGREE_TARGET, target):
        raise ApplicationError("Only a service manager agrees a target.")
    before = snapshot(target)
    target.agreed_by = by
    target.agreed_at = timezone.now()
    save_change(target, by=by, before=before)
    return target


# A postcode district: the outward code, "KM4", "SW1A", "B1".
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


@transaction.atomic
def child_population_set(
    *, by, authority: LocalAuthority, district: str, children: int, year: int
) -> ChildPopulation:
    """Set the number of children (0 to 17) living in ``district``, from the ONS mid-year
    estimate of ``year``. ``by`` is the member of staff, or None for the server's operator."""
    district = (district or "").strip().upper()
    if not DISTRICT.match(district):
        raise ApplicationError(
            f"{district or 'The district'} is not a postcode district: enter the first part of "
            "a postcode, like KM4"
        )
    if not isinstance(children, int) or children < 0:
        raise ApplicationError("The number of children must be a whole number, 0 or more")
    if not isinstance(year, int) or not 1991 <= year <= 2100:
        raise ApplicationError("The year of the estimate must be a year like 2024")
    row = (
        ChildPopulation.objects.select_for_update()
        .filter(authority=authority, district=district)
        .first()
    )
    if row is None:
        row = ChildPopulation(authority=authority, district=district, children=children, year=year)
        save_new(row, by=by)
        return row
    before = snapshot(row)
    row.children, row.year = children, year
    if snapshot(row) != before:
        save_change(row, by=by, before=before)
    return row
