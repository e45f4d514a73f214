"""A deterministic synthetic borough: the London Borough of Kingsmere, for demos and load tests.

``build_demo_borough`` fills an empty database with one fictional local authority, its
social care teams and partner agencies, staff in every role, and families: children (some
unborn) in households with parents, carers and other adults, their addresses, relationships,
identifiers and the agencies' involvements with them.

Contract: the same ``children``, ``seed`` and ``as_at`` always give the same data, down to
the primary keys, because every choice comes from one ``random.Random(seed)``. The password
is the one thing not derived from the seed: the caller makes it and passes in its hash, which
every demo account shares (hashing once keeps a 50,000-child run fast under Argon2).

Every name, address and number is invented. NHS numbers come from the 999 range, which is
documented as reserved for testing; UPNs carry the LA number 990, which no authority has.
"""

from __future__ import annotations

import heapq
import math
import os
import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

from safeguard.accounts.models import Agency, AgencyKind, LocalAuthority, Role, Team, User
from safeguard.audit.models import ChangeEvent, ChangeVerb
from safeguard.demo import vocabulary as words
from safeguard.people.codes import Disability, Ethnicity, RelationshipKind, Sex
from safeguard.people.identifiers import nhs_number_with_check_digit, upn_with_check_letter
from safeguard.people.models import Address, Involvement, Person, Relationship, Residence

DEFAULT_CHILDREN = 2000
DEFAULT_SEED = 2009
MIN_CHILDREN = 10
MAX_CHILDREN = 50_000
BATCH_SIZE = 1000

AUTHORITY_NAME = "London Borough of Kingsmere"
# No English local authority has the DfE LA code 990.
DFE_LA_CODE = "990"
TOWN = "Kingsmere"
# "KM" is not a UK postcode area, so no demo address can be a real one.
POSTCODE_AREA = "KM"

# Shares of the children generated (approximate; see docs/demo-borough.md).
OPEN_CSC_SHARE = 0.30
CLOSED_CSC_SHARE = 0.05
ASSESSMENT_SHARE_OF_OPEN = 0.35
UNBORN_SHARE_PER_HOUSEHOLD = 0.02  # about 1% of children, at 1.9 children a household
DUPLICATE_SHARE = 0.005
DISABLED_SHARE = 0.08
PREVIOUS_ADDRESS_SHARE = 0.25
ADULT_POLICE_REFERENCE_SHARE = 0.10
# Open cases a social worker holds, and social workers a team manager supervises.
CASELOAD = 17
TEAM_SIZE = 12

# Relative weight of each age 0-17: more babies, under-5s and 10-15s than in the general
# population, after the age profile of children in need.
AGE_WEIGHTS = (6.0, 4.5, 4.5, 4.5, 4.5, 4.8, 4.8, 4.8, 4.8, 4.8, 6.2, 6.2, 6.2, 6.2, 6.2, 6.2,
               6.0, 6.0)  # fmt: skip

HOUSEHOLD_SIZE_WEIGHTS = {1: 45, 2: 30, 3: 17, 4: 8}

# Roughly the shape of an inner-London borough's children (Census 2021), with a few
# records where the information was refused or not yet obtained.
ETHNICITY_WEIGHTS = {
    Ethnicity.WBRI: 30, Ethnicity.WIRI: 1, Ethnicity.WIRT: 0.3, Ethnicity.WOTH: 12,
    Ethnicity.WROM: 0.7, Ethnicity.MWBC: 3, Ethnicity.MWBA: 2, Ethnicity.MWAS: 2,
    Ethnicity.MOTH: 4, Ethnicity.AIND: 5, Ethnicity.APKN: 3, Ethnicity.ABAN: 6,
    Ethnicity.AOTH: 4, Ethnicity.BCRB: 5, Ethnicity.BAFR: 11, Ethnicity.BOTH: 3,
    Ethnicity.CHNE: 1, Ethnicity.OOTH: 6, Ethnicity.REFU: 1, Ethnicity.NOBT: 2,
}  # fmt: skip

# The parents' groups behind a child's mixed ethnicity.
MIXED_PARENTS = {
    Ethnicity.MWBC: ((Ethnicity.WBRI,), (Ethnicity.BCRB,)),
    Ethnicity.MWBA: ((Ethnicity.WBRI, Ethnicity.WOTH), (Ethnicity.BAFR,)),
    Ethnicity.MWAS: ((Ethnicity.WBRI, Ethnicity.WOTH), (Ethnicity.AIND, Ethnicity.AOTH)),
    Ethnicity.MOTH: ((Ethnicity.WOTH, Ethnicity.BOTH), (Ethnicity.OOTH, Ethnicity.AOTH)),
}

DISABILITY_WEIGHTS = {
    Disability.AUT: 30, Disability.LD: 20, Disability.COMM: 15, Disability.BEH: 12,
    Disability.MOB: 6, Disability.HAND: 2, Disability.PC: 3, Disability.INC: 2,
    Disability.HEAR: 3, Disability.VIS: 2, Disability.CON: 2, Disability.DDA: 3,
}  # fmt: skip

ALLOCATED_SOCIAL_WORKER = "Allocated social worker"


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
)
WELL_KNOWN_USERNAMES = frozenset(a.username for a in WELL_KNOWN_ACCOUNTS)


class DemoConflict(Exception):
    """The database already holds something the demo would clash with."""


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


def staff_numbers(*, children: int, assessment_children: int, cp_children: int) -> StaffNumbers:
    """Staff for ``children`` children, of whom the given numbers are open to each service.

    Social workers hold about ``CASELOAD`` open children each and sit ``TEAM_SIZE`` to a
    team; there are always at least two assessment and two CP/CIN teams (the named teams of
    the demo) and at least one member of staff in every role.
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
class DemoResult:
    """What was made, for the command's summary and the accounts file."""

    counts: dict[str, int]
    accounts: list[AccountRow]
    staff: int


@dataclass
class Household:
    """Children and the adults they live with at one address."""

    children: list[Person]
    resident_parent: Person
    address: Address
    csc: str = ""  # "open", "closed" or "" (known, no involvement)


@dataclass
class _Worker:
    """A member of staff who can be named on involvements, with the team recorded."""

    username: str
    team: Team | None
    load: int = 0


@dataclass
class _Staff:
    """Users made in memory before they are saved, with their team memberships."""

    users: list[User] = field(default_factory=list)
    teams_of: dict[str, list[Team]] = field(default_factory=dict)
    accounts: list[AccountRow] = field(default_factory=list)


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _team_letter(index: int) -> str:
    """A, B, ... Z, AA, AB, ...: spreadsheet-style labels for CP/CIN teams."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


class _Borough:
    """Builds the borough's records in memory from one seeded random generator."""

    def __init__(self, *, children: int, seed: int, as_at: date, authority_id: int) -> None:
        self.rng = random.Random(seed)
        self.target_children = children
        self.as_at = as_at
        self.authority_id = authority_id
        self.compounds = words.family_name_compounds()
        self.age_cum_weights = list(_cumulative(AGE_WEIGHTS))
        self.people: list[Person] = []
        self.children: list[Person] = []
        self.duplicates: list[Person] = []
        self.addresses: list[Address] = []
        self.residences: list[Residence] = []
        self.relationships: list[Relationship] = []
        self.involvements: list[Involvement] = []
        self.households: list[Household] = []
        self._used_nhs: set[str] = set()
        self._used_child_ids: set[str] = set()
        self._upn_serials: dict[tuple[str, str], int] = defaultdict(int)
        self._upn_schools = [f"{n:04d}" for n in self.rng.sample(range(2001, 2999), 40)]
        self._police_serial = self.rng.randrange(10_000, 90_000)
        self._used_address_lines: set[tuple[str, str]] = set()
        self._street_postcodes: dict[str, tuple[int, int]] = {}
        self._unit_letters: dict[tuple[str, str], str] = {}
        self._block_streets: dict[str, str] = {}

    # --- Small random helpers ---------------------------------------------------------------

    def new_id(self) -> uuid.UUID:
        """A version 4 UUID drawn from the seeded generator, so primary keys repeat too."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def day_between(self, start: date, end: date) -> date:
        """A day from ``start`` to ``end`` inclusive (``start`` if the range is empty)."""
        span = (end - start).days
        return start + timedelta(days=self.rng.randint(0, span)) if span > 0 else start

    def weighted(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def family_name(self) -> str:
        name = self.rng.choice(self.compounds)
        if self.rng.random() < 0.06:
            name = f"{name}-{self.rng.choice(self.compounds)}"
        return name

    def given_names(self, sex: str, *, adult: bool) -> str:
        if adult:
            pool = words.ADULT_NAMES_FEMALE if sex == Sex.FEMALE else words.ADULT_NAMES_MALE
        else:
            pool = words.GIVEN_NAMES_FEMALE if sex == Sex.FEMALE else words.GIVEN_NAMES_MALE
        first = self.rng.choice(pool)
        if self.rng.random() < 0.3:
            middle = self.rng.choice(pool)
            if middle != first:
                return f"{first} {middle}"
        return first

    # --- Identifiers ------------------------------------------------------------------------

    def nhs_number(self) -> str:
        """A unique valid NHS number from the 999 test range."""
        while True:
            number = nhs_number_with_check_digit(f"999{self.rng.randrange(1_000_000):06d}")
            if number and number not in self._used_nhs:
                self._used_nhs.add(number)
                return number

    def la_child_id(self) -> str:
        while True:
            child_id = f"KM{self.rng.randrange(100_000, 1_000_000)}"
            if child_id not in self._used_child_ids:
                self._used_child_ids.add(child_id)
                return child_id

    def upn(self, born: date) -> str:
        """A UPN from the demo LA: LA number, school, year issued (reception), serial."""
        year = f"{(born.year + 5) % 100:02d}"
        schools = self._upn_schools
        first = self.rng.randrange(len(schools))
        for offset in range(len(schools)):
            key = (schools[(first + offset) % len(schools)], year)
            if self._upn_serials[key] < 999:
                self._upn_serials[key] += 1
                serial = self._upn_serials[key]
                return upn_with_check_letter(f"{DFE_LA_CODE}{key[0]}{year}{serial:03d}")
        # 40 schools of 999 serials a year: far more than 50,000 children need.
        raise RuntimeError(f"ran out of demo UPNs for children born in {born.year}")

    def police_reference(self) -> str:
        self._police_serial += 1
        year = (self.as_at.year - self.rng.randint(0, 10)) % 100
        return f"KMP/{year:02d}/{self._police_serial:06d}"

    # --- People -----------------------------------------------------------------------------

    def person(self, **fields) -> Person:
        person = Person(id=self.new_id(), authority_id=self.authority_id, **fields)
        person.refresh_keys()
        self.people.append(person)
        return person

    def child(self, *, family: str, born: date | None, expected: date | None, ethnicity) -> Person:
        sex = Sex.UNKNOWN if born is None else self.rng.choice((Sex.MALE, Sex.FEMALE))
        age = None if born is None else _age(born, self.as_at)
        child = self.person(
            given_names="" if born is None else self.given_names(sex, adult=False),
            family_name=family,
            date_of_birth=born,
            expected_date_of_birth=expected,
            sex=sex,
            ethnicity=ethnicity,
            disabilities=self.disabilities() if born else [],
            nhs_number=self.nhs_number() if born else None,
            upn=self.upn(born) if age is not None and age >= 4 else None,
            la_child_id=self.la_child_id(),
        )
        self.children.append(child)
        return child

    def adult(self, *, sex: str, born: date, family: str, ethnicity) -> Person:
        """An adult: at least 18 on the as-at date, so never mistaken for a child."""
        police = self.rng.random() < ADULT_POLICE_REFERENCE_SHARE
        return self.person(
            given_names=self.given_names(sex, adult=True),
            family_name=family,
            date_of_birth=min(born, _shift_years(self.as_at, -18) - timedelta(days=1)),
            sex=sex,
            ethnicity=ethnicity,
            disabilities=[],
            nhs_number=self.nhs_number(),
            police_reference=self.police_reference() if police else "",
        )

    def disabilities(self) -> list[str]:
        roll = self.rng.random()
        if roll < DISABLED_SHARE:
            codes = {self.weighted(DISABILITY_WEIGHTS) for _ in range(self.rng.choice((1, 1, 2)))}
            return sorted(str(code) for code in codes)
        # Most children are recorded as having no disability; for some it is not yet known.
        return [Disability.NONE.value] if roll < 0.9 else []

    def birth_date(self) -> date:
        age = self.rng.choices(range(18), cum_weights=self.age_cum_weights)[0]
        latest = _shift_years(self.as_at, -age)
        earliest = _shift_years(self.as_at, -(age + 1)) + timedelta(days=1)
        return self.day_between(earliest, latest)

    def sibling_birth_dates(self, count: int) -> list[date]:
        """``count`` birth dates, oldest first, at least ten months apart (bar twins)."""
        dates: list[date] = []
        for _ in range(20):
            dates = sorted(self.birth_date() for _ in range(count))
            if all((b - a).days >= 300 for a, b in zip(dates, dates[1:], strict=False)):
                break
        else:
            dates = dates[:1]
        if len(dates) >= 2 and self.rng.random() < 0.03:
            dates[-1] = dates[-2]
        return dates

    def ethnicities(self) -> tuple[str, str, str]:
        """The children's, the mother's and the father's ethnicity for one household."""
        child = self.weighted(ETHNICITY_WEIGHTS)
        if child in MIXED_PARENTS:
            one, other = MIXED_PARENTS[child]
            sides = [self.rng.choice(one), self.rng.choice(other)]
            self.rng.shuffle(sides)
            return child, sides[0], sides[1]
        return child, child, child

    # --- Addresses --------------------------------------------------------------------------

    def address(self) -> Address:
        """A new, unused address in Kingsmere with a postcode shared by its neighbours."""
        rng = self.rng
        while True:
            street = f"{rng.choice(self.compounds)} {rng.choice(words.STREET_TYPES)}"
            if rng.random() < 0.3:
                # A block of flats stands on one street, so its name always goes with it.
                block = f"{rng.choice(words.FAMILY_NAME_HEADS)} {rng.choice(words.BLOCK_TYPES)}"
                street = self._block_streets.setdefault(block, street)
                line_1, line_2, unit = f"Flat {rng.randint(1, 60)}, {block}", street, block
            else:
                number = rng.randint(1, 180)
                line_1, line_2, unit = f"{number} {street}", "", str(number // 20)
            if (line_1, line_2) not in self._used_address_lines:
                self._used_address_lines.add((line_1, line_2))
                break
        address = Address(
            id=self.new_id(),
            authority_id=self.authority_id,
            line_1=line_1,
            line_2=line_2,
            town=TOWN,
            postcode=self.postcode(street, unit),
        )
        self.addresses.append(address)
        return address

    def postcode(self, street: str, unit: str) -> str:
        district, sector = self._street_postcodes.setdefault(
            street, (self.rng.randint(1, 9), self.rng.randint(0, 9))
        )
        if (street, unit) not in self._unit_letters:
            self._unit_letters[(street, unit)] = "".join(
                self.rng.choice(words.POSTCODE_UNIT_LETTERS) for _ in range(2)
            )
        return f"{POSTCODE_AREA}{district} {sector}{self._unit_letters[(street, unit)]}"

    def live(self, person: Person, address: Address, start: date, end: date | None = None):
        self.residences.append(
            Residence(
                id=self.new_id(), person=person, address=address, start_date=start, end_date=end
            )
        )

    def relate(self, person: Person, kind: str, other: Person, start: date | None) -> None:
        self.relationships.append(
            Relationship(id=self.new_id(), person=person, other=other, kind=kind, start_date=start)
        )

    # --- Households -------------------------------------------------------------------------

    def populate(self) -> None:
        """Make households until there are ``target_children`` children, then duplicates."""
        remaining = self.target_children
        sizes = dict(HOUSEHOLD_SIZE_WEIGHTS)
        while remaining > 0:
            size = min(remaining, self.weighted(sizes))
            remaining -= len(self.household(size).children)
        self.add_duplicates()

    def household(self, size: int) -> Household:
        """One household of ``size`` children (the youngest sometimes unborn) and its adults."""
        rng, as_at = self.rng, self.as_at
        unborn = rng.random() < UNBORN_SHARE_PER_HOUSEHOLD
        born_count = size - 1 if unborn else size
        born = self.sibling_birth_dates(born_count) if born_count else []
        expected = as_at + timedelta(days=rng.randint(30, 150)) if unborn else None
        child_ethnicity, mother_ethnicity, father_ethnicity = self.ethnicities()

        first_birth = born[0] if born else expected
        last_birth = expected if unborn else born[-1]
        span = (last_birth - first_birth).days // 365
        mother_age = rng.randint(17, max(17, min(36, 44 - span)))
        mother_born = _shift_years(first_birth, -mother_age) - timedelta(days=rng.randrange(365))
        father_born = min(
            mother_born - timedelta(days=rng.randint(-3 * 365, 8 * 365)),
            _shift_years(first_birth, -18),
        )

        # Who lives here: usually the mother, sometimes the father alone; often a second adult.
        # A parent who lives elsewhere is on record for some families only.
        mother_lives_here = rng.random() >= 0.06
        roll = rng.random()
        father_lives_here = not mother_lives_here or roll < 0.42
        has_step_parent = mother_lives_here and not father_lives_here and roll < 0.57
        absent_parent_known = not (mother_lives_here and father_lives_here) and rng.random() < 0.4
        mother_recorded = mother_lives_here or absent_parent_known
        father_recorded = father_lives_here or absent_parent_known
        other_adult = rng.random() < 0.10

        mother_birth_family = self.family_name()
        father_family = self.family_name()
        mother_family = mother_birth_family
        if father_lives_here and mother_lives_here and rng.random() < 0.5:
            mother_family = father_family
        children_family = (
            father_family if father_recorded and rng.random() < 0.65 else mother_family
        )

        # Where, and since when; a quarter of families moved in from another address.
        address = self.address()
        settled = (first_birth if born else as_at) - timedelta(days=rng.randint(30, 4 * 365))
        moved = None
        if born and (as_at - born[0]).days > 120 and rng.random() < PREVIOUS_ADDRESS_SHARE:
            moved = self.day_between(born[0] + timedelta(days=30), as_at - timedelta(days=60))
        previous = self.address() if moved else None

        def house(person: Person, since: date) -> None:
            since = max(since, _shift_years(person.date_of_birth, 16))
            if previous and moved and since < moved:
                self.live(person, previous, since, moved)
                since = moved
            self.live(person, address, min(since, as_at))

        children = [
            self.child(family=children_family, born=day, expected=None, ethnicity=child_ethnicity)
            for day in born
        ]
        if unborn:
            children.append(
                self.child(
                    family=children_family, born=None, expected=expected, ethnicity=child_ethnicity
                )
            )
        for child in children:
            if child.date_of_birth is None:
                self.live(child, address, as_at - timedelta(days=rng.randint(0, 28)))
            elif previous and moved and child.date_of_birth < moved:
                self.live(child, previous, child.date_of_birth, moved)
                self.live(child, address, moved)
            else:
                self.live(child, address, child.date_of_birth)

        parents: list[tuple[Person, bool]] = []
        if mother_recorded:
            mother = self.adult(
                sex=Sex.FEMALE, born=mother_born, family=mother_family, ethnicity=mother_ethnicity
            )
            parents.append((mother, mother_lives_here))
        if father_recorded:
            father = self.adult(
                sex=Sex.MALE, born=father_born, family=father_family, ethnicity=father_ethnicity
            )
            parents.append((father, father_lives_here))
        for parent, lives_here in parents:
            if lives_here:
                house(parent, settled)
            else:  # a parent living elsewhere in the borough
                self.live(parent, self.address(), as_at - timedelta(days=rng.randint(60, 8 * 365)))
            for child in children:
                self.relate(parent, RelationshipKind.PARENT, child, child.date_of_birth)
        resident_parent = next(parent for parent, lives_here in parents if lives_here)

        earliest_join = born[-1] if born else as_at - timedelta(days=2 * 365)
        earliest_join = min(earliest_join, as_at - timedelta(days=30))
        if has_step_parent:
            carer = self.adult(
                sex=Sex.MALE if rng.random() < 0.85 else Sex.FEMALE,
                born=mother_born - timedelta(days=rng.randint(-5 * 365, 8 * 365)),
                family=self.family_name(),
                ethnicity=self.weighted(ETHNICITY_WEIGHTS),
            )
            self.join(
                carer,
                RelationshipKind.CARER,
                children,
                house,
                self.day_between(earliest_join, as_at - timedelta(days=30)),
            )
        if other_adult:
            grandparent = rng.random() < 0.7
            if grandparent:
                born_on = mother_born - timedelta(days=rng.randint(20 * 365, 30 * 365))
            else:  # an aunt, uncle or family friend of the mother's generation
                born_on = mother_born + timedelta(days=rng.randint(-5 * 365, 5 * 365))
            member = self.adult(
                sex=Sex.FEMALE if rng.random() < (0.75 if grandparent else 0.5) else Sex.MALE,
                born=born_on,
                family=mother_birth_family,
                ethnicity=mother_ethnicity,
            )
            self.join(
                member,
                RelationshipKind.HOUSEHOLD_MEMBER,
                children,
                house,
                self.day_between(min(settled, earliest_join), as_at - timedelta(days=30)),
            )

        for i, older in enumerate(children):
            for younger in children[i + 1 :]:
                self.relate(older, RelationshipKind.SIBLING, younger, younger.date_of_birth)

        household = Household(children=children, resident_parent=resident_parent, address=address)
        self.households.append(household)
        return household

    def join(self, adult: Person, kind: str, children: list[Person], house, joined: date) -> None:
        """``adult`` moves in on ``joined`` and is ``kind`` to each child from then on."""
        house(adult, joined)
        for child in children:
            since = None if child.date_of_birth is None else max(joined, child.date_of_birth)
            self.relate(adult, kind, child, since)

    def add_duplicates(self) -> None:
        """Second records of a few children: a variant spelling, same birth date, no NHS number.

        They give the duplicate checks something real to find.
        """
        candidates = [
            (household, child)
            for household in self.households
            for child in household.children
            if child.date_of_birth is not None
        ]
        count = min(len(candidates), max(1, round(self.target_children * DUPLICATE_SHARE)))
        for household, child in self.rng.sample(candidates, count):
            given, family = child.given_names.split()[0], child.family_name
            if given in words.GIVEN_NAME_VARIANTS and self.rng.random() < 0.6:
                given = words.GIVEN_NAME_VARIANTS[given]
            else:
                family = _misspelt_family_name(family)
            duplicate = self.person(
                given_names=given,
                family_name=family,
                date_of_birth=child.date_of_birth,
                sex=child.sex,
                ethnicity=Ethnicity.NOBT,
                disabilities=[],
                la_child_id=self.la_child_id(),
            )
            self.duplicates.append(duplicate)
            recorded = self.day_between(
                max(child.date_of_birth, self.as_at - timedelta(days=365)), self.as_at
            )
            self.live(duplicate, household.address, recorded)
            self.relate(
                household.resident_parent, RelationshipKind.PARENT, duplicate, child.date_of_birth
            )

    # --- Involvements -----------------------------------------------------------------------

    def choose_cases(self) -> tuple[list[Household], list[Household]]:
        """Mark households open or closed to social care: (assessment, CP/CIN) open ones.

        Whole sibling groups are opened together, as a family is allocated to one worker.
        """
        order = self.rng.sample(self.households, len(self.households))
        open_target = round(self.target_children * OPEN_CSC_SHARE)
        closed_target = round(self.target_children * CLOSED_CSC_SHARE)
        opened = closed = 0
        assessment: list[Household] = []
        cp: list[Household] = []
        for household in order:
            if opened < open_target:
                household.csc = "open"
                opened += len(household.children)
                (assessment if self.rng.random() < ASSESSMENT_SHARE_OF_OPEN else cp).append(
                    household
                )
            elif closed < closed_target and all(c.date_of_birth for c in household.children):
                household.csc = "closed"
                closed += len(household.children)
        return assessment, cp

    def involve(
        self,
        person: Person,
        *,
        agency: Agency,
        worker: _Worker,
        user_ids: dict,
        role: str,
        start: date,
        end: date | None = None,
    ) -> None:
        if person.date_of_birth:
            start = max(start, person.date_of_birth)
        if end is not None and end < start:
            return
        self.involvements.append(
            Involvement(
                id=self.new_id(),
                person=person,
                agency_id=agency.id,
                team_id=worker.team.id if worker.team else None,
                worker_id=user_ids[worker.username],
                role=role,
                start_date=start,
                end_date=end,
            )
        )

    def allocate(
        self,
        households: list[Household],
        workers: list[_Worker],
        *,
        agency: Agency,
        user_ids: dict,
        recent: bool,
        first_target: int | None = None,
    ) -> None:
        """Give each household's children to one social worker, the least loaded first.

        With ``first_target``, the first worker (sw1) is filled to about that many children
        before the others get any, so the well-known account has a realistic caseload.
        """
        remaining = list(households)
        if first_target is not None:
            head, rest = workers[0], []
            for household in remaining:
                if head.load + len(household.children) <= first_target:
                    self.open_case(household, head, agency, user_ids, recent)
                else:
                    rest.append(household)
            remaining, workers = rest, workers[1:]
        heap = [(w.load, i) for i, w in enumerate(workers)]
        heapq.heapify(heap)
        for household in remaining:
            _, i = heapq.heappop(heap)
            self.open_case(household, workers[i], agency, user_ids, recent)
            heapq.heappush(heap, (workers[i].load, i))

    def open_case(
        self, household: Household, worker: _Worker, agency: Agency, user_ids: dict, recent: bool
    ) -> None:
        if recent:  # assessment: referred within about 45 working days
            started = self.as_at - timedelta(days=self.rng.randint(0, 63))
        else:  # child in need or child protection: open for weeks to years, mostly recent
            started = self.as_at - timedelta(days=int(64 + 1000 * self.rng.random() ** 2))
        for child in household.children:
            self.involve(
                child,
                agency=agency,
                worker=worker,
                user_ids=user_ids,
                role=ALLOCATED_SOCIAL_WORKER,
                start=started,
            )
        worker.load += len(household.children)

    def close_cases(self, workers: list[_Worker], agency: Agency, user_ids: dict) -> None:
        for household in self.households:
            if household.csc != "closed":
                continue
            worker = self.rng.choice(workers)
            started = self.as_at - timedelta(days=self.rng.randint(120, 5 * 365))
            ended = min(
                started + timedelta(days=self.rng.randint(20, 365)), self.as_at - timedelta(days=1)
            )
            for child in household.children:
                self.involve(
                    child,
                    agency=agency,
                    worker=worker,
                    user_ids=user_ids,
                    role=ALLOCATED_SOCIAL_WORKER,
                    start=started,
                    end=ended,
                )

    def partner_involvements(
        self,
        eligible: Sequence[Person],
        share: float,
        workers: list[_Worker],
        *,
        agency: Agency,
        user_ids: dict,
        role: str,
    ) -> None:
        """Involve partner workers with about ``share`` of ``eligible`` children.

        The first worker is the well-known account: it gets 4 to 8 children (fewer only if
        there are not that many), so a newcomer signing in sees a handful, never a crowd.
        """
        pool = self.rng.sample(list(eligible), len(eligible))
        head_target = min(len(pool), self.rng.randint(4, 8))
        total = min(len(pool), max(head_target, round(share * len(pool))))
        others = workers[1:]
        for n, child in enumerate(pool[:total]):
            if n < head_target:
                worker = workers[0]
            elif others:
                worker = others[(n - head_target) % len(others)]
            else:
                break
            started = self.as_at - timedelta(days=self.rng.randint(0, 540))
            self.involve(
                child, agency=agency, worker=worker, user_ids=user_ids, role=role, start=started
            )


def _cumulative(weights: Iterable[float]) -> Iterable[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _misspelt_family_name(name: str) -> str:
    """The name with its first part's ending misspelt so that it still sounds the same."""
    first, _, rest = name.partition("-")
    for head in words.FAMILY_NAME_HEADS:
        tail = first[len(head) :]
        if first.startswith(head) and tail in words.FAMILY_NAME_TAIL_VARIANTS:
            first = head + words.FAMILY_NAME_TAIL_VARIANTS[tail]
            break
    return f"{first}-{rest}" if rest else first


# --- Staff -----------------------------------------------------------------------------------


class _StaffMaker:
    """Agencies, teams and users, saved as they are made (there are few of them)."""

    def __init__(self, borough: _Borough, authority: LocalAuthority, password_hash: str) -> None:
        self.borough = borough
        self.rng = borough.rng
        self.authority = authority
        self.password_hash = password_hash
        self.staff = _Staff()
        # Generated usernames avoid every existing one, not only the well-known ones.
        self._usernames = set(WELL_KNOWN_USERNAMES) | set(
            User.objects.values_list("username", flat=True)
        )

    def agency(self, name: str, kind: str) -> Agency:
        return Agency.objects.create(authority=self.authority, name=name, kind=kind)

    def team(self, agency: Agency, name: str) -> Team:
        return Team.objects.create(agency=agency, name=name)

    def user(
        self,
        *,
        agency: Agency,
        role: Role,
        teams: list[Team],
        job_title: str,
        domain: str,
        username: str | None = None,
    ) -> str:
        """Make a user in memory and return the username; well-known ones are listed."""
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
            )
        )
        self.staff.teams_of[username] = teams
        return username


@dataclass
class _Organisation:
    """The agencies and the workers who can be named on involvements."""

    csc: Agency
    police: Agency
    health: Agency
    education: Agency
    voluntary: Agency
    assessment_workers: list[_Worker]
    cp_workers: list[_Worker]
    police_workers: list[_Worker]
    health_visitors: list[_Worker]
    school_nurses: list[_Worker]
    school_dsls: list[_Worker]
    voluntary_workers: list[_Worker]


def _make_organisation(maker: _StaffMaker, numbers: StaffNumbers) -> _Organisation:
    """Create the agencies and teams and make (in memory) every member of staff."""
    user = maker.user
    csc = maker.agency("Kingsmere Children's Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE)
    council = "kingsmere.example"
    front_door = maker.team(csc, "Front Door (MASH)")
    assessment_teams = [
        maker.team(csc, f"Assessment Team {i + 1}") for i in range(numbers.assessment_teams)
    ]
    cp_teams = [
        maker.team(csc, f"Child Protection and CIN Team {_team_letter(i)}")
        for i in range(numbers.cp_teams)
    ]
    performance = maker.team(csc, "Performance and Intelligence")
    systems = maker.team(csc, "Systems")

    # Team managers: tm1 manages CP/CIN Team A, where sw1 works.
    user(
        agency=csc,
        role=Role.TEAM_MANAGER,
        teams=[cp_teams[0]],
        job_title="Team manager",
        domain=council,
        username="tm1",
    )
    for team in [front_door, *assessment_teams, *cp_teams[1:]]:
        user(
            agency=csc,
            role=Role.TEAM_MANAGER,
            teams=[team],
            job_title="Team manager",
            domain=council,
        )

    # Service managers: one per four teams of each service; sm1 heads CP/CIN Team A's group.
    def service_managers(teams: list[Team], count: int, first_username: str | None) -> None:
        for i in range(count):
            group = teams[i::count]
            user(
                agency=csc,
                role=Role.SERVICE_MANAGER,
                teams=group,
                job_title="Service manager",
                domain=council,
                username=first_username if i == 0 else None,
            )

    service_managers(cp_teams, numbers.cp_service_managers, "sm1")
    service_managers([front_door, *assessment_teams], numbers.assessment_service_managers, None)

    def social_workers(teams: list[Team], count: int, first_username: str | None) -> list[_Worker]:
        workers = []
        for i in range(count):
            team = teams[i % len(teams)]
            title = "Senior social worker" if i % 4 == 3 else "Social worker"
            name = user(
                agency=csc,
                role=Role.SOCIAL_WORKER,
                teams=[team],
                job_title=title,
                domain=council,
                username=first_username if i == 0 else None,
            )
            workers.append(_Worker(name, team))
        return workers

    cp_workers = social_workers(cp_teams, numbers.cp_workers, "sw1")
    assessment_workers = social_workers(assessment_teams, numbers.assessment_workers, None)
    social_workers([front_door], numbers.front_door_workers, None)

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
    ) -> list[_Worker]:
        workers = []
        for i in range(count):
            name = user(
                agency=agency,
                role=Role.PARTNER_PRACTITIONER,
                teams=[team] if team else [],
                job_title=job_title,
                domain=domain,
                username=first_username if i == 0 else None,
            )
            # A named worker's involvement grants that worker only; a team's grants all of it.
            workers.append(_Worker(name, team if name_team else None))
        return workers

    police = maker.agency("Kingsmere Police Service", AgencyKind.POLICE)
    cait = maker.team(police, "Child Abuse Investigation Team")
    police_workers = partners(
        police, cait, numbers.police, "police1", "Detective constable", "kingsmere-police.example"
    )

    health = maker.agency("Kingsmere Hospitals NHS Trust", AgencyKind.HEALTH)
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
    school_dsls: list[_Worker] = []
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

    return _Organisation(
        csc=csc,
        police=police,
        health=health,
        education=education,
        voluntary=voluntary,
        assessment_workers=assessment_workers,
        cp_workers=cp_workers,
        police_workers=police_workers,
        health_visitors=health_visitors,
        school_nurses=school_nurses,
        school_dsls=school_dsls,
        voluntary_workers=voluntary_workers,
    )


def _save_staff(staff: _Staff) -> dict[str, int]:
    """Insert the users and their team memberships; return user ids by username."""
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
    return user_ids


# --- Entry points ----------------------------------------------------------------------------


def check_no_conflict() -> None:
    """Raise DemoConflict if the demo's authority or well-known usernames already exist."""
    if LocalAuthority.objects.filter(dfe_la_code=DFE_LA_CODE).exists() or (
        LocalAuthority.objects.filter(name=AUTHORITY_NAME).exists()
    ):
        raise DemoConflict(f"the demo authority ({AUTHORITY_NAME}, {DFE_LA_CODE}) already exists")
    taken = sorted(
        User.objects.filter(username__in=WELL_KNOWN_USERNAMES).values_list("username", flat=True)
    )
    if taken:
        raise DemoConflict(f"demo usernames already in use: {', '.join(taken)}")


def build_demo_borough(
    *, children: int, seed: int, as_at: date, password_hash: str, on_saved=None
) -> DemoResult:
    """Create the whole demo borough in one transaction and return what was made.

    ``password_hash`` is set on every demo user. ``on_saved(result)``, if given, runs inside
    the transaction after everything is inserted (the command writes the accounts file there,
    so that a failure to write it leaves no accounts nobody can sign in to).
    Raises ValueError for a size outside MIN_CHILDREN..MAX_CHILDREN and DemoConflict if the
    authority or a well-known username already exists.
    """
    if not MIN_CHILDREN <= children <= MAX_CHILDREN:
        raise ValueError(f"the number of children must be {MIN_CHILDREN} to {MAX_CHILDREN:,}")
    with transaction.atomic():
        check_no_conflict()
        authority = LocalAuthority.objects.create(name=AUTHORITY_NAME, dfe_la_code=DFE_LA_CODE)
        borough = _Borough(children=children, seed=seed, as_at=as_at, authority_id=authority.id)
        borough.populate()
        assessment, cp = borough.choose_cases()
        numbers = staff_numbers(
            children=children,
            assessment_children=sum(len(h.children) for h in assessment),
            cp_children=sum(len(h.children) for h in cp),
        )
        maker = _StaffMaker(borough, authority, password_hash)
        org = _make_organisation(maker, numbers)
        user_ids = _save_staff(maker.staff)
        _plan_involvements(borough, org, assessment, cp, user_ids)
        _save_people(borough)
        order = [account.username for account in WELL_KNOWN_ACCOUNTS]
        result = DemoResult(
            counts=_counts(borough, maker.staff),
            accounts=sorted(maker.staff.accounts, key=lambda row: order.index(row.username)),
            staff=len(maker.staff.users),
        )
        if on_saved is not None:
            on_saved(result)
    return result


def _plan_involvements(
    borough: _Borough,
    org: _Organisation,
    assessment: list[Household],
    cp: list[Household],
    user_ids: dict[str, int],
) -> None:
    csc = org.csc
    borough.allocate(
        cp,
        org.cp_workers,
        agency=csc,
        user_ids=user_ids,
        recent=False,
        first_target=borough.rng.randint(12, 18),
    )
    borough.allocate(assessment, org.assessment_workers, agency=csc, user_ids=user_ids, recent=True)
    borough.close_cases(org.cp_workers + org.assessment_workers, csc, user_ids)

    as_at = borough.as_at
    born = [c for c in borough.children if c.date_of_birth]
    under_5 = [c for c in born if _age(c.date_of_birth, as_at) < 5]
    school_age = [c for c in born if c.upn]
    over_5 = [c for c in born if _age(c.date_of_birth, as_at) >= 5]
    plans = (
        (under_5, 0.20, org.health_visitors, org.health, "Health visitor"),
        (over_5, 0.03, org.school_nurses, org.health, "School nurse"),
        (school_age, 0.10, org.school_dsls, org.education, "Designated safeguarding lead"),
        (born, 0.05, org.police_workers, org.police, "Officer in the case"),
        (born, 0.05, org.voluntary_workers, org.voluntary, "Family support worker"),
    )
    for eligible, share, workers, agency, role in plans:
        borough.partner_involvements(
            eligible, share, workers, agency=agency, user_ids=user_ids, role=role
        )


def _save_people(borough: _Borough) -> None:
    """Insert everything made in memory, parents before children rows."""
    Address.objects.bulk_create(borough.addresses, batch_size=BATCH_SIZE)
    Person.objects.bulk_create(borough.people, batch_size=BATCH_SIZE)
    Residence.objects.bulk_create(borough.residences, batch_size=BATCH_SIZE)
    Relationship.objects.bulk_create(borough.relationships, batch_size=BATCH_SIZE)
    Involvement.objects.bulk_create(borough.involvements, batch_size=BATCH_SIZE)
    ChangeEvent.objects.bulk_create(
        (
            ChangeEvent(
                user=None,
                role="",
                verb=ChangeVerb.CREATED,
                target_type="people.person",
                target_id=str(person.id),
                person_id=person.id,
                before=None,
                after={"source": "demo"},
            )
            for person in borough.people
        ),
        batch_size=BATCH_SIZE,
    )


def _counts(borough: _Borough, staff: _Staff) -> dict[str, int]:
    return {
        "children": len(borough.children),
        "unborn": sum(1 for c in borough.children if c.date_of_birth is None),
        "duplicates": len(borough.duplicates),
        "adults": len(borough.people) - len(borough.children) - len(borough.duplicates),
        "households": len(borough.households),
        "addresses": len(borough.addresses),
        "residences": len(borough.residences),
        "relationships": len(borough.relationships),
        "involvements": len(borough.involvements),
        "open_csc": sum(
            1
            for i in borough.involvements
            if i.end_date is None and i.role == ALLOCATED_SOCIAL_WORKER
        ),
        "staff": len(staff.users),
    }


# --- The accounts file -----------------------------------------------------------------------

PASSWORD_LINE = "Password for every demo account: "  # noqa: S105 (a label, not a password)


def render_accounts(result: DemoResult, password: str, *, made_with: str) -> str:
    """The accounts file: the well-known accounts as a table, and the shared password."""
    header = ("Username", "Role", "Agency", "Team", "Job title")
    rows = [(a.username, a.role_label, a.agency, a.team, a.job_title) for a in result.accounts]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    others = result.staff - len(result.accounts)
    return "\n".join(
        [
            f"Safeguard demo accounts: {AUTHORITY_NAME} (fictional; every record is synthetic)",
            f"Made by: {made_with}",
            "",
            f"{PASSWORD_LINE}{password}",
            "",
            line(header),
            line(["-" * w for w in widths]),
            *(line(r) for r in rows),
            "",
            f"The other {others:,} demo staff (usernames like firstname.familyname) share the "
            "same password.",
            "Keep this file private: anyone who reads it can sign in to this database.",
            "",
        ]
    )


def write_accounts_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Open with 0o600 so the password is never readable by others, even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)


def read_demo_password(path: Path) -> str:
    """The shared password recorded in an accounts file. Raises FileNotFoundError, ValueError."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(PASSWORD_LINE):
            return line[len(PASSWORD_LINE) :].strip()
    raise ValueError(f"{path} has no password line")
