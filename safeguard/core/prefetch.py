"""A small reverse relation read inside its parent's own query (decision 0060).

``prefetch_related`` reads each reverse relation with one more query. For the few rows a page
shows of a relation that hangs off another relation (a plan's core groups, a child in need
plan's reviews), :func:`with_rows` annotates the parent's query with those rows as one JSON
list, and :func:`unpack_rows` turns the list back into model instances in the parent's prefetch
cache, so that ``parent.core_groups.all()`` and everything built on it (templates, the
timescales engine) read them without a query. Only the fields named are read; any other field
is deferred and would be read from the database if touched, so a caller that asks for too
little costs queries (which the page-query tests count), never wrong data.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import JSONObject

# The people a row names: what ``str(user)`` shows.
USER_FIELDS = ("id", "username", "first_name", "last_name")


class JSONRows(models.Aggregate):
    """The aggregated rows as one JSON list (SQLite ``json_group_array``; PostgreSQL
    ``jsonb_agg``)."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def _annotation(relation: str) -> str:
    return f"_rows_{relation}"


def _model_field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


def _read(model: type[models.Model], fields: Iterable[str]) -> list[str]:
    """The fields asked for and those the model is ordered by (the rows are sorted by them)."""
    names = list(fields)
    for key in model._meta.ordering:
        if key.lstrip("-") not in names:
            names.append(key.lstrip("-"))
    return names


def with_rows(
    parents: models.QuerySet,
    relation: str,
    fields: Iterable[str],
    people: Iterable[str] = (),
) -> models.QuerySet:
    """``parents`` annotated with the rows of their reverse relation ``relation``: each row's
    ``fields`` and, for each foreign key to a user named in ``people``, that user's name."""
    rel = parents.model._meta.get_field(relation)
    child, fk = rel.related_model, rel.field
    columns = {"id": F("pk")}
    for name in _read(child, fields):
        columns[name] = F(name)
    for person in people:
        for part in USER_FIELDS:
            columns[f"{person}__{part}"] = F(f"{person}__{part}")
    rows = (
        child._base_manager.filter(**{fk.name: OuterRef("pk")})
        .order_by()
        .values(fk.name)
        .annotate(rows=JSONRows(JSONObject(**columns)))
        .values("rows")
    )
    return parents.annotate(**{_annotation(relation): Subquery(rows)})


def _instance(model: type[models.Model], data: dict, names: list[str]) -> models.Model:
    values = [_model_field(model, name).to_python(data.get(name)) for name in names]
    attnames = [_model_field(model, name).attname for name in names]
    return model.from_db(None, attnames, values)


def unpack_rows(
    parents: Iterable[models.Model],
    relation: str,
    fields: Iterable[str],
    people: Iterable[str] = (),
) -> None:
    """Put the rows :func:`with_rows` read into each parent's prefetch cache for
    ``relation``, in the related model's own order."""
    people = list(people)
    for parent in parents:
        rel = type(parent)._meta.get_field(relation)
        child, fk = rel.related_model, rel.field
        read = _read(child, fields)
        built = []
        for data in getattr(parent, _annotation(relation)) or []:
            row = _instance(child, data, ["id", *read])
            setattr(row, fk.attname, parent.pk)
            fk.set_cached_value(row, parent)
            for person in people:
                field = _model_field(child, person)
                person_id = data.get(f"{person}__id")
                setattr(row, field.attname, field.target_field.to_python(person_id))
                if person_id is not None:
                    named = {p: data.get(f"{person}__{p}") for p in USER_FIELDS}
                    user = _instance(field.related_model, named, list(USER_FIELDS))
                    field.set_cached_value(row, user)
                else:
                    field.set_cached_value(row, None)
            built.append(row)
        for key in reversed(child._meta.ordering):
            name = key.lstrip("-")
            built.sort(key=lambda r, n=name: getattr(r, n), reverse=key.startswith("-"))
        manager = getattr(parent, relation)
        queryset = manager.get_queryset()
        queryset._result_cache = built
        queryset._prefetch_done = True
        if not hasattr(parent, "_prefetched_objects_cache"):
            parent._prefetched_objects_cache = {}
        parent._prefetched_objects_cache[rel.cache_name] = queryset
