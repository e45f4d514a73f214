"""Improvement plans and the risk register (issue 20 items 1 and 3, decision 0083): the
partnership's three-year improvement plan, drawn from the failings of the 2009 report, with
the borough police plan incorporated into it and the police public protection unit's plan
incorporated into that (three levels); actions owned across the agencies, each with
a year or more of RAG history, some late and some red; one police action serving both plans;
evidence as links and as small synthetic PDF documents stored like any upload (in the demo's
documents directory, ``SAFEGUARD_DOCUMENTS_DIR``); and a register of twelve risks and issues,
some past their review date.

Made through ``governance.services`` by the first service manager (``sm1``), who owns the
partnership plan; ``police1`` owns the police plan (and the unit's, unless another police
officer is on the staff). Deterministic from the seed: the same seed
gives the same plans, ratings and ids."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from safeguard.accounts.models import Agency, AgencyKind, User
from safeguard.demo.generator.common import seeded_ids
from safeguard.documents import samples
from safeguard.governance import services
from safeguard.governance.models import ActionStatus, Rag

# (objective, [(action, owner's agency kind, due in days from the demo date, indicators,
#   the story of its ratings: a string of g/a/r, one letter a quarter, oldest first, or with a
#   final "d" when done)])
PARTNERSHIP = [
    (
        "No child's case waits unallocated",
        [
            (
                "Daily unallocated list reviewed by the duty manager",
                "csc",
                -300,
                ["unallocated_cases"],
                "raggd",
            ),
            (
                "Recruit eight permanent social workers to the assessment teams",
                "csc",
                -40,
                ["unallocated_cases", "average_caseload"],
                "garrr",
            ),
            (
                "Caseload cap of 18 children for newly qualified workers",
                "csc",
                120,
                ["average_caseload"],
                "aaagg",
            ),
        ],
    ),
    (
        "Assessments and visits within timescales",
        [
            (
                "Initial assessments started within one working day of referral",
                "csc",
                -90,
                ["ni68_referrals_to_initial_assessment", "referral_decisions_within_1wd"],
                "rraagd",
            ),
            (
                "Child protection visits every ten working days, seen alone",
                "csc",
                -20,
                ["cp_visits_on_time"],
                "aarrr",
            ),
            (
                "Core assessments within 35 working days",
                "csc",
                200,
                ["ni60_core_assessments_35wd"],
                "raag",
            ),
        ],
    ),
    (
        "Regular, recorded supervision",
        [
            (
                "Monthly supervision for every case-holding worker",
                "csc",
                -150,
                ["supervision_on_time"],
                "raggd",
            ),
            (
                "Supervision decisions recorded on the child's file",
                "csc",
                60,
                ["supervision_on_time"],
                "rraa",
            ),
        ],
    ),
    (
        "Case-file audit that changes practice",
        [
            ("Monthly audit programme across all teams", "csc", -200, [], "agggd"),
            ("Audit findings reported to the partnership each quarter", "csc", 30, [], "aaag"),
        ],
    ),
    (
        "A chronology on every child's file",
        [
            ("Chronology training for all social workers", "csc", -250, [], "aggd"),
            ("Chronologies checked at every case transfer", "csc", -10, [], "raar"),
        ],
    ),
    (
        "Health connected to the front door and conferences",
        [
            (
                "Named health professional at the front door every weekday",
                "health",
                -60,
                ["referral_decisions_within_1wd"],
                "rrar",
            ),
            (
                "Health reports sent two working days before every conference",
                "health",
                90,
                ["icpc_within_15wd"],
                "aaag",
            ),
            ("GP practices told when a child becomes subject to a plan", "health", 150, [], "gag"),
        ],
    ),
    (
        "Schools and the voluntary sector as partners in plans",
        [
            (
                "Designated safeguarding leads at every core group",
                "education",
                -30,
                ["core_groups_on_time"],
                "aara",
            ),
            ("Family support offered within five days of a step-down", "voluntary", 45, [], "agg"),
        ],
    ),
]
POLICE = [
    (
        "Desk checks on every referral within 24 hours",
        [
            (
                "Desk checks staffed seven days a week",
                "police",
                -75,
                ["referral_decisions_within_1wd"],
                "rrrar",
            ),
            (
                "Police research returned to the front door the same day",
                "police",
                -5,
                ["referral_decisions_within_1wd"],
                "raaa",
            ),
        ],
    ),
    (
        "Police at every strategy discussion and conference",
        [
            (
                "Child abuse investigation officer at every initial conference",
                "police",
                100,
                ["icpc_within_15wd"],
                "aggg",
            ),
            (
                "Strategy discussions recorded and shared within one working day",
                "police",
                -180,
                ["s47_started"],
                "ragd",
            ),
        ],
    ),
]
# The police borough command's public protection unit: its team plan is incorporated into the
# police plan, itself incorporated into the partnership plan (three levels, decision 0086).
TEAM = [
    (
        "Every domestic abuse notification about a child shared within a day",
        [
            (
                "Notifications screened by the unit each morning",
                "police",
                -20,
                ["referral_decisions_within_1wd"],
                "ara",
            ),
            (
                "Unit officers trained in the partnership's threshold of need",
                "police",
                60,
                [],
                "ggd",
            ),
        ],
    ),
]
# Evidence documents (decision 0086): small synthetic PDFs made in code, uploaded through the
# governance service as any file is, for every fifth action by title (lines of each PDF).
EVIDENCE_FILES = [
    ("Quarterly progress report (PDF)", "quarterly-progress-report.pdf",
     ["Progress against the action this quarter (synthetic).",
      "Figures from the dashboard, checked by the plan owner.", "Next steps agreed."]),
    ("Minutes of the partnership's delivery group (PDF)", "delivery-group-minutes.pdf",
     ["Minutes of the delivery group (synthetic).", "Action reviewed; rating agreed.",
      "Owner to report back next month."]),
    ("Audit of a sample of case files (PDF)", "case-file-audit.pdf",
     ["Twelve case files audited (synthetic).", "Eight good, three requiring improvement,",
      "one inadequate: learning shared with the teams."]),
]  # fmt: skip
# The police action the partnership's first objective also counts on.
SHARED_ACTION = "Desk checks staffed seven days a week"

REASONS = {
    "r": [
        "Vacancies in the team: work not started",
        "Agreed date missed; recovery plan due to the partnership",
        "Figures getting worse for three months running",
        "Funding not yet agreed",
    ],
    "a": [
        "Behind plan but recovering",
        "Depends on recruitment still under way",
        "Started in two teams out of five",
        "Evidence not yet seen by the plan owner",
    ],
    "g": ["", ""],
}

# (kind, title, likelihood, impact, owner's agency kind, mitigation, review in days, plans)
RISKS = [
    (
        "risk",
        "Agency social workers leave before cases are handed over",
        4,
        4,
        "csc",
        "Retention payments; handover checklist at every exit",
        -14,
        "both",
    ),
    (
        "issue",
        "Unallocated cases above 40 for six weeks",
        5,
        4,
        "csc",
        "Duty team holds the list; weekly review by the head of service",
        7,
        "partnership",
    ),
    (
        "risk",
        "Front door health post not funded after March",
        3,
        5,
        "health",
        "Business case to the health board",
        -30,
        "partnership",
    ),
    (
        "risk",
        "Police desk checks fall back to weekdays only",
        3,
        4,
        "police",
        "Rota agreed with the borough commander",
        21,
        "both",
    ),
    (
        "risk",
        "Supervision squeezed out by caseloads",
        4,
        3,
        "csc",
        "Protected time in the diary; tracked monthly",
        30,
        "partnership",
    ),
    (
        "risk",
        "Case-file audits not moderated",
        2,
        3,
        "csc",
        "Second manager assigned to every audit",
        45,
        "partnership",
    ),
    (
        "issue",
        "Case management system outage delays records",
        2,
        4,
        "csc",
        "Paper fallback and back-entry within two days",
        -3,
        "partnership",
    ),
    (
        "risk",
        "Schools not told of children on plans in the holidays",
        3,
        3,
        "education",
        "Holiday contact list for safeguarding leads",
        60,
        "partnership",
    ),
    (
        "risk",
        "Police plan loses its monitoring in the force restructure",
        2,
        5,
        "police",
        "Incorporated into the partnership plan; quarterly report",
        90,
        "police",
    ),
    (
        "risk",
        "Voluntary sector contracts end mid-plan",
        2,
        3,
        "voluntary",
        "Contracts extended to the end of the plan",
        120,
        "partnership",
    ),
    (
        "risk",
        "Chronology training not taken up by agency staff",
        3,
        2,
        "csc",
        "Training a condition of agency contracts",
        14,
        "partnership",
    ),
    (
        "issue",
        "Conference reports from GPs late",
        4,
        2,
        "health",
        "Named GP lead chases each report",
        -7,
        "partnership",
    ),
]


RAG = {"r": Rag.RED, "a": Rag.AMBER, "g": Rag.GREEN}


def _moment(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, time(9)) + timedelta(minutes=rng.randint(0, 480))
    )


def _owners(authority) -> dict[str, list[User]]:
    """Active staff by their agency's kind, well-known accounts first, then by username."""
    found: dict[str, list[User]] = {}
    staff = User.objects.filter(agency__authority=authority, is_active=True).select_related(
        "agency"
    )
    for user in staff.exclude(role__in=["inspector", "system_administrator"]).order_by("username"):
        found.setdefault(user.agency.kind, []).append(user)
    wanted = {"csc": ["tm1", "sm1"], "police": ["police1"], "health": ["health1"],
              "education": ["school1"], "voluntary": ["voluntary1"]}  # fmt: skip
    for kind, names in wanted.items():
        users = found.get(kind, [])
        found[kind] = sorted(users, key=lambda u: (u.username not in names, u.username))[:4]
    return found


def _other_manager(plan, owner) -> User | None:
    return (
        User.objects.filter(
            agency__authority_id=plan.authority_id, role="service_manager", is_active=True
        )
        .exclude(pk=owner.pk)
        .order_by("username")
        .first()
    )


def _actions(rows, plan, *, by, owners, agencies, rng, as_at, start, made) -> int:
    count = 0
    for objective_title, actions in rows:
        objective = services.objective_add(by=by, plan=plan, title=objective_title)
        for title, kind, due_in, indicators, story in actions:
            owner = rng.choice(owners[kind])
            done = story.endswith("d")
            letters = story.rstrip("d")
            # One rating a quarter (with a little drift), the first at the plan's start.
            days = [
                start + timedelta(days=91 * i + rng.randint(0, 20)) for i in range(len(letters))
            ]
            days = [min(d, as_at - timedelta(days=1)) for d in days]
            first = letters[0]
            action = services.action_add(
                by=by, objective=objective, title=title, owner=owner, agency=agencies[kind],
                due_date=as_at + timedelta(days=due_in), indicators=indicators, rag=RAG[first],
                rag_reason=rng.choice(REASONS[first]) if first != "g" else "",
                status=ActionStatus.ON_TRACK if first == "g" else ActionStatus.NOT_STARTED,
                rated_at=_moment(days[0], rng),
            )  # fmt: skip
            for letter, day in zip(letters[1:], days[1:], strict=True):
                status = {"g": ActionStatus.ON_TRACK, "a": ActionStatus.ON_TRACK,
                          "r": ActionStatus.DELAYED}[letter]  # fmt: skip
                action.refresh_from_db()
                services.action_update(
                    by=owner, action=action, version=action.version, status=status,
                    due_date=action.due_date, rag=RAG[letter],
                    rag_reason=rng.choice(REASONS[letter]) if letter != "g" else "",
                    rated_at=_moment(day, rng),
                )  # fmt: skip
            if done:
                action.refresh_from_db()
                # Asked for by its owner, signed off by the plan's owner (decision 0083).
                services.action_update(
                    by=owner, action=action, version=action.version, status=ActionStatus.DONE,
                    due_date=action.due_date, rag=action.rag, rag_reason=action.rag_reason,
                )  # fmt: skip
                action.refresh_from_db()
                # The plan's owner signs off, or another service manager when the owner asked.
                signer = plan.lead if owner.pk != plan.lead_id else _other_manager(plan, owner)
                if signer is not None:
                    services.action_sign_off(
                        by=signer, action=action, version=action.version,
                        on=min(as_at, action.due_date),
                    )  # fmt: skip
            made[title] = action
            count += 1
    return count


def build_governance(authority, *, seed: int, as_at: date) -> dict[str, int]:
    rng = random.Random(f"{seed}:governance")
    with seeded_ids(random.Random(f"{seed}:governance-ids")):
        return _build(authority, rng, as_at)


def _build(authority, rng: random.Random, as_at: date) -> dict[str, int]:
    by = User.objects.get(username="sm1")
    police_lead = User.objects.get(username="police1")
    owners = _owners(authority)
    agencies = {
        a.kind: a
        for a in Agency.objects.filter(authority=authority).order_by("name")
        if a.kind != AgencyKind.INSPECTORATE
    }
    start = as_at - timedelta(days=450)
    partnership = services.plan_create(
        by=by, title="Children's safeguarding improvement plan",
        owner_body="Kingsmere Safeguarding Children Partnership", lead=by,
        start_date=start, end_date=start + timedelta(days=3 * 365), status="active",
    )  # fmt: skip
    police = services.plan_create(
        by=by, title="Borough police child protection plan", owner_body="Kingsmere Police Service",
        lead=police_lead, agency=agencies["police"], start_date=start + timedelta(days=30),
        end_date=start + timedelta(days=2 * 365), status="active", incorporated_into=partnership,
    )  # fmt: skip
    unit_lead = next((u for u in owners["police"] if u.pk != police_lead.pk), police_lead)
    unit = services.plan_create(
        by=by, title="Public protection unit plan", owner_body="Kingsmere borough command",
        lead=unit_lead, agency=agencies["police"], start_date=start + timedelta(days=60),
        end_date=start + timedelta(days=2 * 365), status="active", incorporated_into=police,
    )  # fmt: skip
    made: dict = {}
    kw = {"owners": owners, "agencies": agencies, "rng": rng, "as_at": as_at, "made": made}
    count = _actions(PARTNERSHIP, partnership, by=by, start=start, **kw)
    count += _actions(POLICE, police, by=police_lead, start=start + timedelta(days=30), **kw)
    count += _actions(TEAM, unit, by=unit_lead, start=start + timedelta(days=60), **kw)
    first_objective = partnership.objectives.order_by("number").first()
    services.action_serve(by=by, action=made[SHARED_ACTION], objective=first_objective)
    for i, action in enumerate(sorted(made.values(), key=lambda a: a.title)[:8]):
        services.evidence_add(
            by=action.owner,
            action=action,
            title=f"Progress report to the partnership, quarter {i % 4 + 1}",
            url=f"https://kingsmere.example.org/partnership/reports/{i + 1}",
        )
    ordered = sorted(made.values(), key=lambda a: a.title)
    for i, action in enumerate(ordered[::5][: 2 * len(EVIDENCE_FILES)]):
        title, name, lines = EVIDENCE_FILES[i % len(EVIDENCE_FILES)]
        services.evidence_add(
            by=action.owner, action=action, title=title,
            file=ContentFile(samples.pdf([action.title, *lines], title=title), name=name),
            url="https://kingsmere.example.org/partnership/delivery-group" if i == 0 else "",
        )  # fmt: skip
    for kind, title, likelihood, impact, owner_kind, mitigation, review_in, which in RISKS:
        plans = {"both": [partnership, police], "partnership": [partnership], "police": [police]}
        services.risk_add(
            by=by, kind=kind, title=title, likelihood=likelihood, impact=impact,
            owner=owners[owner_kind][0], mitigation=mitigation,
            review_date=as_at + timedelta(days=review_in), plans=plans[which],
        )  # fmt: skip
    return {"improvement_plans": 3, "improvement_actions": count, "improvement_risks": len(RISKS)}
