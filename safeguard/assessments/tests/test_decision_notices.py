"""The worker who submitted an assessment is told of the manager's decision, agreed or
returned (issue 16 item 9)."""

import pytest
from django.apps import apps
from django.urls import reverse

from safeguard.assessments.services import assessment_authorise
from safeguard.assessments.tests.steps import AUTHORISED, authorise, submitted_assessment_of_sam

pytestmark = pytest.mark.django_db

Notice = apps.get_model("notices", "Notice")


def test_the_submitter_is_told_when_the_assessment_is_returned(world):
    assessment = submitted_assessment_of_sam(world)
    assessment_authorise(by=world.tm_carol, assessment=assessment, decision="return", decided_on=AUTHORISED, comments="Say more about the father")
    notice = Notice.objects.get(user=world.sw_amy, subject="Your assessment was returned")
    assert notice.url == reverse("assessments:detail", args=[assessment.pk])


def test_the_submitter_is_told_when_the_assessment_is_authorised(world):
    from safeguard.assessments.tests.steps import assessment_of_sam

    authorise(world, assessment_of_sam(world))
    assert Notice.objects.filter(user=world.sw_amy, subject="Your assessment was authorised").exists()
    assert not Notice.objects.filter(user=world.tm_carol, subject__startswith="Your assessment").exists()
