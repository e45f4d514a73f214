"""The directory of services (issue 19 item 1, decision 0079): 65 invented local services,
five of every kind, in Kingsmere's postcode districts (KM1 to KM9, the demo's addresses), with
their eligibility by age, district, level of the continuum and need, how to refer, the wait
and contacts; most checked within the year, a few out of date and two ended. Two directory
editors keep it: a voluntary-sector worker (``voluntary1``) and the front door's early help
coordinator, both appointed by the first service manager (``sm1``).

Made through the real services (``directory.services``), so that every entry has its change
events and its history on its page; the same seed gives the same directory."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from random import Random

from safeguard.accounts.models import User
from safeguard.demo.generator.common import POSTCODE_AREA, TOWN, seeded_ids
from safeguard.directory import services
from safeguard.directory.codes import Need, ServiceKind

PLACES = (
    "Northbank", "Millbrook", "Ashdown", "Kingsmere Green", "Riverside", "Hollow Lane",
    "Eastgate", "Fenwick", "Saltmarsh", "Oakhurst", "Westfield", "Crane Park",
)  # fmt: skip

# For each kind: (name patterns, organisations, what it offers, needs, ages, levels).
KINDS = {
    ServiceKind.EARLY_HELP: (
        ("{place} Family Hub", "{place} Early Help Team", "{place} Family Navigator Service"),
        ("Kingsmere Council Early Help", "Kingsmere Family Hubs Partnership"),
        "Family support workers who visit at home, a lead practitioner for the family's plan and "
        "drop-in sessions for parents of children of any age.",
        (Need.PARENTING, Need.ISOLATION, Need.SCHOOL_ATTENDANCE),
        (0, 18),
        (2, 3),
    ),
    ServiceKind.VOLUNTARY: (
        ("{place} Home-Start", "{place} Befriending Scheme", "{place} Family Friends"),
        ("Kingsmere Family Support Trust", "Brightwater Community Trust"),
        "Trained volunteers who visit families with young children weekly for six months, to "
        "help with confidence, routines and getting out and about.",
        (Need.ISOLATION, Need.PARENTING),
        (0, 11),
        (1, 2),
    ),
    ServiceKind.HEALTH: (
        (
            "{place} Health Visiting Clinic",
            "{place} Children's Continence Service",
            "{place} Healthy Weight Programme",
        ),
        ("Kingsmere Community Health", "Kingsmere Children's Health Partnership"),
        "Clinics and home visits by health visitors and school nurses: growth, feeding, sleep, "
        "development checks and health advice.",
        (Need.PHYSICAL_HEALTH,),
        (0, 19),
        (1, 2, 3),
    ),
    ServiceKind.EDUCATION: (
        ("{place} Attendance Support", "{place} Inclusion Service", "{place} Learning Mentors"),
        ("Kingsmere Education Service", "Kingsmere Schools Alliance"),
        "Attendance officers and learning mentors who work with the school and the family when "
        "a child's attendance or learning falls away.",
        (Need.SCHOOL_ATTENDANCE, Need.BEHAVIOUR),
        (4, 16),
        (2, 3),
    ),
    ServiceKind.HOUSING: (
        (
            "{place} Housing Options",
            "{place} Tenancy Sustainment",
            "{place} Homeless Prevention Team",
        ),
        ("Kingsmere Council Housing", "Meridian Housing Association"),
        "Advice for families at risk of losing their home, help to keep a tenancy, and "
        "emergency accommodation when there is no other option.",
        (Need.HOUSING, Need.FINANCIAL),
        (None, None),
        (2, 3, 4),
    ),
    ServiceKind.DOMESTIC_ABUSE: (
        (
            "{place} Safe Families",
            "{place} Domestic Abuse Outreach",
            "{place} Children's Recovery Group",
        ),
        ("Kingsmere Women's Aid", "Harbour Domestic Abuse Service"),
        "Independent domestic violence advisers, outreach to families at home, refuge places "
        "and group work for children who have lived with domestic abuse.",
        (Need.DOMESTIC_ABUSE,),
        (None, None),
        (2, 3, 4),
    ),
    ServiceKind.MENTAL_HEALTH: (
        (
            "{place} Wellbeing Team",
            "{place} Young Minds Service",
            "{place} Parent Wellbeing Service",
        ),
        ("Kingsmere CAMHS", "Kingsmere Talking Therapies"),
        "Assessment and short-term therapy for children's emotional wellbeing, and talking "
        "therapy for parents with anxiety or low mood.",
        (Need.EMOTIONAL_WELLBEING, Need.PARENTAL_MENTAL_HEALTH),
        (5, 18),
        (2, 3),
    ),
    ServiceKind.SUBSTANCE_MISUSE: (
        (
            "{place} Family Recovery Service",
            "{place} Young People's Drug Service",
            "{place} Hidden Harm Project",
        ),
        ("Kingsmere Recovery Partnership", "Turning Tide Recovery"),
        "Treatment and recovery support for parents who use drugs or alcohol, and support for "
        "their children affected by it.",
        (Need.SUBSTANCE_MISUSE,),
        (None, None),
        (2, 3, 4),
    ),
    ServiceKind.PARENTING: (
        (
            "{place} Incredible Years Group",
            "{place} Parenting Teens Course",
            "{place} Parenting Together",
        ),
        ("Kingsmere Parenting Team", "Kingsmere Family Support Trust"),
        "Twelve-week group programmes for parents on routines, boundaries and play, with a "
        "crèche; one-to-one sessions where a group is not right.",
        (Need.PARENTING, Need.BEHAVIOUR),
        (2, 16),
        (1, 2, 3),
    ),
    ServiceKind.YOUTH: (
        ("{place} Youth Club", "{place} Detached Youth Work", "{place} Young Carers Club"),
        ("Kingsmere Youth Service", "Open Door Youth Trust"),
        "Youth workers in clubs and on the streets: activities, mentoring and a trusted adult "
        "for young people at risk of exploitation or offending.",
        (Need.EXPLOITATION_RISK, Need.OFFENDING_RISK, Need.YOUNG_CARER),
        (10, 19),
        (1, 2, 3),
    ),
    ServiceKind.SEND: (
        (
            "{place} SEND Information Service",
            "{place} Short Breaks",
            "{place} Early Support Service",
        ),
        ("Kingsmere SENDIASS", "Kingsmere Children with Disabilities Partnership"),
        "Information, advice and short breaks for children with special educational needs or "
        "disabilities and their families.",
        (Need.SEND,),
        (0, 25),
        (1, 2, 3),
    ),
    ServiceKind.FINANCIAL: (
        (
            "{place} Money Advice",
            "{place} Debt and Benefits Clinic",
            "{place} Food and Fuel Support",
        ),
        ("Kingsmere Citizens Advice", "Kingsmere Credit Union"),
        "Benefits checks, debt advice, help with fuel and food costs, and grants for "
        "families in hardship.",
        (Need.FINANCIAL, Need.EMPLOYMENT),
        (None, None),
        (1, 2, 3),
    ),
    ServiceKind.OTHER: (
        ("{place} Library Family Space", "{place} Community Pantry", "{place} Dads' Group"),
        ("Kingsmere Libraries", "Kingsmere Community Network"),
        "Free sessions and a friendly space for families: stories, play, advice surgeries "
        "and somewhere to meet other parents.",
        (Need.ISOLATION,),
        (None, None),
        (1, 2),
    ),
}
PER_KIND = 5
DISTRICTS = [f"{POSTCODE_AREA}{n}" for n in range(1, 10)]
STREETS = ("High Street", "Mill Lane", "Station Road", "Church Walk", "Market Square", "Park Road")


def _editor_of_early_help():
    """The front door's early help coordinator: its first social worker, by username."""
    return (
        User.objects.filter(teams__name="Front Door (MASH)", role="social_worker", is_active=True)
        .order_by("username")
        .first()
    )


def build_directory(authority, *, seed: int, as_at: date) -> dict[str, int]:
    """Appoint the two directory editors and add the directory; returns the counts."""
    rng = Random(f"directory-{seed}")
    manager = User.objects.filter(username="sm1").first()
    voluntary = User.objects.filter(username="voluntary1").first()
    early_help = _editor_of_early_help()
    if manager is None:
        return {"directory_services": 0, "directory_editors": 0}
    made = 0
    with seeded_ids(Random(f"directory-ids-{seed}")):
        keepers = [manager]
        for user in (voluntary, early_help):
            if user is not None:
                services.editor_appoint(by=manager, user=user)
                keepers.append(user)
        used = set()
        index = 0
        for kind, (patterns, organisations, offer, needs, ages, levels) in KINDS.items():
            for i in range(PER_KIND):
                place = PLACES[(index * 5 + i) % len(PLACES)]
                name = patterns[i % len(patterns)].format(place=place)
                if name in used:
                    name = f"{name} ({TOWN} {i + 1})"
                used.add(name)
                index += 1
                # Most checked in the year, spread over it; about one in eight out of date.
                days = rng.randint(380, 700) if rng.random() < 0.12 else rng.randint(0, 350)
                low, high = ages
                if low is not None and rng.random() < 0.3:
                    low = min(low + rng.choice((1, 2, 3)), high if high is not None else low + 3)
                district_count = rng.choice((0, 0, 1, 2, 3))
                areas = sorted(rng.sample(DISTRICTS, district_count))
                service_needs = sorted(rng.sample(needs, rng.randint(1, len(needs))))
                service_levels = sorted(rng.sample(levels, rng.randint(1, len(levels))))
                slug = "".join(c for c in name.lower() if c.isalnum())[:20]
                district = areas[0] if areas else rng.choice(DISTRICTS)
                weeks = rng.choice((None, 0, 1, 2, 4, 6, 8, 12))
                by = keepers[index % len(keepers)]
                service = services.service_add(
                    by=by,
                    oruk_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    last_checked=as_at - timedelta(days=days),
                    name=name,
                    organisation=organisations[i % len(organisations)],
                    kind=kind,
                    description=offer,
                    min_age=low,
                    max_age=high,
                    areas=areas,
                    levels=service_levels,
                    needs=service_needs,
                    eligibility_notes=rng.choice(
                        (
                            "",
                            "",
                            "Families living in Kingsmere or registered with a Kingsmere GP.",
                            "The family must agree to the referral.",
                        )
                    ),  # fmt: skip
                    how_to_refer=rng.choice(
                        (
                            "Email the referral form with the family's consent; we reply within "
                            "five working days.",
                            "Phone the duty worker to talk it over, then send the referral form.",
                            "Families may refer themselves; professionals use the online form.",
                        )
                    ),  # fmt: skip
                    referral_email=f"referrals@{slug}.example.org",
                    accepting_referrals=rng.random() > 0.1,
                    waiting_weeks=weeks,
                    capacity_notes=rng.choice(
                        (
                            "",
                            "",
                            "Two groups a term, twelve places each",
                            "Longer waits in the school holidays",
                            "Caseload full until the spring",
                        )
                    ),  # fmt: skip
                    # Ofcom's range for drama: no real line.
                    phone=f"01632 960{rng.randint(0, 999):03}",
                    email=f"hello@{slug}.example.org",
                    website=f"https://{slug}.example.org",
                    address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {TOWN}",
                    postcode=f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLN')}"
                    f"{rng.choice('PQRSTUWXYZ')}",
                )
                made += 1
                if i == PER_KIND - 1 and kind in (ServiceKind.OTHER, ServiceKind.VOLUNTARY):
                    services.service_end(
                        by=manager, service=service,
                        ended_on=as_at - timedelta(days=rng.randint(10, 90)),
                        reason="The funding for the service ended.",
                    )  # fmt: skip
    return {"directory_services": made, "directory_editors": len(keepers) - 1}
