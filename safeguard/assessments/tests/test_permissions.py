"""The assessments policy and its access function: the case-file rules (casework), asked
through this app's own ``permissions`` and ``selectors`` (issue 12)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safeguard.assessments import permissions, selectors
from safeguard.assessments.permissions import Action
from safeguard.assessments.tests.steps import assessment_of_sam
from safeguard.audit.models import AccessEvent, AccessPurpose
from safeguard.audit.testing import clear_access_log
from safeguard.people.tests.sealing import seal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "view", "record", "authorise"),
    [
        ("sw_amy", True, True, False),
        ("tm_carol", True, True, True),
        ("sm_dan", True, True, True),
        ("analyst_eve", True, False, False),
        ("health_hana", False, False, False),
        ("police_pat", False, False, False),
        ("admin_al", False, False, False),
        ("disabled_dee", False, False, False),
        ("other_sw", False, False, False),
    ],
)
def test_who_may_see_record_and_authorise_an_assessment(world, who, view, record, authorise):
    assessment = assessment_of_sam(world)
    user = getattr(world, who)
    for obj in (assessment, assessment.case):
        assert permissions.can(user, Action.VIEW, obj) is view
        assert permissions.can(user, Action.RECORD, obj) is record
        assert permissions.can(user, Action.AUTHORISE, obj) is authorise
        # What was written is read by those who record; analysts see dates and codes.
        assert permissions.can(user, Action.READ_NARRATIVE, obj) is record


def test_lists_start_from_the_assessments_of_cases_the_user_may_see(world):
    assessment = assessment_of_sam(world)
    for user in (world.sw_amy, world.sw_ben, world.analyst_eve):
        assert list(permissions.visible_to(user)) == [assessment]
    for user in (world.health_hana, world.police_pat, world.admin_al, world.other_sw):
        assert not permissions.visible_to(user).exists()
    # A sealed child's assessments follow the seal: Amy is named on it, Ben is not.
    seal(world, world.child_sam, world.sw_amy)
    assert list(permissions.visible_to(world.sw_amy)) == [assessment]
    assert not permissions.visible_to(world.sw_ben).exists()


def test_access_assessment_logs_the_child_and_applies_the_policy(world):
    assessment = assessment_of_sam(world)
    clear_access_log()
    got = selectors.access_assessment(
        user=world.tm_carol, assessment_id=assessment.pk, action=Action.AUTHORISE
    )
    assert got == assessment and got.case == assessment.case
    assert list(AccessEvent.objects.values_list("person_id", "purpose")) == [
        (world.child_sam.pk, AccessPurpose.EDIT)
    ]
    clear_access_log()
    with pytest.raises(PermissionDenied):  # may see the case, may not authorise
        selectors.access_assessment(
            user=world.sw_amy, assessment_id=assessment.pk, action=Action.AUTHORISE
        )
    with pytest.raises(Http404):  # may not know of the case
        selectors.access_assessment(user=world.other_sw, assessment_id=assessment.pk)
    assert not AccessEvent.objects.exists()
