"""What the information request tests share: a request from Amy to the police about Sam."""

from datetime import timedelta

from django.utils import timezone

from safeguard.partners import services
from safeguard.partners.models import RequestStage


def make_request(world, *, by=None, agency=None, child=None, days=5, **fields):
    values = {
        "question": "Any police contact with the household in the last two years?",
        "due_date": timezone.localdate() + timedelta(days=days),
        "stage": RequestStage.ASSESSMENT,
    } | fields
    return services.information_request_send(
        by=by or world.sw_amy,
        child=child or world.child_sam,
        agency=agency or world.police,
        **values,
    )
