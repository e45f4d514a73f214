"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py).

Early help is multi-agency: children's social care sees every child's early help in its
authority (analysts read only), and partner practitioners of education, health and the
voluntary sector see and record it for children they are involved with. The targets use two
children so that each partner column is tested both ways: Sally Smith (the health visitor,
health_hana, is involved) has an assessment in progress; Tom Jones (the family support worker,
voluntary_val, is involved) has a current team around the family. The police, involved with
Sam Smith only, see no early help; nor do clinicians or administrators.

The targets are idempotent: a second call finds what the first made.
"""

from datetime import date

from safeguard.earlyhelp import services
from safeguard.earlyhelp.models import EarlyHelpAssessment, Handover, TeamAroundFamily
from safeguard.testing.matrix import row

# Pages about Sally's early help (health involved).
SALLY_PAGE = row(302, 200, 200, 200, 200, 404, 200, 404, 404, 404, 404, 302, 404, 200, 404)
SALLY_RECORD = row(302, 200, 200, 200, 403, 404, 200, 404, 404, 404, 404, 302, 404, 403, 404)
# Pages about Tom's early help (the voluntary sector involved).
TOM_PAGE = row(302, 200, 200, 200, 200, 404, 404, 404, 200, 404, 404, 302, 404, 200, 404)
TOM_RECORD = row(302, 200, 200, 200, 403, 404, 404, 404, 200, 404, 404, 302, 404, 403, 404)
# The start page (find or create the child): social workers and managers, and the partner
# practitioners of schools, health and the voluntary sector (decision 0081).
START = row(302, 200, 200, 200, 403, 403, 200, 200, 200, 403, 403, 302, 200, 403, 403)
# Acknowledging a step-up about Sam Smith: the front door (social workers and managers).
STEP_UP_ACK = row(302, 200, 200, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 403, 404)


def sally_assessment(world) -> EarlyHelpAssessment:
    assessment = EarlyHelpAssessment.objects.filter(
        child=world.child_sally, completed_date__isnull=True
    ).first()
    if assessment is None:
        assessment = services.eha_start(
            by=world.health_hana,
            child=world.child_sally,
            start_date=date(2025, 3, 3),
            organisation=world.health,
            consent_given=True,
            consent_date=date(2025, 3, 3),
            lead_user=world.health_hana,
            needs="Sleep and feeding worries; mother isolated since the move",
        )
    return assessment


def tom_taf(world) -> TeamAroundFamily:
    taf = TeamAroundFamily.objects.filter(child=world.child_tom, end_date__isnull=True).first()
    if taf is None:
        taf = services.taf_start(
            by=world.voluntary_val,
            child=world.child_tom,
            start_date=date(2025, 4, 7),
            lead_user=world.voluntary_val,
            plan="Weekly family support sessions; school to monitor attendance",
            members=[{"agency": "Testshire Schools", "name": "Hillside Academy DSL", "role": ""}],
        )
    return taf


def sam_step_up(world) -> Handover:
    handover = Handover.objects.filter(child=world.child_sam, direction="step_up").first()
    if handover is None:
        handover = Handover.objects.create(
            child=world.child_sam,
            authority=world.authority,
            direction="step_up",
            handover_date=date(2025, 5, 1),
            from_side="Early help: Hillside Academy DSL",
            to_side="Children's social care front door",
            handed_over="Early help assessment and the family's plan",
        )
    return handover


TARGETS = {
    "earlyhelp.none": lambda world: {},
    "earlyhelp.step_up": lambda world: {"handover_id": sam_step_up(world).pk},
    "earlyhelp.sally": lambda world: {"person_id": world.child_sally.pk},
    "earlyhelp.tom": lambda world: {"person_id": world.child_tom.pk},
    "earlyhelp.eha": lambda world: {"eha_id": sally_assessment(world).pk},
    "earlyhelp.taf": lambda world: {"taf_id": tom_taf(world).pk},
}

MATRIX = {
    "earlyhelp:eha-new": ("get", "earlyhelp.sally", "", SALLY_RECORD),
    "earlyhelp:eha-detail": ("get", "earlyhelp.eha", "", SALLY_PAGE),
    "earlyhelp:eha-complete": ("get", "earlyhelp.eha", "", SALLY_RECORD),
    "earlyhelp:taf-new": ("get", "earlyhelp.tom", "", TOM_RECORD),
    "earlyhelp:taf-detail": ("get", "earlyhelp.taf", "", TOM_PAGE),
    "earlyhelp:taf-review-new": ("get", "earlyhelp.taf", "", TOM_RECORD),
    "earlyhelp:taf-end": ("get", "earlyhelp.taf", "", TOM_RECORD),
    "earlyhelp:start": ("get", "earlyhelp.none", "", START),
    "earlyhelp:start-new-child": ("get", "earlyhelp.none", "", START),
    "earlyhelp:handover-acknowledge": ("get", "earlyhelp.step_up", "", STEP_UP_ACK),
}
