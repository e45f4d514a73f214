"""What every people service shares: the date checks and the refusal of a clashing save."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import IntegrityError

from safeguard.core.errors import ApplicationError


def check_dates(*, today: date, **dates) -> None:
    """Refuse any of ``dates`` (by field name) after ``today``, except an expected birth."""
    for field, value in dates.items():
        if value and value > today and field != "expected_date_of_birth":
            label = field.replace("_", " ")
            raise ApplicationError(f"The {label} cannot be in the future", field=field)


@contextmanager
def refusing_clashes() -> Iterator[None]:
    """A save that breaks a unique rule because of another saved at the same moment is
    refused with a message for the user, rather than failing the page."""
    try:
        yield
    except IntegrityError as exc:
        raise ApplicationError(
            "This record clashes with one saved at the same moment; check it and try again"
        ) from exc
