"""Permission-matrix rows for the directory's URLs (see safeguard/testing/matrix.py).

The directory itself (decision 0079): every member of staff of the authority's agencies reads
it, partners included; directory editors and service managers keep it; service managers and
system administrators appoint editors.

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


REFERRAL_TARGETS = {
    "directory.sam": lambda world: {"person_id": world.child_sam.pk},
    "directory.sally": lambda world: {"person_id": world.child_sally.pk},
    "directory.referral": lambda world: {"referral_id": sally_referral(world).pk},
}

REFERRAL_MATRIX = {
    "service_referrals:new": ("get", "directory.sam", "", SAM_REFER),
    "service_referrals:detail": ("get", "directory.referral", "", SALLY_REFER),
    "service_referrals:waiting-times": ("get", None, "", DIRECTORY_FIGURES),
}



def _service(world):
    from safeguard.directory.services import service_add

    return service_add(
        by=world.sm_dan, name="Northbank Family Hub", organisation="Testshire Council",
        kind="early_help", description="Parenting groups and one-to-one family support.",
        how_to_refer="Email the hub with the family's consent.", min_age=0, max_age=18,
    )  # fmt: skip


def service_target(world):
    return {"service_id": _service(world).pk}


def editor_target(world):
    from safeguard.directory.services import editor_appoint

    return {"editor_id": editor_appoint(by=world.sm_dan, user=world.voluntary_val).pk}


TARGETS = {
    "directory_service": service_target,
    "directory_editor": editor_target,
    **REFERRAL_TARGETS,
}

# Every member of staff of the authority's agencies reads the directory, partners included;
# unscheduled-care clinicians, administrators and inspectors do not use it. Another
# authority's staff read their own directory.
SEARCH = row(302, 200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 302, 200, 200, 403)
# One entry: another authority's staff do not find it.
READ = row(302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 302, 404, 200, 404)
# Keeping the directory: directory editors and service managers (none of the world's
# partners is an editor until appointed).
EDIT = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
EDIT_ENTRY = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 404, 404, 302, 404, 403, 404)
# A POST: the editor is sent back to the entry; an inspector is refused before the page.
CHECK = row(302, 403, 403, 302, 403, 403, 403, 403, 403, 404, 404, 302, 404, 403, 403)
# Appointing editors: service managers and system administrators.
APPOINT = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 403, 200, 302, 403, 403, 403)
END_APPOINTMENT = row(302, 404, 404, 302, 404, 404, 404, 404, 404, 404, 302, 302, 404, 404, 403)

MATRIX = {
    "directory:search": ("get", None, "", SEARCH),
    "directory:service": ("get", "directory_service", "", READ),
    "directory:service-new": ("get", None, "", EDIT),
    "directory:service-change": ("get", "directory_service", "", EDIT_ENTRY),
    "directory:service-check": ("post", "directory_service", "", CHECK),
    "directory:service-end": ("get", "directory_service", "", EDIT_ENTRY),
    "directory:export": ("get", None, "", EDIT),
    "directory:import": ("get", None, "", EDIT),
    "directory:editors": ("get", None, "", APPOINT),
    "directory:editor-end": ("post", "directory_editor", "", END_APPOINTMENT),
    **REFERRAL_MATRIX,
}
