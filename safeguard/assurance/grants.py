"""The inspector's read-only grant (decision 0042), registered with the people and casework
policies from ``AssuranceConfig.ready()``: while an inspection runs (its first day to its
last, inclusive), each inspector named on it may read the case files of its sample, and
nothing else. Each read is logged as made under the inspection (its name in the reason)."""

from django.utils import timezone

from safeguard.assurance.models import InspectedCase
from safeguard.assurance.permissions import is_inspector


def running_sample(user):
    """The sampled cases of the inspections ``user`` inspects today, or None (no query) when
    ``user`` is not an inspector."""
    if not is_inspector(user):
        return None
    today = timezone.localdate()
    return InspectedCase.objects.filter(
        inspection__authority_id=user.agency.authority_id,
        inspection__inspectors=user,
        inspection__start_date__lte=today,
        inspection__end_date__gte=today,
    )


def case_ids(user):
    sample = running_sample(user)
    return None if sample is None else sample.values("case_id")


def person_ids(user):
    sample = running_sample(user)
    return None if sample is None else sample.values("case__child_id")


def read_reasons(user, person_ids) -> dict:
    """{child id: "Inspection: <name>"} for those of ``person_ids`` in a running sample."""
    sample = running_sample(user)
    if sample is None:
        return {}
    rows = (
        sample.filter(case__child_id__in=list(person_ids))
        .order_by("inspection__start_date", "inspection__name")
        .values_list("case__child_id", "inspection__name")
    )
    return {child_id: f"Inspection: {name}" for child_id, name in rows}


def register() -> None:
    from safeguard.casework.permissions import register_reader
    from safeguard.people.permissions import register_grant

    register_grant(person_ids, read_reasons)
    register_reader(case_ids)
