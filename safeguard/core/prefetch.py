"""A few rows of a related list read inside their parent's own query (decision 0060).

``prefetch_related`` reads each list of related rows (a reverse foreign key, a many-to-many)
with one more query. For the few rows a page shows of such a list (a plan's core groups, a
child in need plan's reviews, a case's reviews while unallocated, a contact's threshold
indicators), :func:`with_rows` annotates the parents' query with those rows as one JSON list,
and :func:`unpack_rows` turns the list back into model instances in the prefetch cache of the
object that owns the list, so that ``plan.core_groups.all()`` and everything built on it
(templates, the timescales engine) read them without a query.

The list is named by a path from the parent: ``"core_groups"`` on a plan, or
``"referral__contact__indicators"`` on a case (forward foreign keys, then the list). Only the
fields named are read; any other field is deferred and would be read from the database if
touched, so a caller that asks for too little costs queries (which the page-query tests count),
never wrong data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

# The people a row names: what ``str(user)`` shows.
USER_FIELDS = ("id", "username", "first_name", "last_name")


class JSONRows(models.Aggregate):
    """The aggregated rows as one JSON list (SQLite ``json_group_array``; PostgreSQL
    ``jsonb_agg``)."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


@dataclass(frozen=True)
class _List:
    """Where a list hangs: the forward foreign keys from the parent to its owner, the owner's
    field, the rows' model and how the rows are reached from the table the subquery reads."""

    prefix: tuple[str, ...]
    field: models.Field  # the reverse relation, or the forward many-to-many, on the owner
    model: type[models.Model]  # the rows' model
    table: type[models.Model]  # what the subquery reads: the rows, or the many-to-many table
    owner_key: str  # on ``table``: the owner
    row: str  # on ``table``: the prefix that reaches a row's fields ("" or "target__")

    @property
    def accessor(self) -> str:
        return self.field.name if self.field.many_to_many else self.field.get_accessor_name()

    @property
    def cache_name(self) -> str:
        """Where ``prefetch_related`` would keep the rows on the owner."""
        return self.field.name if self.field.many_to_many else self.field.cache_name


def _list(model: type[models.Model], path: str) -> _List:
    *prefix, name = path.split("__")
    for step in prefix:
        model = model._meta.get_field(step).related_model
    field = model._meta.get_field(name)
    if field.one_to_many:  # a reverse foreign key: the rows name their owner
        fk = field.field
        return _List(tuple(prefix), field, field.related_model, field.related_model, fk.name, "")
    if field.many_to_many and not field.auto_created:  # a forward many-to-many
        through = field.remote_field.through
        return _List(
            tuple(prefix), field, field.related_model, through,
            field.m2m_field_name(), f"{field.m2m_reverse_field_name()}__",
        )  # fmt: skip
    raise ValueError(f"{path}: only a reverse foreign key or a many-to-many can be read this way")


def naming_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields a row reads of a record it names, enough for ``str()`` of it: a user's
    ``USER_FIELDS``; any other record's id and name (an agency)."""
    if model._meta.label == settings.AUTH_USER_MODEL:
        return USER_FIELDS
    return ("id", "name")


def _annotation(path: str) -> str:
    return f"_rows_{path}"


def _ordering(model: type[models.Model]) -> list[str]:
    return [key for key in model._meta.ordering if isinstance(key, str)]


def with_rows(
    parents: models.QuerySet,
    path: str,
    fields: Iterable[str],
    people: Iterable[str] = (),
) -> models.QuerySet:
    """``parents`` annotated with the rows of the list at ``path``: each row's ``fields``, the
    values it is ordered by and, for each foreign key named in ``people``, what names the
    record it leads to (``naming_fields``: a user's name, an agency's)."""
    where = _list(parents.model, path)
    row = where.row
    columns = {"id": F(f"{row}pk")}
    for name in fields:
        columns[name] = F(f"{row}{name}")
    for n, key in enumerate(_ordering(where.model)):
        columns[f"_order{n}"] = F(f"{row}{key.lstrip('-')}")
    for person in people:
        for part in naming_fields(where.model._meta.get_field(person).related_model):
            columns[f"{person}__{part}"] = F(f"{row}{person}__{part}")
    owner = "__".join([*where.prefix, "pk"])
    rows = (
        where.table._base_manager.filter(**{where.owner_key: OuterRef(owner)})
        .order_by()
        .values(where.owner_key)
        .annotate(rows=JSONRows(JSONObject(**columns)))
        .values("rows")
    )
    return parents.annotate(**{_annotation(path): Subquery(rows)})


def _value(field: models.Field, value):
    value = field.to_python(value)
    # SQLite keeps a time as UTC without its offset.
    naive = isinstance(value, datetime) and timezone.is_naive(value)
    if naive and isinstance(field, models.DateTimeField) and settings.USE_TZ:
        value = timezone.make_aware(value, UTC)
    return value


def _instance(model: type[models.Model], data: dict, names: Iterable[str]) -> models.Model:
    # ``from_db`` takes the values of a partial row in the model's own field order.
    wanted = {model._meta.get_field(name).attname: name for name in names}
    fields = [f for f in model._meta.concrete_fields if f.attname in wanted]
    values = [_value(f, data.get(wanted[f.attname])) for f in fields]
    return model.from_db(None, [f.attname for f in fields], values)


def _sorted(model: type[models.Model], rows: list[dict]) -> list[dict]:
    """The rows in the model's own order (each JSON value compares as the database gave it:
    numbers as numbers, dates and times as ISO text); nulls first."""
    for n, key in reversed(list(enumerate(_ordering(model)))):
        rows.sort(
            key=lambda r, k=f"_order{n}": (r.get(k) is not None, "" if r.get(k) is None else r[k]),
            reverse=key.startswith("-"),
        )
    return rows


def unpack_rows(
    parents: Iterable[models.Model],
    path: str,
    fields: Iterable[str],
    people: Iterable[str] = (),
) -> None:
    """Put the rows :func:`with_rows` read into the prefetch cache of the object that owns the
    list at ``path`` (each parent itself, or what its foreign keys lead to), in the rows'
    model's own order."""
    fields, people = list(fields), list(people)
    for parent in parents:
        where = _list(type(parent), path)
        owner = parent
        for step in where.prefix:
            owner = getattr(owner, step, None)  # a missing one-to-one raises AttributeError
            if owner is None:
                break
        if owner is None:
            continue
        built = []
        for data in _sorted(where.model, list(getattr(parent, _annotation(path)) or [])):
            row = _instance(where.model, data, ["id", *fields])
            if not where.field.many_to_many:
                fk = where.field.field
                setattr(row, fk.attname, owner.pk)
                fk.set_cached_value(row, owner)
            for person in people:
                field = where.model._meta.get_field(person)
                person_id = data.get(f"{person}__id")
                setattr(row, field.attname, field.target_field.to_python(person_id))
                user = None
                if person_id is not None:
                    parts = naming_fields(field.related_model)
                    named = {p: data.get(f"{person}__{p}") for p in parts}
                    user = _instance(field.related_model, named, parts)
                field.set_cached_value(row, user)
            built.append(row)
        queryset = getattr(owner, where.accessor).get_queryset()
        queryset._result_cache = built
        queryset._prefetch_done = True
        if not hasattr(owner, "_prefetched_objects_cache"):
            owner._prefetched_objects_cache = {}
        owner._prefetched_objects_cache[where.cache_name] = queryset
