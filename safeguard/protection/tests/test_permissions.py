"""The child protection policy and its access functions: the case-file rules (casework),
asked through this app's own ``permissions`` and ``selectors`` (issue 12)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safeguard.audit.models import AccessEvent
from safeguard.audit.testing import clear_access_log
from safeguard.people.tests.sealing import seal
from safeguard.protection import permissions, selectors
from safeguard.protection.models import CoreGroupMeeting, Section47Enquiry, StrategyDiscussion
from safeguard.protection.permissions import Action
from safeguard.protection.services import core_group_record
from safeguard.protection.tests.steps import CORE_GROUP, ICPC, plan_of_sam

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "view", "record"),
    [
        ("sw_amy", True, True),
        ("tm_carol", True, True),
        ("analyst_eve", True, False),
        ("police_pat", False, False),  # at the meetings, but never the case file
        ("health_hana", False, False),
        ("admin_al", False, False),
        ("other_sw", False, False),
    ],
)
def test_who_may_see_and_record_child_protection(world, who, view, record):
    plan = plan_of_sam(world)
    meeting = core_group_record(
        by=world.sw_amy, plan=plan, meeting_date=ICPC, attendees=CORE_GROUP, notes=""
    )
    user = getattr(world, who)
    for obj in (plan.case, plan, StrategyDiscussion.objects.get(), meeting):
        assert permissions.can(user, Action.VIEW, obj) is view
        assert permissions.can(user, Action.RECORD, obj) is record


def test_lists_start_from_the_records_of_cases_the_user_may_see(world):
    plan = plan_of_sam(world)
    meeting = core_group_record(
        by=world.sw_amy, plan=plan, meeting_date=ICPC, attendees=CORE_GROUP, notes=""
    )
    for user in (world.sw_amy, world.sw_ben, world.analyst_eve):
        assert list(permissions.visible_to(user)) == [plan]
        assert list(permissions.visible_to(user, CoreGroupMeeting)) == [meeting]
        assert permissions.visible_to(user, Section47Enquiry).count() == 1
    for user in (world.police_pat, world.health_hana, world.admin_al, world.other_sw):
        assert not permissions.visible_to(user).exists()
        assert not permissions.visible_to(user, CoreGroupMeeting).exists()
    # A sealed child's child protection records follow the seal.
    seal(world, world.child_sam, world.sw_amy)
    assert list(permissions.visible_to(world.sw_amy)) == [plan]
    assert not permissions.visible_to(world.sw_ben).exists()
    assert not permissions.visible_to(world.sw_ben, StrategyDiscussion).exists()


def test_access_functions_log_the_child_and_apply_the_policy(world):
    plan = plan_of_sam(world)
    enquiry, discussion = Section47Enquiry.objects.get(), StrategyDiscussion.objects.get()
    clear_access_log()
    got = selectors.access_plan(user=world.sw_amy, plan_id=plan.pk, action=Action.RECORD)
    assert got == plan and got.case == plan.case
    assert selectors.access_section47(user=world.analyst_eve, enquiry_id=enquiry.pk) == enquiry
    assert AccessEvent.objects.count() == 2
    clear_access_log()
    with pytest.raises(PermissionDenied):
        selectors.access_strategy_discussion(
            user=world.analyst_eve, discussion_id=discussion.pk, action=Action.RECORD
        )
    for user in (world.police_pat, world.other_sw):
        with pytest.raises(Http404):
            selectors.access_plan(user=user, plan_id=plan.pk)
    assert not AccessEvent.objects.exists()
