"""Constants and small helpers shared by the parts of the demo generator."""

from __future__ import annotations

import contextlib
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.apps import apps as django_apps
from django.db.models import Model, UUIDField
from django.db.models.base import ModelState

from safeguard.accounts.models import Team
from safeguard.audit.models import ChangeEvent, ChangeVerb

DEFAULT_CHILDREN = 2000
DEFAULT_SEED = 2009
MIN_CHILDREN = 10
MAX_CHILDREN = 50_000
BATCH_SIZE = 1000

AUTHORITY_NAME = "London Borough of Kingsmere"
# No English local authority has the DfE LA code 990.
DFE_LA_CODE = "990"
# UPNs carry a DfE pseudo-LA number (001-005): no authority issues them, yet the CIN census
# accepts them (rule 1530), which 990 would not.
UPN_LA_NUMBER = "001"
TOWN = "Kingsmere"
# "KM" is not a UK postcode area, so no demo address can be a real one.
POSTCODE_AREA = "KM"

ALLOCATED_SOCIAL_WORKER = "Allocated social worker"


def shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def cumulative(weights: Iterable[float]) -> Iterable[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def team_letter(index: int) -> str:
    """A, B, ... Z, AA, AB, ...: spreadsheet-style labels for CP/CIN teams."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


@dataclass
class Worker:
    """A member of staff who can be named on involvements and allocations, with their team."""

    username: str
    team: Team | None
    load: int = 0
    user_id: int | None = None
    full_name: str = ""


class _Template:
    """A model's field defaults, worked out once."""

    def __init__(self, model: type[Model]) -> None:
        self.constant: dict[str, object] = {}
        self.computed: list[tuple[str, object]] = []
        for f in model._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                self.computed.append((f.attname, f))
            else:
                self.constant[f.attname] = f.get_default()


_TEMPLATES: dict[type[Model], _Template] = {}


def make(model: type[Model], /, **values) -> Model:
    """A new, unsaved ``model`` instance from field attnames (``case_id``, not ``case``).

    The same as ``model(**values)`` for what ``bulk_create`` needs, without the cost of
    ``Model.__init__``, which is a fifth of the time of a large demo. Fields left out get
    their defaults, as ``__init__`` would give them.
    """
    template = _TEMPLATES.get(model)
    if template is None:
        template = _TEMPLATES[model] = _Template(model)
    obj = model.__new__(model)
    fields = obj.__dict__
    fields["_state"] = ModelState()
    fields.update(template.constant)
    for attname, field in template.computed:
        if attname not in values:
            fields[attname] = field.get_default()
    fields.update(values)
    return obj


def save_with_events(rows: dict, models: Iterable[type[Model]], events: list, saved) -> None:
    """Insert the ``rows`` made of each of ``models`` (in that order: parents before
    children), count them in ``saved`` by model label, and write a "created" change event for
    each ``(label, pk, person_id)`` of ``events``, as the services would; then forget them
    (a large demo saves in parts)."""
    for model in models:
        model.objects.bulk_create(rows[model], batch_size=BATCH_SIZE)
        saved[model._meta.label_lower] += len(rows[model])
    ChangeEvent.objects.bulk_create(
        (
            make(
                ChangeEvent,
                verb=ChangeVerb.CREATED,
                target_type=label,
                target_id=pk,
                person_id=person_id,
                after={"source": "demo"},
            )
            for label, pk, person_id in events
        ),
        batch_size=BATCH_SIZE,
    )
    rows.clear()
    events.clear()


@contextlib.contextmanager
def seeded_ids(rng: random.Random):
    """While the block runs, every record made with a random id (a ``UUIDField`` primary key
    defaulting to ``uuid4``) takes its id from ``rng`` instead: the parts of the demo made
    through the real services give the same ids for the same seed, as the bulk-inserted
    records do. One thread at a time: the demo is built in one."""
    fields = [
        model._meta.pk
        for model in django_apps.get_models()
        if isinstance(model._meta.pk, UUIDField) and model._meta.pk.default is uuid.uuid4
    ]

    def next_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    for field in fields:
        field.default = next_id
        field.__dict__.pop("_get_default", None)  # Django caches the default's callable
    try:
        yield
    finally:
        for field in fields:
            field.default = uuid.uuid4
            field.__dict__.pop("_get_default", None)
