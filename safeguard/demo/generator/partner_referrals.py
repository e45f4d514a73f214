"""Partners' referrals to the front door (issue 17 item 3, decision 0050): the demo's police,
health, school and voluntary-sector practitioners have sent referrals through Safeguard. Some
wait at the front door to be recorded, some are recorded and being decided, and the rest are
decided, each referrer told the outcome (a notice on their home page).

Made through the real services (``partners.services``, ``referrals.services``), so that every
step has its change event and the clocks run from the time each was sent; the times are then
set back to before the demo's day. Building the borough sends no email."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from random import Random

from django.db.models import Exists, OuterRef, Q
from django.test.utils import override_settings
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.casework.models import Case
from safeguard.demo import vocabulary as words
from safeguard.demo.generator.common import seeded_ids
from safeguard.partners import services
from safeguard.partners.models import Consent, PartnerReferral, Urgency
from safeguard.people.models import Person, Seal
from safeguard.referrals.models import ContactOutcome, ThresholdLevel
from safeguard.referrals.services import contact_decide

REFERRERS = ("police1", "health1", "school1", "voluntary1")
# What each kind of partner writes: synthetic, about no real child.
WORRIES = {
    "police1": (
        ("Police constable", "Officers attended a domestic incident at {name}'s home at 23:40. "
         "{name} was awake and crying on the stairs; the mother had a cut to her lip and said "
         "her partner had left before we arrived."),
        ("Police constable", "{name} was found by officers at the bus station at 01:15, alone, "
         "saying they did not want to go home. Returned home; father was intoxicated."),
    ),
    "health1": (
        ("Health visitor", "At the new birth visit the home was very cold and there was no food "
         "in the flat. Mother appeared low and said she had not slept for days. {name} is "
         "below the expected weight."),
        ("School nurse", "{name} told me at a drop-in that they are often left to look after "
         "younger siblings overnight and that there is sometimes no food."),
    ),
    "school1": (
        ("Designated safeguarding lead", "{name} arrived with a bruise on the cheek and said "
         "'dad got angry'. Attendance has fallen to 78% this term and {name} is often hungry."),
        ("Class teacher", "{name} has become withdrawn since the half term and wrote in a "
         "journal that they feel scared at home when mum's boyfriend is there."),
    ),
    "voluntary1": (
        ("Family support worker", "During a home visit the family told me the landlord has "
         "served notice; the children share one mattress and {name} has head lice untreated "
         "for weeks. Parents want help."),
    ),
}
CONSENTS = (
    (Consent.GIVEN, ""),
    (Consent.NOT_SOUGHT, "Asking could put the child at risk of further harm"),
    (Consent.REFUSED, "Mother said she did not want social services involved"),
)
# Status, in the order the referrals were sent (oldest first): decided, being decided, waiting.
DECIDED, RECORDED, WAITING = 7, 3, 4


def _name(person: Person | None, rng: Random) -> tuple[str, str]:
    if person is not None:
        return person.given_names.split()[0], person.family_name
    given = rng.choice(words.GIVEN_NAMES_FEMALE + words.GIVEN_NAMES_MALE)
    family = rng.choice(words.FAMILY_NAME_HEADS) + rng.choice(words.FAMILY_NAME_TAILS).lower()
    return given, family


def make_partner_referrals(authority, *, seed: int, as_at) -> dict[str, int]:
    """Send, record and decide the demo's partner referrals; returns how many of each."""
    rng = Random(seed + 17)
    referrers = {u.username: u for u in User.objects.filter(username__in=REFERRERS)}
    recorder = User.objects.filter(username="sw1").first()
    decider = User.objects.filter(username="tm1").first()
    if len(referrers) != len(REFERRERS) or recorder is None or decider is None:
        return {"partner_referrals": 0}
    levels = {
        level.number: level
        for level in ThresholdLevel.objects.filter(authority=authority).prefetch_related(
            "indicators"
        )
    }
    born = Person.objects.filter(
        Q(date_of_birth__lte=as_at - timedelta(days=365)), authority=authority,
        date_of_birth__gte=as_at - timedelta(days=16 * 365), date_of_death__isnull=True,
    ).exclude(given_names="").exclude(
        Exists(Seal.objects.filter(person=OuterRef("pk"), unsealed_at__isnull=True))
    ).order_by("pk")  # fmt: skip
    children = list(born[:400])
    total = DECIDED + RECORDED + WAITING
    made = {"partner_referrals": 0, "partner_referrals_waiting": 0}
    end = timezone.make_aware(datetime.combine(as_at, time(9, 30)))
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        seeded_ids(Random(f"partner-referral-ids-{seed}")),
    ):
        for i in range(total):
            username = REFERRERS[i % len(REFERRERS)]
            role, text = rng.choice(WORRIES[username])
            # A child on record for every referral the front door has recorded (the demo makes
            # no new records this way); some waiting ones name a child not known here.
            waiting = i >= DECIDED + RECORDED
            known = rng.choice(children) if children and not (waiting and i % 2) else None
            given, family = _name(known, rng)
            consent, note = CONSENTS[i % len(CONSENTS)]
            referral = services.partner_referral_send(
                by=referrers[username],
                given_names=given,
                family_name=family,
                date_of_birth=known.date_of_birth if known is not None else None,
                nhs_number=(known.nhs_number or "") if known is not None else "",
                worries=text.format(name=given),
                consent=consent,
                consent_note=note,
                urgency=(Urgency.IMMEDIATE, Urgency.SOON, Urgency.ROUTINE)[i % 3],
                referrer_phone=f"01632 960 {700 + i:03}",
                referrer_role=role,
            )
            # The decided ones sent over the three weeks before the demo's day, those being
            # decided the evening before, and the waiting ones that morning.
            if i < DECIDED:
                hours_back = (total - i) * 30
            elif i < DECIDED + RECORDED:
                hours_back = 10 + (total - i)
            else:
                hours_back = (total - i) * 0.5
            sent = end - timedelta(hours=hours_back)
            PartnerReferral.objects.filter(pk=referral.pk).update(received_at=sent)
            referral.refresh_from_db()
            made["partner_referrals"] += 1
            if waiting or known is None:
                made["partner_referrals_waiting"] += 1
                continue
            level = levels[3 if referral.urgency != Urgency.ROUTINE else 2]
            contact = services.partner_referral_record(
                by=recorder,
                referral=referral,
                child=known,
                source=services.SOURCE_BY_KIND[referral.agency.kind],
                priority=services.URGENCY_PRIORITY[referral.urgency],
                priority_reason="Injury or risk of harm described by the referrer",
            )
            if i < DECIDED:
                contact_decide(
                    by=decider,
                    contact=contact,
                    level=level,
                    indicators=list(level.indicators.all()[:2]),
                    rationale="The referrer's account, with what the record already holds, "
                    "meets this level of need.",
                    # A child whose case is open is passed to their worker (decision 0046).
                    outcome=ContactOutcome.PASSED_TO_WORKER
                    if Case.objects.filter(Case.open_on(as_at), child=known).exists()
                    else level.implied_outcome,
                    decision_date=min(as_at, timezone.localtime(sent).date() + timedelta(days=1)),
                )
    return made
