"""The workforce of the demo borough (issue 14 items 4 and 7, decision 0044): each social
care team's posts (filled, vacant, permanent and agency, some part-time) with a year of
starters and leavers, so that the workforce rates page shows a trend; absences (a few
running today, with their cases' items on the cover lists); and each team's duty rota.

Made from its own random stream (from the seed), after the staff and their cases, by bulk
inserts like the rest of the borough. Former workers are inactive accounts with synthetic
names: they only fill the history of posts.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from safeguard.accounts.models import Role, Team, User
from safeguard.accounts.selectors import social_care_teams
from safeguard.casework.models import Absence, DutySpell
from safeguard.demo import vocabulary as words
from safeguard.workforce.models import Post, PostGrade, PostHolder

# An unusable password (Django's prefix): a former worker's account never signs in.
UNUSABLE = UNUSABLE_PASSWORD_PREFIX + "former-worker"
POST_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
FTES = (Decimal("1"),) * 6 + (Decimal("0.8"), Decimal("0.6"), Decimal("0.5"))
WEEKS_OF_ROTA = (-1, 0, 1, 2)  # last week, this week and the next two


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class _Former:
    """Inactive accounts for the workers who left posts in the year."""

    def __init__(self, rng: random.Random, agency, compounds: list[str]) -> None:
        self.rng, self.agency, self.compounds = rng, agency, compounds
        self.users: list[User] = []
        self.taken = set(User.objects.values_list("username", flat=True))

    def make(self) -> User:
        first = self.rng.choice(words.ADULT_NAMES_FEMALE + words.ADULT_NAMES_MALE)
        last = self.rng.choice(self.compounds)
        base = f"former.{first}.{last}".lower().replace("-", "")
        username, n = base, 1
        while username in self.taken:
            n += 1
            username = f"{base}{n}"
        self.taken.add(username)
        user = User(
            username=username, first_name=first, last_name=last, agency=self.agency,
            role=Role.SOCIAL_WORKER, job_title="Social worker (left)", is_active=False,
            password=UNUSABLE,
        )  # fmt: skip
        self.users.append(user)
        return user


def build_workforce(authority, *, seed: int, as_at: date) -> dict[str, int]:
    """Posts, absences and duty rotas for every social care team; return what was made."""
    rng = random.Random(f"workforce-{seed}")
    year_ago = (as_at.replace(day=1) - timedelta(days=335)).replace(day=1)
    teams = list(social_care_teams(authority.pk).select_related("agency", "manager"))
    # Each social worker and team manager has one post, in their first team by name (a
    # service manager who sits in teams holds none: they count as full-time, as before).
    members, placed = {}, set()
    for t in teams:
        found = t.members.filter(is_active=True, role__in=POST_ROLES).order_by("username")
        members[t.pk] = [w for w in found if w.pk not in placed]
        placed |= {w.pk for w in members[t.pk]}
    if not teams:
        return {}
    former = _Former(rng, teams[0].agency, words.family_name_compounds())
    posts: list[Post] = []
    holders: list[tuple[Post, User | None, date, date | None, bool]] = []

    def post(team: Team, grade: str, start: date) -> Post:
        made = Post(
            team=team, grade=grade, fte=rng.choice(FTES) if grade != PostGrade.TEAM_MANAGER
            else Decimal("1"), start_date=start,
        )  # fmt: skip
        posts.append(made)
        return made

    for team in teams:
        if not members[team.pk]:
            continue  # a service, or a team nobody in it holds cases: no posts
        for worker in members[team.pk]:
            manager = worker.role != Role.SOCIAL_WORKER
            grade = PostGrade.TEAM_MANAGER if manager else rng.choice(
                (PostGrade.SOCIAL_WORKER,) * 3 + (PostGrade.SENIOR_PRACTITIONER,)
            )  # fmt: skip
            p = post(team, grade, year_ago - timedelta(days=rng.randint(200, 2500)))
            agency = not manager and rng.random() < 0.18
            if rng.random() < 0.3:
                # A starter in the year, after a worker who left it.
                started = year_ago + timedelta(days=rng.randint(20, 330))
                left = started - timedelta(days=rng.randint(10, 60))
                holders.append((p, former.make(), p.start_date, left, rng.random() < 0.3))
                holders.append((p, worker, started, None, agency))
            else:
                holders.append((p, worker, p.start_date, None, agency))
        # Vacancies: one or two posts nobody is in today, most left during the year.
        for _ in range(rng.randint(1, 2)):
            opened = year_ago - timedelta(days=rng.randint(100, 900))
            p = post(team, PostGrade.SOCIAL_WORKER, opened)
            if rng.random() < 0.75:
                left = year_ago + timedelta(days=rng.randint(15, 320))
                holders.append((p, former.make(), p.start_date, left, rng.random() < 0.3))
    User.objects.bulk_create(former.users)
    Post.objects.bulk_create(posts)
    PostHolder.objects.bulk_create(
        PostHolder(post=p, worker=w, start_date=start, end_date=end, agency=agency)
        for p, w, start, end, agency in holders
    )

    absences = _absences(rng, teams, members, as_at)
    Absence.objects.bulk_create(absences)
    rota = _rota(teams, members, as_at)
    DutySpell.objects.bulk_create(rota)
    return {
        "posts": len(posts),
        "vacant_posts": len(posts) - sum(1 for _p, _w, _s, end, _a in holders if end is None),
        "absences": len(absences),
        "duty_spells": len(rota),
    }


def _absences(rng, teams, members, as_at: date) -> list[Absence]:
    """In every team: annual leave and training in the year, some booked ahead; in about
    half the teams a social worker away today (sick with no known end, or on leave), so the
    cover lists of their manager and the duty worker have items. In the team of the
    well-known team manager (tm1) a social worker other than sw1 is off sick today."""
    made: list[Absence] = []
    for team in teams:
        workers = [w for w in members[team.pk] if w.role == Role.SOCIAL_WORKER]
        away_today = None
        if workers and (any(w.username == "sw1" for w in workers) or rng.random() < 0.5):
            choices = [w for w in workers if w.username != "sw1"] or workers
            away_today = rng.choice(choices)
            if rng.random() < 0.5 or any(w.username == "sw1" for w in workers):
                made.append(Absence(
                    worker=away_today, kind="sickness",
                    start_date=as_at - timedelta(days=rng.randint(1, 6)), end_date=None,
                ))  # fmt: skip
            else:
                start = as_at - timedelta(days=rng.randint(0, 4))
                made.append(Absence(
                    worker=away_today, kind="annual_leave", start_date=start,
                    end_date=start + timedelta(days=rng.randint(5, 12)),
                ))  # fmt: skip
        for w in members[team.pk]:
            if w is away_today:
                continue
            # Leave earlier in the year, and some booked for the coming weeks.
            start = as_at - timedelta(days=rng.randint(30, 300))
            made.append(Absence(
                worker=w, kind=rng.choice(("annual_leave", "annual_leave", "training")),
                start_date=start, end_date=start + timedelta(days=rng.randint(1, 10)),
            ))  # fmt: skip
            if rng.random() < 0.3:
                start = as_at + timedelta(days=rng.randint(7, 40))
                made.append(Absence(
                    worker=w, kind="annual_leave", start_date=start,
                    end_date=start + timedelta(days=rng.randint(3, 10)),
                ))  # fmt: skip
    return made


def _rota(teams, members, as_at: date) -> list[DutySpell]:
    """Each team's duty worker, a week (Monday to Friday) each in turn; sw1 is on duty this
    week in their team."""
    made: list[DutySpell] = []
    this_week = _monday(as_at)
    for team in teams:
        workers = [w for w in members[team.pk] if w.role == Role.SOCIAL_WORKER]
        if not workers:
            continue
        sw1 = next((i for i, w in enumerate(workers) if w.username == "sw1"), None)
        offset = sw1 if sw1 is not None else team.pk % len(workers)
        for week in WEEKS_OF_ROTA:
            monday = this_week + timedelta(weeks=week)
            worker = workers[(offset + week) % len(workers)]
            made.append(DutySpell(
                team=team, worker=worker, start_date=monday, end_date=monday + timedelta(days=5),
            ))  # fmt: skip
    return made
