"""The people of the demo borough: households of children and adults, their addresses,
relationships and identifiers, and partner agencies' involvements with them.

Every name, address and number is invented. NHS numbers come from the 999 range, which is
documented as reserved for testing; UPNs carry the pseudo-LA number 001, which no authority issues.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from safeguard.accounts.models import Agency
from safeguard.demo import vocabulary as words
from safeguard.demo.generator.common import (
    POSTCODE_AREA,
    TOWN,
    UPN_LA_NUMBER,
    Worker,
    age_on,
    cumulative,
    make,
    shift_years,
)
from safeguard.people.codes import Disability, Ethnicity, RelationshipKind, Sex, UPNUnknown
from safeguard.people.identifiers import nhs_number_with_check_digit, upn_with_check_letter
from safeguard.people.models import Address, Involvement, Person, Relationship, Residence

# Shares of the children generated (approximate; see docs/demo-borough.md).
UNBORN_SHARE_PER_HOUSEHOLD = 0.02  # about 1% of children, at 1.9 children a household
DUPLICATE_SHARE = 0.005
DISABLED_SHARE = 0.08
PREVIOUS_ADDRESS_SHARE = 0.25
ADULT_POLICE_REFERENCE_SHARE = 0.10

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


@dataclass
class Household:
    """Children and the adults they live with at one address."""

    children: list[Person]
    resident_parent: Person
    address: Address
    csc: str = ""  # "open", "closed" or "" (no case now; some have an old or NFA referral)

    @property
    def born(self) -> list[Person]:
        return [c for c in self.children if c.date_of_birth is not None]


class Borough:
    """Builds the borough's records in memory from one seeded random generator."""

    def __init__(self, *, children: int, seed: int, as_at: date, authority_id: int) -> None:
        self.rng = random.Random(seed)
        # Priorities (issue 13) draw from their own generator, so that adding them left every
        # other record of a seed's borough as it was.
        self.priority_rng = random.Random(f"{seed}:priority")
        self.target_children = children
        self.as_at = as_at
        self.authority_id = authority_id
        self.compounds = words.family_name_compounds()
        self.age_cum_weights = list(cumulative(AGE_WEIGHTS))
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
                return upn_with_check_letter(f"{UPN_LA_NUMBER}{key[0]}{year}{serial:03d}")
        # 40 schools of 999 serials a year: far more than 50,000 children need.
        raise RuntimeError(f"ran out of demo UPNs for children born in {born.year}")

    def former_upn(self, upn: str | None, la_child_id: str) -> str:
        """For about one school-age child in 30 (those who came from another school system),
        the UPN they held before: under pseudo-LA number 002, so never a current demo UPN.
        Taken from the ids already drawn, so the rest of the borough is unchanged."""
        serial = int(la_child_id[2:])
        if not upn or serial % 30:
            return ""
        return upn_with_check_letter(f"002{upn[4:8]}{upn[8:10]}{serial % 1000:03d}")

    def police_reference(self) -> str:
        self._police_serial += 1
        year = (self.as_at.year - self.rng.randint(0, 10)) % 100
        return f"KMP/{year:02d}/{self._police_serial:06d}"

    # --- People -----------------------------------------------------------------------------

    def person(self, **fields) -> Person:
        person = make(Person, id=self.new_id(), authority_id=self.authority_id, **fields)
        person.refresh_keys()
        self.people.append(person)
        return person

    def child(self, *, family: str, born: date | None, expected: date | None, ethnicity) -> Person:
        sex = Sex.UNKNOWN if born is None else self.rng.choice((Sex.MALE, Sex.FEMALE))
        age = None if born is None else age_on(born, self.as_at)
        # Drawn in this order, as always, so that the borough stays the same.
        given_names = "" if born is None else self.given_names(sex, adult=False)
        disabilities = self.disabilities() if born else []
        nhs_number = self.nhs_number() if born else None
        upn = self.upn(born) if age is not None and age >= 4 else None
        la_child_id = self.la_child_id()
        child = self.person(
            given_names=given_names,
            family_name=family,
            date_of_birth=born,
            expected_date_of_birth=expected,
            sex=sex,
            ethnicity=ethnicity,
            disabilities=disabilities,
            nhs_number=nhs_number,
            upn=upn,
            former_upn=self.former_upn(upn, la_child_id),
            # The census's reason for a missing UPN: a child too young for school has none.
            upn_unknown=UPNUnknown.UN1 if age is not None and age < 4 else "",
            la_child_id=la_child_id,
        )
        self.children.append(child)
        return child

    def adult(self, *, sex: str, born: date, family: str, ethnicity) -> Person:
        """An adult: at least 18 on the as-at date, so never mistaken for a child."""
        police = self.rng.random() < ADULT_POLICE_REFERENCE_SHARE
        return self.person(
            given_names=self.given_names(sex, adult=True),
            family_name=family,
            date_of_birth=min(born, shift_years(self.as_at, -18) - timedelta(days=1)),
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
        latest = shift_years(self.as_at, -age)
        earliest = shift_years(self.as_at, -(age + 1)) + timedelta(days=1)
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
        address = make(
            Address,
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
            make(
                Residence,
                id=self.new_id(),
                person_id=person.id,
                address_id=address.id,
                start_date=start,
                end_date=end,
            )
        )

    def relate(
        self,
        person: Person,
        kind: str,
        other: Person,
        start: date | None,
        *,
        responsibility: bool = False,
    ) -> None:
        self.relationships.append(
            make(
                Relationship,
                id=self.new_id(),
                person_id=person.id,
                other_id=other.id,
                kind=kind,
                start_date=start,
                parental_responsibility=responsibility,
            )
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
        mother_born = shift_years(first_birth, -mother_age) - timedelta(days=rng.randrange(365))
        father_born = min(
            mother_born - timedelta(days=rng.randint(-3 * 365, 8 * 365)),
            shift_years(first_birth, -18),
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
            since = max(since, shift_years(person.date_of_birth, 16))
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
            # Both parents hold parental responsibility: the mother always, the father as
            # one named on the birth registration.
            for child in children:
                self.relate(
                    parent, RelationshipKind.PARENT, child, child.date_of_birth, responsibility=True
                )
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
            # The resident parent's partner: lives with the children, without parental
            # responsibility for them.
            self.join(
                carer,
                RelationshipKind.PARENTS_PARTNER,
                children,
                house,
                self.day_between(earliest_join, as_at - timedelta(days=30)),
            )
        if other_adult:
            grandparent = rng.random() < 0.7
            if grandparent:
                born_on = mother_born - timedelta(days=rng.randint(20 * 365, 30 * 365))
            else:  # an aunt or uncle of the mother's generation
                born_on = mother_born + timedelta(days=rng.randint(-5 * 365, 5 * 365))
            member = self.adult(
                sex=Sex.FEMALE if rng.random() < (0.75 if grandparent else 0.5) else Sex.MALE,
                born=born_on,
                family=mother_birth_family,
                ethnicity=mother_ethnicity,
            )
            self.join(
                member,
                RelationshipKind.GRANDPARENT if grandparent else RelationshipKind.WIDER_FAMILY,
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

    def involve(
        self,
        person: Person,
        *,
        agency: Agency,
        worker: Worker,
        role: str,
        start: date,
        end: date | None = None,
    ) -> None:
        if person.date_of_birth:
            start = max(start, person.date_of_birth)
        if end is not None and end < start:
            return
        self.involvements.append(
            make(
                Involvement,
                id=self.new_id(),
                person_id=person.id,
                agency_id=agency.id,
                team_id=worker.team.id if worker.team else None,
                worker_id=worker.user_id,
                role=role,
                start_date=start,
                end_date=end,
            )
        )

    def partner_involvements(
        self,
        eligible: Sequence[Person],
        share: float,
        workers: list[Worker],
        *,
        agency: Agency,
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
            self.involve(child, agency=agency, worker=worker, role=role, start=started)


def _misspelt_family_name(name: str) -> str:
    """The name with its first part's ending misspelt so that it still sounds the same."""
    first, _, rest = name.partition("-")
    for head in words.FAMILY_NAME_HEADS:
        tail = first[len(head) :]
        if first.startswith(head) and tail in words.FAMILY_NAME_TAIL_VARIANTS:
            first = head + words.FAMILY_NAME_TAIL_VARIANTS[tail]
            break
    return f"{first}-{rest}" if rest else first
