"""The one rule for "open on a day" (``core.models.Span``, ``DatedSpan``): the method, the
``Q`` that filters by it, and the constraint that an end is never before its start.

Core sits below every domain app, so the concrete models are looked up by name, not imported.
"""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from safeguard.core.models import DatedSpan, Span

D = date.fromisoformat
START = D("2025-05-01")
END = D("2025-05-10")


def model(label: str):
    return apps.get_model(label)


def span(label: str = "people.Involvement", start=START, end=END):
    """An unsaved record of ``label`` with only its span set."""
    m = model(label)
    return m(**{m.span_start: start, m.span_end: end})


def dated_span_models():
    return [m for m in apps.get_models() if issubclass(m, DatedSpan)]


# --- The rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "casework.Allocation",
        "casework.CINPlan",
        "protection.Section47Enquiry",
        "protection.ChildProtectionPlan",
        "earlyhelp.TeamAroundFamily",
        "people.Residence",
        "people.Relationship",
        "people.Involvement",
        "casework.Case",  # referral_date to closure_date
        "privacy.LegalHold",  # placed_on to lifted_on
    ],
)
def test_open_from_the_start_day_up_to_but_not_on_the_end_day(label):
    record = span(label)
    assert not record.is_open_on(START - timedelta(days=1))
    assert record.is_open_on(START)
    assert record.is_open_on(END - timedelta(days=1))
    assert not record.is_open_on(END)
    assert not record.is_open_on(END + timedelta(days=1))


def test_an_open_ended_span_stays_open():
    record = span(end=None)
    assert not record.is_open_on(START - timedelta(days=1))
    assert record.is_open_on(START)
    assert record.is_open_on(D("2100-01-01"))


def test_a_span_that_ends_the_day_it_starts_is_never_open():
    record = span(end=START)
    assert not any(record.is_open_on(START + timedelta(days=n)) for n in range(-2, 3))


def test_an_empty_start_where_allowed_means_open_since_before_records_began():
    record = span("people.Relationship", start=None, end=END)
    assert record.is_open_on(D("1900-01-01"))
    assert not record.is_open_on(END)
    assert span("people.Relationship", start=None, end=None).is_open_on(D("1900-01-01"))


def test_every_span_model_uses_the_one_rule():
    """No model keeps a copy of the rule of its own, nor the old names."""
    spans = [m for m in apps.get_models() if issubclass(m, Span)]
    assert {m._meta.label for m in spans} >= {"casework.Case", "privacy.LegalHold"}
    for m in spans:
        assert m.is_open_on is Span.is_open_on, m
        assert m.open_on.__func__ is Span.open_on.__func__, m
        assert not hasattr(m, "is_current_on") and not hasattr(m, "is_active_on"), m


# --- The Q filter gives the same answer as the method ------------------------------------------


GRID = [START + timedelta(days=n) for n in range(5)]
DAYS = [START + timedelta(days=n) for n in range(-2, 8)]


def _spans(*, with_empty_start=False):
    """Every (start, end) on a small grid of days: ended on, after and long after the start,
    or not ended; with ``with_empty_start``, also no start."""
    starts = [*GRID, *([None] if with_empty_start else [])]
    out = []
    for start in starts:
        ends = [None, *(d for d in GRID if start is None or d >= start), GRID[-1] + timedelta(30)]
        out.extend((start, end) for end in ends)
    return out


# The other fields of a row of each model, from the test world.
OWNERS = {
    "people.Involvement": lambda w: {"person": w.child_sam, "agency": w.police, "role": "Officer"},
    "people.Relationship": lambda w: {
        "person": w.mother_mary, "other": w.child_sam, "kind": "parent"
    },  # an optional start
    "casework.Case": lambda w: {
        "child": w.child_sam, "authority": w.authority, "referral_source": "1A"
    },  # referral_date to closure_date
    "privacy.LegalHold": lambda w: {"person": w.child_sam, "reason": "Inquiry"},  # placed, lifted
}  # fmt: skip
# What else an ended row must have.
WHEN_ENDED = {"casework.Case": {"closure_reason": "RC8"}, "privacy.LegalHold": {"lift_reason": "Done"}}


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(OWNERS))
def test_open_on_filters_exactly_the_rows_the_method_says_are_open(world, label):
    m = model(label)
    nullable = m._meta.get_field(m.span_start).null
    rows = []
    for s, e in _spans(with_empty_start=nullable):
        row = m(**OWNERS[label](world), **{m.span_start: s, m.span_end: e})
        for name, value in WHEN_ENDED.get(label, {}).items() if e else ():
            setattr(row, name, value)
        row.save()
        rows.append(row)
    for day in DAYS:
        expected = {r.pk for r in rows if r.is_open_on(day)}
        got = m.objects.filter(m.open_on(day), pk__in=[r.pk for r in rows])
        assert set(got.values_list("pk", flat=True)) == expected, day


@pytest.mark.django_db
def test_open_on_through_a_relation_with_a_prefix(world):
    """``prefix`` filters people by their involvements: a person is found on a day when one
    of their involvements is open that day."""
    Involvement, Person = model("people.Involvement"), model("people.Person")
    people = [world.child_sam, world.child_sally, world.child_tom]
    spans = [(GRID[0], GRID[2]), (GRID[1], None), (GRID[3], GRID[3])]
    for person, (s, e) in zip(people, spans, strict=True):
        Involvement.objects.create(
            person=person, agency=world.police, role="Officer", start_date=s, end_date=e
        )
    for day in DAYS:
        expected = {p.pk for p in people if any(i.is_open_on(day) for i in p.involvements.all())}
        got = Person.objects.filter(
            Involvement.open_on(day, prefix="involvements__"), pk__in=[p.pk for p in people]
        ).values_list("pk", flat=True)
        assert set(got) == expected, day


# --- The constraint: an end is never before its start --------------------------------------


def test_every_dated_span_model_has_its_own_dates_in_order_constraint():
    found = dated_span_models()
    assert len(found) >= 8
    for m in found:
        names = [c.name for c in m._meta.constraints]
        assert f"{m._meta.app_label}_{m._meta.model_name}_dates_in_order" in names, m


@pytest.mark.django_db
def test_the_database_refuses_an_end_before_the_start(world):
    Involvement = model("people.Involvement")
    with pytest.raises(IntegrityError), transaction.atomic():
        Involvement.objects.create(
            person=world.child_sam, agency=world.police, role="Officer",
            start_date=START, end_date=START - timedelta(days=1),
        )  # fmt: skip
    # Ending on the start day is allowed.
    Involvement.objects.create(
        person=world.child_sam, agency=world.police, role="Officer",
        start_date=START, end_date=START,
    )  # fmt: skip


@pytest.mark.django_db
def test_validation_refuses_an_end_before_the_start(world):
    Residence, Address = model("people.Residence"), model("people.Address")
    address = Address.objects.create(
        authority=world.authority, line_1="1 High Street", town="Town", postcode="AB1 2CD"
    )
    residence = Residence(
        person=world.child_sam, address=address, start_date=START,
        end_date=START - timedelta(days=1),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        residence.validate_constraints()
    residence.end_date = START
    residence.validate_constraints()


@pytest.mark.django_db
def test_a_relationship_with_no_start_may_have_an_end(world):
    """The relationship's old constraint named an empty start; the shared one lets it through
    as well (a comparison with an empty date is unknown, which a check passes)."""
    Relationship = model("people.Relationship")
    relationship = Relationship(
        person=world.mother_mary, other=world.child_sam, kind="parent", start_date=None,
        end_date=END,
    )  # fmt: skip
    relationship.validate_constraints()
    relationship.save()
    assert Relationship.objects.filter(pk=relationship.pk).exists()


def test_the_end_date_follows_the_start_date_in_every_dated_span_model():
    """A model that overrides one of the dates declares both, so that the pair stays together
    and in order wherever a record's fields are listed (the subject access export)."""
    for m in dated_span_models():
        names = [f.name for f in m._meta.concrete_fields]
        assert names.index("end_date") == names.index("start_date") + 1, m
