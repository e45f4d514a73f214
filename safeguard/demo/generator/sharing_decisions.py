"""Information-sharing decisions (issue 17 item 6, decision 0070): the demo's well-known social
worker (``sw1``) and their manager have recorded decisions to share, and not to share, about
children on ``sw1``'s caseload: with the police for a section 47 enquiry, with the health
visitor, with a school, and not with a housing association or an ex-partner's solicitor; and
the police (``police1``) have recorded their own where they are involved with the child. So
the child's information-sharing page, its chronology and the subject access export all show
something.

Made through the real service (``partners.services.sharing_decision_record``), so that every
decision has its change event and chronology entry."""

from __future__ import annotations

from datetime import timedelta
from random import Random

from django.db.models import Exists, OuterRef

from safeguard.accounts.models import User
from safeguard.casework.models import Allocation
from safeguard.demo.generator.common import seeded_ids
from safeguard.partners import permissions, services
from safeguard.partners.models import (
    Article6Basis,
    Article9Condition,
    SharingConsent,
    SharingDecision,
    StatutoryGateway,
)
from safeguard.people.models import Seal

# (to: a well-known partner's agency by username, or a recipient named in words; shared?;
#  what; why; Article 6; Article 9; gateway; consent; why consent was not sought)
SOCIAL_CARE_DECISIONS = (
    (
        "police1",
        SharingDecision.SHARED,
        "The referral, the household's composition and the injuries the school saw",
        "The police are the joint investigating agency for the section 47 enquiry agreed at "
        "the strategy discussion.",
        Article6Basis.PUBLIC_TASK,
        Article9Condition.SAFEGUARDING,
        StatutoryGateway.CA1989_S47,
        SharingConsent.NOT_SOUGHT,
        "Telling the parents first could put the child at risk and prejudice the police "
        "investigation.",
    ),
    (
        "health1",
        SharingDecision.SHARED,
        "The date of the initial child protection conference and the worries about the "
        "baby's weight",
        "The health visitor needs to see the baby weekly under the plan and report at the "
        "conference.",
        Article6Basis.PUBLIC_TASK,
        Article9Condition.HEALTH_SOCIAL_CARE,
        StatutoryGateway.CA2004_S11,
        SharingConsent.AGREED,
        "",
    ),
    (
        "Housing officer, Riverside Homes (housing association)",
        SharingDecision.NOT_SHARED,
        "The mother's mental health history and the children's social care involvement",
        "Not necessary for the transfer application: the housing officer needs to know only "
        "that the family is supported, which the mother will tell them herself.",
        "",
        "",
        "",
        SharingConsent.REFUSED,
        "",
    ),
    (
        "school1",
        SharingDecision.SHARED,
        "That the child is subject to a child in need plan, and who collects them",
        "The designated safeguarding lead needs to know who may collect the child and whom "
        "to ring with worries.",
        Article6Basis.PUBLIC_TASK,
        "",
        StatutoryGateway.CA1989_S17,
        SharingConsent.AGREED,
        "",
    ),
    (
        "Solicitor acting for the father in the private law proceedings",
        SharingDecision.NOT_SHARED,
        "The child's current address and school",
        "The father is subject to a non-molestation order; the address is withheld from him "
        "and his representatives unless the court orders otherwise.",
        "",
        "",
        "",
        SharingConsent.NOT_SOUGHT,
        "The request came from the father's side; the mother's address is protected by the order.",
    ),
)
POLICE_DECISION = (
    "Two domestic incidents at the address and the adult's bail conditions",
    "Children's social care needs the police history for the assessment of the household.",
)


def make_sharing_decisions(authority, *, seed: int, as_at) -> dict[str, int]:
    """Record the demo's information-sharing decisions; returns how many there are."""
    rng = Random(seed + 70)
    names = ("sw1", "tm1", "police1", "health1", "school1")
    found = User.objects.filter(username__in=names).select_related("agency")
    users = {u.username: u for u in found}
    worker = users.get("sw1")
    if worker is None or any(n not in users for n in ("police1", "health1", "school1")):
        return {"sharing_decisions": 0}
    manager = users.get("tm1")
    sealed = Seal.objects.filter(person=OuterRef("case__child"), unsealed_at__isnull=True)
    allocations = (
        Allocation.objects.filter(Allocation.open_on(as_at), worker=worker)
        .exclude(Exists(sealed))
        .select_related("case__child")
        .order_by("case__child__la_child_id", "case_id")
    )
    cases = list({a.case.child_id: a.case for a in allocations}.values())[:4]
    if not cases:
        return {"sharing_decisions": 0}
    made = 0
    with seeded_ids(Random(f"sharing-decision-ids-{seed}")):
        for i, row in enumerate(SOCIAL_CARE_DECISIONS):
            to, decision, what, why, basis, condition, gateway, consent, not_sought = row
            case = cases[i % len(cases)]
            decider = manager if manager is not None and i % 2 else worker
            decided_on = max(case.referral_date, as_at - timedelta(days=rng.randint(2, 40)))
            recipient = users[to].agency if to in users else None
            services.sharing_decision_record(
                by=worker, child=case.child, case=case, decision=decision, information=what,
                recipient_agency=recipient, recipient_name="" if recipient else to,
                reason=why, article_6_basis=basis, article_9_condition=condition,
                statutory_gateway=gateway, consent=consent,
                consent_not_sought_reason=not_sought, decided_by=decider,
                decided_on=decided_on,
            )  # fmt: skip
            made += 1
        police = users["police1"]
        for case in cases:
            if not permissions.can(police, permissions.Action.RECORD_SHARING, case.child):
                continue
            services.sharing_decision_record(
                by=police, child=case.child, decision=SharingDecision.SHARED,
                information=POLICE_DECISION[0], recipient_agency=worker.agency,
                reason=POLICE_DECISION[1], article_6_basis=Article6Basis.PUBLIC_TASK,
                statutory_gateway=StatutoryGateway.CDA1998_S115,
                consent=SharingConsent.NOT_SOUGHT,
                consent_not_sought_reason="Seeking consent would risk the adult's reaction "
                "towards the mother and the children.",
                decided_by=police, decided_on=as_at - timedelta(days=3),
            )  # fmt: skip
            made += 1
    return {"sharing_decisions": made}
