"""The demo's case summaries and chairs' challenges read as written about the child in front of
the worker: a toddler's summary speaks of nursery and the health visitor, not school; an unborn
baby's of the pregnancy; and an unborn child is "the baby", never a crash."""

from datetime import date
from types import SimpleNamespace

from safeguard.casework.models import CaseSummary
from safeguard.demo.generator.chairs import _first_name
from safeguard.demo.generator.family import SUMMARY_TEXTS, _summary_texts

FIELDS = ("worries", "working_well", "next_steps", "risk_statement")


def summaries_suit_the_childs_age(as_at: date) -> None:
    """Every case summary of a built borough was written from its child's age's pools
    (called by ``test_demo_plans``, which builds the borough once for both)."""
    seen = set()
    for summary in CaseSummary.objects.select_related("case__child"):
        child = summary.case.child
        band = next(k for k, v in SUMMARY_TEXTS.items() if v is _summary_texts(child, as_at))
        seen.add(band)
        name = child.given_names.split()[0] if child.given_names else "The baby"
        allowed = {f: {t.format(name=name) for t in SUMMARY_TEXTS[band][f]} for f in FIELDS}
        for field in FIELDS:
            assert getattr(summary, field) in allowed[field], (band, field)
        if band != "school":
            assert "school" not in " ".join(getattr(summary, f) for f in FIELDS).lower()
    assert {"school", "young"} <= seen


def test_every_age_has_pools_as_long_as_the_school_ages():
    """The seed makes the same choices whatever the child's age (the same borough from the
    same seed)."""
    for pools in SUMMARY_TEXTS.values():
        assert {f: len(p) for f, p in pools.items()} == {
            f: len(p) for f, p in SUMMARY_TEXTS["school"].items()
        }


def test_a_challenge_about_an_unborn_child_names_the_baby():
    """``make run`` once failed when a pre-birth conference was chosen for a challenge."""
    assert _first_name(SimpleNamespace(given_names="")) == "the baby"
    assert _first_name(SimpleNamespace(given_names="Ada May")) == "Ada"
