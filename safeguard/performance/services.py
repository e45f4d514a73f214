"""The one table the performance app keeps itself: the child population by postcode district
(decision 0082), the denominator of contacts per 10,000 children by area."""

import re

from django.db import transaction

from safeguard.accounts.models import LocalAuthority
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.performance.models import ChildPopulation

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
