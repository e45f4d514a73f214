"""The demo borough's boards (issue 20, decision 0084), made with the real services: five
bodies with board members (board1 sits on the safeguarding partnership and the Children's
Trust, board2 on Cabinet and the members' scrutiny panel; both in the printed demo accounts),
agreed targets for the main indicators, a year of monthly packs for the safeguarding
partnership, published, one of them corrected by a second edition, and a challenge log with
questions accepted, challenged further, answered, open and overdue. Synthetic names only."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from safeguard.accounts.models import Agency, AgencyKind, Role, User
from safeguard.boards import services
from safeguard.demo import vocabulary as words
from safeguard.demo.generator.staff import AccountRow
from safeguard.performance import services as performance_services

PARTNERSHIP = "Kingsmere Safeguarding Children Partnership"

# The main indicators and their targets, in the dashboard's units (a rate in per cent).
TARGETS = (
    ("referral_decisions_within_1wd", "95", "5", "higher"),
    ("rereferrals_12m", "20", "3", "lower"),
    ("assessments_within_45wd", "85", "5", "higher"),
    ("icpc_within_15wd", "80", "10", "higher"),
    ("cpp_repeat", "20", "4", "lower"),
    ("cp_visits_on_time", "90", "5", "higher"),
    ("cpp_reviews_on_time", "95", "5", "higher"),
    ("unallocated_cases", "10", "5", "lower"),
)
CHOSEN = [t[0] for t in TARGETS]

QUESTIONS = (
    "Why has the share of assessments completed within 45 working days fallen for two months?",
    "What is being done about the number of cases waiting to be allocated?",
    "How many children on a plan were not visited within ten working days, and why?",
    "What do the case-file audits say about the quality of child protection plans?",
    "Why do so few health colleagues attend initial conferences?",
    "How is the service sure that repeat plans are not a sign of early closure?",
    "What has changed at the front door since the last audit of contacts?",
    "When will the police's plan actions due last quarter be completed?",
)
ANSWERS = (
    "Two assessment teams carried vacancies; agency workers started this month and the "
    "figure is expected back within target by the end of the quarter.",
    "A duty rota now picks up waiting cases each morning, and each is reviewed weekly by a "
    "team manager until it is allocated.",
    "Most visits missed were within two days of the due date; workers now see the visits due "
    "on their home page.",
)


def _board_users(authority, rng, password_hash) -> tuple[list[User], list[AccountRow]]:
    council = (
        Agency.objects.filter(authority=authority, kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
        .order_by("pk")
        .first()
    )
    family = words.family_name_compounds()
    made, rows = [], []
    for username, title in (
        ("board1", "Councillor, lead member for children's services"),
        ("board2", "Councillor, chair of the children's scrutiny panel"),
        (None, "Councillor, Cabinet member"),
        (None, "Chief executive"),
        (None, "Independent chair of the safeguarding partnership"),
    ):
        first = rng.choice(words.ADULT_NAMES_FEMALE + words.ADULT_NAMES_MALE)
        last = rng.choice(family)
        name = username or f"{first}.{last}.board".lower()
        user = User.objects.create(
            username=name, first_name=first, last_name=last, email=f"{name}@kingsmere.example",
            password=password_hash, agency=council, role=Role.BOARD_MEMBER, job_title=title,
        )  # fmt: skip
        made.append(user)
        if username:
            rows.append(AccountRow(username, Role.BOARD_MEMBER.label, council.name, "", title))
    return made, rows


def _staff(authority, role):
    return list(
        User.objects.filter(agency__authority=authority, role=role, is_active=True).order_by(
            "username"
        )
    )


def build(authority, as_at: date, seed: int, password_hash: str) -> tuple[dict, list[AccountRow]]:
    """Make the boards; returns the counts for the demo's summary and the account rows."""
    rng = random.Random(seed * 7919 + 84)
    managers = _staff(authority, Role.SERVICE_MANAGER)
    analysts = _staff(authority, Role.PERFORMANCE_ANALYST)
    team_managers = _staff(authority, Role.TEAM_MANAGER)
    if not (managers and analysts and team_managers):
        return {"boards": 0, "board_packs": 0, "board_questions": 0}, []
    sm = next((u for u in managers if u.username == "sm1"), managers[0])
    other_sm = next((u for u in managers if u != sm), None)
    analyst = next((u for u in analysts if u.username == "analyst1"), analysts[0])
    tm = next((u for u in team_managers if u.username == "tm1"), team_managers[0])
    members, rows = _board_users(authority, rng, password_hash)
    board1, board2, cabinet_member, chief_executive, chair = members

    for indicator, value, tolerance, direction in TARGETS:
        target = performance_services.target_set(
            by=analyst, indicator_id=indicator, value=value, tolerance=tolerance,
            direction=direction, reason="Agreed with the partnership for this year.",
        )  # fmt: skip
        performance_services.target_agree(by=sm, target=target)

    partnership = services.body_create(
        by=analyst, name=PARTNERSHIP,
        purpose="The statutory safeguarding partners (the council, the police and the health "
        "board) and the agencies working with them hold each other to account for keeping "
        "children safe.",
        pack_day=10, indicators=CHOSEN, members=[board1, chair], officers=[sm, tm],
    )  # fmt: skip
    trust = services.body_create(
        by=analyst, name="Children's Trust Board",
        purpose="Partners' leaders agree the children and young people's plan and watch its "
        "progress.",
        pack_day=12, indicators=CHOSEN[:4], members=[board1, chief_executive], officers=[sm],
    )  # fmt: skip
    chief_executives = services.body_create(
        by=analyst, name="Chief Executive's Board",
        purpose="The council's monthly finance and performance summary.", pack_day=5,
        indicators=CHOSEN[:3], sections=["indicators"], members=[chief_executive], officers=[sm],
    )  # fmt: skip
    cabinet = services.body_create(
        by=analyst, name="Cabinet", purpose="The council's executive.", pack_day=15,
        indicators=CHOSEN[:3], sections=["indicators"], members=[cabinet_member, board2],
        officers=[sm],
    )  # fmt: skip
    scrutiny = services.body_create(
        by=analyst, name="Children's Services Scrutiny Panel",
        purpose="Elected members challenge officers on the quality of practice and commission "
        "case-file audit reports.",
        pack_day=20, indicators=CHOSEN, members=[board2], officers=[sm, tm],
    )  # fmt: skip

    packs = _packs(partnership, as_at, rng, analyst=analyst, sm=sm, tm=tm)
    for body in (trust, chief_executives, cabinet, scrutiny):
        packs += _recent_packs(body, as_at, rng, analyst=analyst, sm=sm)
    questions = _questions(
        partnership, as_at, rng, analyst=analyst, officers=[tm, other_sm or sm], closer=sm
    )
    questions += _questions(
        scrutiny, as_at, rng, analyst=analyst, officers=[sm], closer=analyst, few=True
    )
    return {"boards": 5, "board_packs": packs, "board_questions": questions}, rows


def _published_at(day: date, hour: int, as_at: date) -> datetime:
    """A moment of publication on ``day`` (a working morning), never after the demo's date
    nor after now."""
    moment = timezone.make_aware(datetime.combine(day, time(hour, 0)))
    latest = timezone.make_aware(datetime.combine(as_at, time(9, 0)))
    return min(moment, latest, timezone.now())


def _recent_packs(body, as_at, rng, *, analyst, sm, months: int = 2) -> int:
    """The last ``months`` packs of a body other than the partnership, published a few days
    after its pack day (so its members have something to read), without commentary."""
    end = as_at.replace(day=1) - timedelta(days=1)
    periods = []
    for _ in range(months):
        periods.append((end.replace(day=1), end))
        end = end.replace(day=1) - timedelta(days=1)
    for start, end in reversed(periods):
        pack = services.pack_draft(
            by=analyst, body=body, period_start=start, period_end=end, notify_officers=False
        )
        published_on = end + timedelta(days=body.pack_day + rng.randint(2, 5))
        services.pack_publish(by=sm, pack=pack, at=_published_at(published_on, 11, as_at))
    return months


def _packs(body, as_at, rng, *, analyst, sm, tm) -> int:
    """The last twelve months' packs, each published a few days after its pack day in the
    month after its period (so each says the date it would have been published), with
    commentary; the sixth corrected a week later."""
    first_of_this_month = as_at.replace(day=1)
    months = []
    end = first_of_this_month - timedelta(days=1)
    for _ in range(12):
        months.append((end.replace(day=1), end))
        end = end.replace(day=1) - timedelta(days=1)
    made = 0
    for n, (start, end) in enumerate(reversed(months)):
        pack = services.pack_draft(
            by=analyst, body=body, period_start=start, period_end=end, notify_officers=False
        )
        services.commentary_write(
            by=tm, pack=pack, section="indicators",
            text=rng.choice(ANSWERS[:2]) if n % 3 else "Figures are steady this month; the "
            "service keeps its focus on timely initial conferences.",
        )  # fmt: skip
        services.commentary_write(
            by=sm, pack=pack, section="audits",
            text="Audits this month found plans clearer about what must change; recording of "
            "children's views is still uneven.",
        )  # fmt: skip
        # Drafted on the body's pack day after the period, published a few days later.
        published_on = end + timedelta(days=body.pack_day + rng.randint(2, 5))
        at = _published_at(published_on, 10, as_at)
        published = services.pack_publish(by=sm, pack=pack, at=at)
        made += 1
        if n == 5:
            corrected = services.pack_correct(
                by=sm, pack=published,
                reason="The commentary on the indicators named the wrong month.",
            )  # fmt: skip
            services.commentary_write(
                by=tm, pack=corrected, section="indicators",
                text=f"Figures for {start:%B %Y} are steady; initial conferences remain the "
                "focus.",
            )  # fmt: skip
            services.pack_publish(
                by=sm, pack=corrected, at=_published_at(published_on + timedelta(days=7), 11, as_at)
            )
            made += 1
    return made


def _questions(body, as_at, rng, *, analyst, officers, closer, few=False) -> int:
    """Questions from the body's last meetings: the oldest answered and accepted or
    challenged further, then answered and waiting, open, and overdue."""
    meetings = [as_at - timedelta(days=28 * k + 3) for k in (5, 4, 3, 2, 1, 0)]
    if few:
        meetings = meetings[-3:]
    made = 0
    for k, met in enumerate(meetings):
        officer = officers[k % len(officers)]
        due = met + timedelta(days=rng.choice((14, 21, 28)))
        question = QUESTIONS[(k + len(body.name)) % len(QUESTIONS)]
        q = services.challenge_raise(
            by=analyst, body=body, raised_on=met, question=question, officer=officer, due_date=due
        )
        made += 1
        age = len(meetings) - k  # older meetings have travelled further
        answered = min(due - timedelta(days=2), as_at)
        if age >= 4:
            q = services.challenge_answer(
                by=officer, challenge=q, answer=ANSWERS[k % len(ANSWERS)], on=answered
            )
            verdict = min(answered + timedelta(days=28), as_at)
            if closer.pk != officer.pk:
                if k % 2:
                    services.challenge_close(
                        by=closer, challenge=q, accepted=False, on=verdict,
                        further="The body asks for the figures by team at its next meeting.",
                        due_date=verdict + timedelta(days=28),
                    )  # fmt: skip
                    made += 1
                else:
                    services.challenge_close(by=closer, challenge=q, accepted=True, on=verdict)
        elif age == 3:
            services.challenge_answer(
                by=officer, challenge=q, answer=ANSWERS[k % len(ANSWERS)], on=answered
            )
        # age 2 and 1: open; the older of them overdue by the demo's date when due before it.
    return made
