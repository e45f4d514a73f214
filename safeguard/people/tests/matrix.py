# The target record is Sam Smith (child_sam): allocated to the social worker's team and
# involving the police team only.
EDIT_PAGE = [302, 200, 200, 200, 403, 403, 404, 404, 404, 404, 404, 302, 404, 403, 404]

# Sealed records: Sally Smith (child_sally) sealed by the team manager, naming the social
# worker; the analyst has broken glass on her once (awaiting review).
def sealed_sally(world):
    from safeguard.people.tests.sealing import seal

    seal(world, world.child_sally, world.sw_amy)
    return {"person_id": world.child_sally.pk}


def break_glass_use(world):
    from datetime import timedelta

    from django.utils import timezone

    from safeguard.people.models import BreakGlass

    sealed_sally(world)
    now = timezone.now()
    use = BreakGlass.objects.create(
        person=world.child_sally, user=world.analyst_eve, reason="Checking a sibling's safety now",
        granted_at=now, expires_at=now + timedelta(minutes=60), review_due=now.date() + timedelta(days=7),
    )
    return {"use_id": use.pk}


def alert_on_mary(world):
    """A current alert on Mary Smith (mother_mary), Sam's mother, raised by the social worker."""
    from datetime import timedelta

    from django.utils import timezone

    from safeguard.people.models import AdultAlert
    from safeguard.people.services import alert_raise

    alert = AdultAlert.objects.filter(person=world.mother_mary, ended_on__isnull=True).first()
    if alert is None:
        today = timezone.localdate()
        alert = alert_raise(
            by=world.sw_amy, person=world.mother_mary, kind="violence_to_staff",
            details="Threatened a worker at the door", source="Worker's own visit",
            raised_on=today, review_date=today + timedelta(days=90),
        )
    return {"alert_id": alert.pk}


def mary(world):
    return {"person_id": world.mother_mary.pk}


TARGETS = {
    "sealed_sally": sealed_sally, "break_glass_use": break_glass_use,
    "people.alert": alert_on_mary, "people.mary": mary,
}

# Nobody outside children's social care, nor another authority, reviews break-glass uses.
REVIEW_PAGE = [302, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403]

MATRIX = {
    "people:search": ("get", None, "?name=smith", [302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 302, 200, 200, 403]),
    "people:create": ("get", None, "", [302, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 200, 403, 403]),
    "people:detail": ("get", "child_sam", "", [302, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404, 302, 404, 200, 404]),
    "people:edit": ("get", "child_sam", "", EDIT_PAGE),
    "people:address-add": ("get", "child_sam", "", EDIT_PAGE),
    "people:name-add": ("get", "child_sam", "", EDIT_PAGE),
    "people:relationship-add": ("get", "child_sam", "", EDIT_PAGE),
    "people:involvement-add": ("get", "child_sam", "", EDIT_PAGE),
    # Alert flags on adults (decision 0048): raised and ended by those who record, on Mary
    # Smith, Sam's mother (no partner is involved with her: they get nothing).
    "people:alert-add": ("get", "people.mary", "", [302, 200, 200, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 403, 404]),
    "people:alert-end": ("get", "people.alert", "", [302, 200, 200, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 403, 404]),
    # The genogram and household view: whoever may see the person page.
    "people:family": ("get", "child_sam", "", [302, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404, 302, 404, 200, 404]),
    # Sealing Sam Smith (not sealed): team and service managers; those who see him but may
    # not seal are refused; those who may not know of him get nothing.
    "people:seal": ("get", "child_sam", "", [302, 403, 200, 200, 403, 403, 404, 404, 404, 404, 404, 302, 404, 403, 404]),
    # Break-glass on sealed Sally: the named social worker and the sealing manager already see
    # her (sent to her page); other social care staff get the form; partners, other
    # authorities and administrators get nothing, even the health visitor involved with her.
    "people:break-glass": ("get", "sealed_sally", "", [302, 302, 302, 200, 200, 404, 404, 404, 404, 404, 404, 302, 404, 200, 404]),
    "people:break-glass-reviews": ("get", None, "", REVIEW_PAGE),
    "people:break-glass-review": ("get", "break_glass_use", "", REVIEW_PAGE),
    "api:person-search": ("get", None, "?name=smith", [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401, 200, 200, 403]),
    "api:person-detail": ("get", "child_sam", "", [401, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404, 401, 404, 200, 404]),
}
