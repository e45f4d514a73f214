"""The demo borough has children not seen within their standard in every stage, so that the
"Children not seen within their standard" page has something to show."""

from collections import Counter

import pytest

from safeguard.accounts.models import LocalAuthority
from safeguard.casework.models import Case
from safeguard.demo.tests.test_demo import AS_AT_DATE, accounts_file, demo  # noqa: F401
from safeguard.timescales import selectors


@pytest.mark.django_db
def test_some_children_are_unseen_past_their_standard_in_every_stage(demo):  # noqa: F811
    authority = LocalAuthority.objects.get(pk=Case.objects.values_list("authority", flat=True)[0])
    unseen = list(selectors.unseen_cases(authority, on=AS_AT_DATE))
    rows = selectors.unseen_rows(unseen, authority=authority, on=AS_AT_DATE)
    overdue = Counter(r.stage.code for r in rows)
    open_cases = selectors.with_stage(
        Case.objects.filter(authority=authority, closure_date__isnull=True, referral_nfa=False),
        on=AS_AT_DATE,
    )
    stages = Counter(c.stage for c in open_cases)
    assert set(overdue) == set(stages), (overdue, stages)
