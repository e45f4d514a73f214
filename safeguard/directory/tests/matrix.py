"""Permission-matrix rows for the directory's URLs (see safeguard/testing/matrix.py).

Referring a child to a service, and the referral's page, are for those who record the child's
social care or early help file: social care recorders of the authority, and the partners who
record the child's early help (Sally Smith: the health visitor, health_hana, is involved).
Analysts and conference chairs see the child but not the referral (403); the police, involved
with Sam, see him but do not refer. The waiting times are figures about services, for every
member of staff who uses the directory.

The targets are idempotent: a second call finds what the first made.
"""

from datetime import date

from safeguard.directory.codes import ServiceKind
from safeguard.directory.models import Service, ServiceReferral
from safeguard.directory.referral_services import service_referral_send
from safeguard.testing.matrix import row

# Referring Sam (social care only) and Sally (social care and her health visitor).
SAM_REFER = row(302, 200, 200, 200, 403, 403, 404, 404, 404, 404, 404, 302, 404, 403, 404)
SALLY_REFER = row(302, 200, 200, 200, 403, 404, 200, 404, 404, 404, 404, 302, 404, 403, 404)
# Figures about services: everyone who uses the directory.
DIRECTORY_FIGURES = row(302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 302, 200, 200, 404)


def _service(world) -> Service:
    service, _ = Service.objects.get_or_create(
        authority=world.authority,
        name="Matrix Family Support",
        organisation="Testshire Council",
        defaults={
            "kind": ServiceKind.EARLY_HELP,
            "description": "Help at home",
            "how_to_refer": "Use Safeguard",
            "last_checked": date.today(),
        },
    )
    return service


def sally_referral(world) -> ServiceReferral:
    referral = ServiceReferral.objects.filter(child=world.child_sally).first()
    if referral is None:
        referral = service_referral_send(
            by=world.health_hana,
            child=world.child_sally,
            service=_service(world),
            reason="Mother isolated since the move",
            consent=True,
        )
    return referral


TARGETS = {
    "directory.sam": lambda world: {"person_id": world.child_sam.pk},
    "directory.sally": lambda world: {"person_id": world.child_sally.pk},
    "directory.referral": lambda world: {"referral_id": sally_referral(world).pk},
}

MATRIX = {
    "service_referrals:new": ("get", "directory.sam", "", SAM_REFER),
    "service_referrals:detail": ("get", "directory.referral", "", SALLY_REFER),
    "service_referrals:waiting-times": ("get", None, "", DIRECTORY_FIGURES),
}
