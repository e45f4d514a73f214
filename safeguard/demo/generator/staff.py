"""The demo borough's organisation: agencies, teams and staff in every role.

Agencies and teams are few and saved as they are made; users are made in memory and saved
in bulk. Staff numbers follow the work the journeys leave open on the as-at date.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from safeguard.accounts.models import Agency, AgencyKind, LocalAuthority, Role, Team, User
from safeguard.demo import vocabulary as words
from safeguard.demo.generator.common import BATCH_SIZE, Worker, team_letter
from safeguard.people.codes import Sex

# Open cases a social worker holds, and social workers a team manager supervises.
CASELOAD = 17
TEAM_SIZE = 12
# Children on a child protection plan per conference chair.
CHAIR_CASELOAD = 60


@dataclass(frozen=True)
class WellKnownAccount:
    """An account newcomers can rely on in every demo database."""

    username: str
    role: Role


WELL_KNOWN_ACCOUNTS = (
    WellKnownAccount("sw1", Role.SOCIAL_WORKER),
    WellKnownAccount("tm1", Role.TEAM_MANAGER),
    WellKnownAccount("sm1", Role.SERVICE_MANAGER),
    WellKnownAccount("analyst1", Role.PERFORMANCE_ANALYST),
    WellKnownAccount("police1", Role.PARTNER_PRACTITIONER),
    WellKnownAccount("health1", Role.PARTNER_PRACTITIONER),
    WellKnownAccount("school1", Role.PARTNER_PRACTITIONER),
    WellKnownAccount("voluntary1", Role.PARTNER_PRACTITIONER),
    WellKnownAccount("aande1", Role.UNSCHEDULED_CARE_CLINICIAN),
    WellKnownAccount("admin1", Role.SYSTEM_ADMINISTRATOR),
    WellKnownAccount("chair1", Role.CONFERENCE_CHAIR),
    WellKnownAccount("inspector1", Role.INSPECTOR),
    WellKnownAccount("board1", Role.BOARD_MEMBER),
    WellKnownAccount("board2", Role.BOARD_MEMBER),
)
WELL_KNOWN_USERNAMES = frozenset(a.username for a in WELL_KNOWN_ACCOUNTS)


@dataclass(frozen=True)
class StaffNumbers:
    """How many staff of each kind a borough of a given size employs."""

    assessment_workers: int
    cp_workers: int
    assessment_teams: int
    cp_teams: int
    front_door_workers: int
    assessment_service_managers: int
    cp_service_managers: int
    analysts: int
    administrators: int
    police: int
    health_visitors: int
    school_nurses: int
    schools: int
    voluntary: int
    clinicians: int
    chairs: int = 1


def staff_numbers(
    *, children: int, assessment_children: int, cp_children: int, cp_plan_children: int = 0
) -> StaffNumbers:
    """Staff for ``children`` children, of whom the given numbers are open to each service.

    Social workers hold about ``CASELOAD`` open children each and sit ``TEAM_SIZE`` to a
    team; there are always at least two assessment and two CP/CIN teams (the named teams of
    the demo) and at least one member of staff in every role. Conference chairs each look
    after about ``CHAIR_CASELOAD`` children on a child protection plan.
    """
    assessment_workers = max(2, math.ceil(assessment_children / CASELOAD))
    cp_workers = max(2, math.ceil(cp_children / CASELOAD))
    assessment_teams = max(2, math.ceil(assessment_workers / TEAM_SIZE))
    cp_teams = max(2, math.ceil(cp_workers / TEAM_SIZE))
    partners = max(1, round(children * 3 / 2000))
    return StaffNumbers(
        assessment_workers=assessment_workers,
        cp_workers=cp_workers,
        assessment_teams=assessment_teams,
        cp_teams=cp_teams,
        front_door_workers=max(1, round(children / 1000)),
        assessment_service_managers=max(1, math.ceil(assessment_teams / 4)),
        cp_service_managers=max(1, math.ceil(cp_teams / 4)),
        analysts=max(1, round(children / 1000)),
        administrators=max(1, round(children / 20_000)),
        police=partners,
        health_visitors=partners,
        school_nurses=max(1, round(children / 2000)),
        schools=max(2, partners),
        voluntary=partners,
        clinicians=max(1, round(children / 1000)),
        chairs=max(1, math.ceil(cp_plan_children / CHAIR_CASELOAD)),
    )


@dataclass
class AccountRow:
    """One line of the demo accounts file."""

    username: str
    role_label: str
    agency: str
    team: str
    job_title: str


@dataclass
class Staff:
    """Users made in memory before they are saved, with their team memberships."""

    users: list[User] = field(default_factory=list)
    teams_of: dict[str, list[Team]] = field(default_factory=dict)
    accounts: list[AccountRow] = field(default_factory=list)
    workers: dict[str, Worker] = field(default_factory=dict)


# The health trust's name, and the one it had before a merger (synthetic, like every name here).
HEALTH_AGENCY = "Kingsmere Hospitals NHS Trust"
HEALTH_AGENCY_FORMERLY = "Kingsmere and District Hospitals Trust"


class StaffMaker:
    """Agencies, teams and users, saved as they are made (there are few of them)."""

    def __init__(self, borough, authority: LocalAuthority, password_hash: str) -> None:
        self.borough = borough
        self.rng = borough.rng
        self.authority = authority
        self.password_hash = password_hash
        self.staff = Staff()
        # Generated usernames avoid every existing one, not only the well-known ones.
        self._usernames = set(WELL_KNOWN_USERNAMES) | set(
            User.objects.values_list("username", flat=True)
        )

    def agency(self, name: str, kind: str) -> Agency:
        return Agency.objects.create(authority=self.authority, name=name, kind=kind)

    def team(self, agency: Agency, name: str, parent: Team | None = None) -> Team:
        return Team.objects.create(agency=agency, name=name, parent=parent)

    def user(
        self,
        *,
        agency: Agency,
        role: Role,
        teams: list[Team],
        job_title: str,
        domain: str,
        username: str | None = None,
        worker_team: Team | None = None,
        qualified_on: date | None = None,
    ) -> Worker:
        """Make a user in memory; well-known ones are listed in the accounts file."""
        sex = self.rng.choice((Sex.FEMALE, Sex.MALE))
        first = self.rng.choice(
            words.ADULT_NAMES_FEMALE if sex == Sex.FEMALE else words.ADULT_NAMES_MALE
        )
        last = self.borough.family_name()
        if username is None:
            base = f"{first}.{last}".lower().replace("-", "")
            username, n = base, 1
            while username in self._usernames:
                n += 1
                username = f"{base}{n}"
            self._usernames.add(username)
        else:
            self.staff.accounts.append(
                AccountRow(
                    username=username,
                    role_label=role.label,
                    agency=agency.name,
                    team=", ".join(t.name for t in teams),
                    job_title=job_title,
                )
            )
        self.staff.users.append(
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@{domain}",
                password=self.password_hash,
                agency=agency,
                role=role,
                job_title=job_title,
                is_active=True,
                qualified_on=qualified_on,
            )
        )
        self.staff.teams_of[username] = teams
        worker = Worker(username, worker_team, full_name=f"{first} {last}")
        self.staff.workers[username] = worker
        return worker


@dataclass
class Organisation:
    """The agencies, teams and the staff who can be named on records."""

    csc: Agency
    police: Agency
    health: Agency
    education: Agency
    voluntary: Agency
    front_door: Team
    assessment_teams: list[Team]
    cp_teams: list[Team]
    front_door_workers: list[Worker]
    assessment_workers: list[Worker]
    cp_workers: list[Worker]
    chairs: list[Worker]
    team_managers: dict[int, Worker]  # by team id
    # Who manages each social care team and service (by team id): the management line.
    managers: dict[int, Worker]
    police_workers: list[Worker]
    health_visitors: list[Worker]
    school_nurses: list[Worker]
    school_dsls: list[Worker]
    voluntary_workers: list[Worker]


def make_organisation(maker: StaffMaker, numbers: StaffNumbers) -> Organisation:
    """Create the agencies and teams and make (in memory) every member of staff."""
    user = maker.user
    csc = maker.agency("Kingsmere Children's Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE)
    council = "kingsmere.example"
    # Services: the teams the case-holding and support teams sit in (issue 14).
    front_door_service = maker.team(csc, "Front Door and Assessment Service")
    cp_service = maker.team(csc, "Child Protection and Children in Need Service")
    quality_service = maker.team(csc, "Quality, Performance and Systems Service")
    front_door = maker.team(csc, "Front Door (MASH)", front_door_service)
    assessment_teams = [
        maker.team(csc, f"Assessment Team {i + 1}", front_door_service)
        for i in range(numbers.assessment_teams)
    ]
    cp_teams = [
        maker.team(csc, f"Child Protection and CIN Team {team_letter(i)}", cp_service)
        for i in range(numbers.cp_teams)
    ]
    quality = maker.team(csc, "Safeguarding and Quality Assurance", quality_service)
    performance = maker.team(csc, "Performance and Intelligence", quality_service)
    systems = maker.team(csc, "Systems", quality_service)

    # Team managers: tm1 manages CP/CIN Team A, where sw1 works.
    team_managers: dict[int, Worker] = {}
    for i, team in enumerate([cp_teams[0], front_door, *assessment_teams, *cp_teams[1:]]):
        team_managers[team.id] = user(
            agency=csc,
            role=Role.TEAM_MANAGER,
            teams=[team],
            job_title="Team manager",
            domain=council,
            username="tm1" if i == 0 else None,
            worker_team=team,
        )

    # Service managers: one per four teams of each service; sm1 heads CP/CIN Team A's group.
    def service_managers(teams: list[Team], count: int, first_username: str | None) -> list[Worker]:
        made = []
        for i in range(count):
            group = teams[i::count]
            head = user(
                agency=csc,
                role=Role.SERVICE_MANAGER,
                teams=group,
                job_title="Service manager",
                domain=council,
                username=first_username if i == 0 else None,
            )
            made.append(head)
        return made

    cp_heads = service_managers(cp_teams, numbers.cp_service_managers, "sm1")
    front_door_heads = service_managers(
        [front_door, *assessment_teams], numbers.assessment_service_managers, None
    )

    def social_workers(teams: list[Team], count: int, first_username: str | None) -> list[Worker]:
        workers = []
        for i in range(count):
            team = teams[i % len(teams)]
            title = "Senior social worker" if i % 4 == 3 else "Social worker"
            # About one in six is in their first year after qualifying (a reduced caseload);
            # the others qualified two to fifteen years ago. sw1 is experienced.
            if i % 6 == 1:
                qualified = maker.borough.as_at - timedelta(days=40 + (i * 37) % 300)
            else:
                qualified = maker.borough.as_at - timedelta(days=365 * (2 + i % 14) + i % 200)
            workers.append(
                user(
                    agency=csc,
                    role=Role.SOCIAL_WORKER,
                    teams=[team],
                    job_title=title,
                    domain=council,
                    username=first_username if i == 0 else None,
                    worker_team=team,
                    qualified_on=qualified,
                )
            )
        return workers

    cp_workers = social_workers(cp_teams, numbers.cp_workers, "sw1")
    assessment_workers = social_workers(assessment_teams, numbers.assessment_workers, None)
    front_door_workers = social_workers([front_door], numbers.front_door_workers, None)

    # Independent chairs of child protection conferences (independent reviewing officers),
    # outside the line management of the cases they chair.
    chairs = [
        user(
            agency=csc,
            role=Role.CONFERENCE_CHAIR,
            teams=[quality],
            job_title="Child protection conference chair",
            domain=council,
            username="chair1" if i == 0 else None,
            worker_team=quality,
        )
        for i in range(numbers.chairs)
    ]

    for i in range(numbers.analysts):
        user(
            agency=csc,
            role=Role.PERFORMANCE_ANALYST,
            teams=[performance],
            job_title="Performance analyst",
            domain=council,
            username="analyst1" if i == 0 else None,
        )
    for i in range(numbers.administrators):
        user(
            agency=csc,
            role=Role.SYSTEM_ADMINISTRATOR,
            teams=[systems],
            job_title="Systems administrator",
            domain=council,
            username="admin1" if i == 0 else None,
        )

    def partners(
        agency: Agency,
        team: Team | None,
        count: int,
        first_username: str | None,
        job_title: str,
        domain: str,
        name_team: bool = False,
    ) -> list[Worker]:
        # A named worker's involvement grants that worker only; a team's grants all of it.
        return [
            user(
                agency=agency,
                role=Role.PARTNER_PRACTITIONER,
                teams=[team] if team else [],
                job_title=job_title,
                domain=domain,
                username=first_username if i == 0 else None,
                worker_team=team if name_team else None,
            )
            for i in range(count)
        ]

    police = maker.agency("Kingsmere Police Service", AgencyKind.POLICE)
    cait = maker.team(police, "Child Abuse Investigation Team")
    police_workers = partners(
        police, cait, numbers.police, "police1", "Detective constable", "kingsmere-police.example"
    )

    # Made under its former name; the administrator renames it (decision 0077, administration.py).
    health = maker.agency(HEALTH_AGENCY_FORMERLY, AgencyKind.HEALTH)
    emergency = maker.team(health, "Emergency Department")
    community = maker.team(health, "Community Health (Health Visiting and School Nursing)")
    nhs = "kingsmere-hospitals.example"
    health_visitors = partners(
        health, community, numbers.health_visitors, "health1", "Health visitor", nhs
    )
    school_nurses = partners(health, community, numbers.school_nurses, None, "School nurse", nhs)
    for i in range(numbers.clinicians):
        user(
            agency=health,
            role=Role.UNSCHEDULED_CARE_CLINICIAN,
            teams=[emergency],
            job_title="Emergency nurse practitioner" if i % 2 else "Emergency medicine consultant",
            domain=nhs,
            username="aande1" if i == 0 else None,
        )

    education = maker.agency("Kingsmere Education Service", AgencyKind.EDUCATION)
    school_names: list[str] = []
    while len(school_names) < numbers.schools:
        kind = "Primary School" if len(school_names) % 3 != 2 else "Academy"
        name = f"{maker.rng.choice(maker.borough.compounds)} {kind}"
        if name not in school_names:
            school_names.append(name)
    school_dsls: list[Worker] = []
    for i, name in enumerate(school_names):
        team = maker.team(education, name)
        # The designated safeguarding lead: involvements name the school, which grants its DSL.
        school_dsls += partners(
            education,
            team,
            1,
            "school1" if i == 0 else None,
            "Designated safeguarding lead",
            "kingsmere-schools.example",
            name_team=True,
        )

    # An inspector of the inspectorate: sees only the case files an inspection draws, while
    # it runs (issue 15 item 5).
    inspectorate = maker.agency("Ofsted", AgencyKind.INSPECTORATE)
    inspection_team = maker.team(inspectorate, "Inspection of local authority children's services")
    user(
        agency=inspectorate,
        role=Role.INSPECTOR,
        teams=[inspection_team],
        job_title="His Majesty's Inspector",
        domain="ofsted.example",
        username="inspector1",
    )

    voluntary = maker.agency("Kingsmere Family Support Trust", AgencyKind.VOLUNTARY)
    family_support = maker.team(voluntary, "Family Support Service")
    voluntary_workers = partners(
        voluntary,
        family_support,
        numbers.voluntary,
        "voluntary1",
        "Family support worker",
        "kingsmere-family-support.example",
    )

    # The management line: each team's manager; each service's is its first service manager
    # (the quality, performance and systems service, and its two smaller teams, are run by
    # the front door and assessment service's last service manager).
    managers = dict(team_managers)
    managers[cp_service.id] = cp_heads[0]
    managers[front_door_service.id] = front_door_heads[0]
    # The chairs' team is managed from outside the case-holding line, which is what makes
    # them independent of the cases they chair.
    for team in (quality_service, quality, performance, systems):
        managers[team.id] = front_door_heads[-1]

    return Organisation(
        csc=csc,
        police=police,
        health=health,
        education=education,
        voluntary=voluntary,
        front_door=front_door,
        assessment_teams=assessment_teams,
        cp_teams=cp_teams,
        front_door_workers=front_door_workers,
        assessment_workers=assessment_workers,
        cp_workers=cp_workers,
        chairs=chairs,
        team_managers=team_managers,
        managers=managers,
        police_workers=police_workers,
        health_visitors=health_visitors,
        school_nurses=school_nurses,
        school_dsls=school_dsls,
        voluntary_workers=voluntary_workers,
    )


def save_staff(staff: Staff) -> dict[str, int]:
    """Insert the users and their team memberships; return user ids by username.

    Every ``Worker`` gets its user id, so the records that name staff can be made by id.
    """
    User.objects.bulk_create(staff.users, batch_size=BATCH_SIZE)
    user_ids = dict(User.objects.filter(username__in=staff.teams_of).values_list("username", "id"))
    membership = User.teams.through
    membership.objects.bulk_create(
        [
            membership(user_id=user_ids[username], team_id=team.id)
            for username, teams in staff.teams_of.items()
            for team in teams
        ],
        batch_size=BATCH_SIZE,
    )
    for username, worker in staff.workers.items():
        worker.user_id = user_ids[username]
    return user_ids


def save_management_lines(org: Organisation) -> None:
    """Name each social care team's and service's manager, once the staff have their ids."""
    teams = list(Team.objects.filter(pk__in=org.managers))
    for team in teams:
        team.manager_id = org.managers[team.pk].user_id
    Team.objects.bulk_update(teams, ["manager"])
