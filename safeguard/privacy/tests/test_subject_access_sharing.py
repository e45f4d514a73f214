"""The subject access export holds the child's information-sharing decisions (decision 0070):
the walker finds them by the child's reverse relation, with no change here."""

import json

import pytest

from safeguard.partners.models import Article6Basis, Article9Condition
from safeguard.partners.tests.sharing import make_sharing_decision
from safeguard.privacy.export import gather


@pytest.mark.django_db
def test_the_decisions_are_in_the_subject_access_export(world):
    make_sharing_decision(world, article_9_condition=Article9Condition.HEALTH_SOCIAL_CARE)
    text = json.dumps(gather(world.child_sam))
    for held in (
        "The outcome of the strategy discussion and the plan for the visit",
        "The police are joint investigators under section 47",
        Article6Basis.PUBLIC_TASK.label,
        Article9Condition.HEALTH_SOCIAL_CARE.label,
        "Asking would alert the adult suspected of harming Sam",
        "Testshire Police",
    ):
        assert held in text, held
