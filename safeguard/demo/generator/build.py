"""``build_demo_borough``: the whole borough, made in memory and saved in one transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from safeguard.accounts.models import LocalAuthority, User
from safeguard.audit.models import ChangeEvent, ChangeVerb
from safeguard.demo.generator import audits as case_file_audits
from safeguard.demo.generator import backlog as backlog_reviews
from safeguard.demo.generator import boards as demo_boards
from safeguard.demo.generator import earlyhelp_figures, inspections
from safeguard.demo.generator import transfers as demo_transfers
from safeguard.demo.generator.accounts import DemoResult
from safeguard.demo.generator.administration import (
    FIRST_REFERRAL_SEEN_WD,
    administer,
    reword_indicator,
    tighten_standard,
)
from safeguard.demo.generator.authorisations import build_authorisations
from safeguard.demo.generator.caseloads import assign_workers
from safeguard.demo.generator.chairs import add_chair_work
from safeguard.demo.generator.common import (
    AUTHORITY_NAME,
    BATCH_SIZE,
    DFE_LA_CODE,
    MAX_CHILDREN,
    MIN_CHILDREN,
    age_on,
    make,
)
from safeguard.demo.generator.contacts import Contacts
from safeguard.demo.generator.contributions import make_contributions
from safeguard.demo.generator.cover import review_waiting_cases
from safeguard.demo.generator.directory import build_directory
from safeguard.demo.generator.documents import add_documents
from safeguard.demo.generator.earlyhelp import EarlyHelp
from safeguard.demo.generator.family import add_family_network
from safeguard.demo.generator.governance import build_governance
from safeguard.demo.generator.histories import FamilyEpisode, Histories, open_counts
from safeguard.demo.generator.information_requests import make_information_requests
from safeguard.demo.generator.journeys import ASSESSMENT_TEAM, CP_TEAM
from safeguard.demo.generator.looked_after import make_looked_after
from safeguard.demo.generator.lookups import make_lookups
from safeguard.demo.generator.partner_referrals import make_partner_referrals
from safeguard.demo.generator.people import Borough
from safeguard.demo.generator.plans import add_cin_plan_content, add_plan_content
from safeguard.demo.generator.procedures import publish_procedures
from safeguard.demo.generator.records import Records
from safeguard.demo.generator.service_referrals import make_service_referrals
from safeguard.demo.generator.sharing_decisions import make_sharing_decisions
from safeguard.demo.generator.staff import (
    WELL_KNOWN_ACCOUNTS,
    WELL_KNOWN_USERNAMES,
    Organisation,
    Staff,
    StaffMaker,
    make_organisation,
    save_staff,
    staff_numbers,
)
from safeguard.demo.generator.supervision import build_supervision
from safeguard.demo.generator.thresholds import load_default_thresholds
from safeguard.demo.generator.workforce import build_workforce
from safeguard.people.models import Address, Involvement, Person, Relationship, Residence
from safeguard.timescales import projection

# Family episodes made into records and saved at a time, to keep memory flat.
EPISODES_PER_SAVE = 500


class DemoConflict(Exception):
    """The database already holds something the demo would clash with."""


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
    with transaction.atomic(), projection.deferred():
        check_no_conflict()
        authority = LocalAuthority.objects.create(
            name=AUTHORITY_NAME,
            dfe_la_code=DFE_LA_CODE,
            referral_seen_wd=FIRST_REFERRAL_SEEN_WD,  # tightened by the administrator below
        )
        threshold = load_default_thresholds(authority)
        borough = Borough(children=children, seed=seed, as_at=as_at, authority_id=authority.id)
        borough.populate()
        episodes = Histories(borough).plan()
        open_now = open_counts(episodes)
        numbers = staff_numbers(
            children=children,
            assessment_children=open_now[ASSESSMENT_TEAM],
            cp_children=open_now[CP_TEAM],
            cp_plan_children=open_now["cp_plan"],
        )
        maker = StaffMaker(borough, authority, password_hash)
        org = make_organisation(maker, numbers)
        save_staff(maker.staff)
        administer(org)  # the management lines, named by the administrator (audited)
        tighten_standard(authority)
        assign_workers(episodes, org, borough.rng, as_at)
        _partner_involvements(borough, org)
        _save_people(borough)
        contacts = Contacts(borough, org, threshold, authority.id)
        records = Records(borough, org, contacts, authority.id)
        for start in range(0, len(episodes), EPISODES_PER_SAVE):
            records.build(episodes[start : start + EPISODES_PER_SAVE])
            contacts.save()
            records.save()
        contacts.others(episodes)
        contacts.waiting(episodes)
        contacts.waiting_together(episodes)
        contacts.save()
        early_help = _early_help(borough, org, authority.id, contacts, records, episodes)
        plan_counts = add_plan_content(
            rng=borough.rng, new_id=borough.new_id, authority_id=authority.id, as_at=as_at
        )
        plan_counts |= add_cin_plan_content(seed=seed, authority_id=authority.id, as_at=as_at)
        chair_counts = add_chair_work(authority=authority, seed=seed, as_at=as_at)
        sealed = _seal_demo_children(authority)
        documents = add_documents(authority, seed=seed, as_at=as_at)
        moved = demo_transfers.build(authority, seed=seed, as_at=as_at)
        review_waiting_cases(authority, borough.rng, as_at)
        workforce = build_workforce(authority, seed=seed, as_at=as_at)
        supervision = build_supervision(authority, as_at=as_at, seed=seed)
        authorisations = build_authorisations(authority, as_at=as_at, seed=seed)
        looked_after = make_looked_after(authority, seed=seed, as_at=as_at)
        lookups = make_lookups(authority, seed=seed)
        audits = case_file_audits.build(authority, as_at, seed)
        backlog_reviewed = backlog_reviews.build(authority, as_at, seed)
        inspection = inspections.build(authority, as_at, seed)
        publish_procedures(authority, seed=seed, as_at=as_at)
        partner_referrals = make_partner_referrals(authority, seed=seed, as_at=as_at)
        information_requests = make_information_requests(authority, seed=seed, as_at=as_at)
        contributions = make_contributions(authority, seed=seed, as_at=as_at)
        sharing_decisions = make_sharing_decisions(authority, seed=seed, as_at=as_at)
        directory = build_directory(authority, seed=seed, as_at=as_at)
        service_referrals = make_service_referrals(authority, seed=seed, as_at=as_at)
        family = add_family_network(borough, authority_id=authority.id, as_at=as_at, seed=seed)
        early_help_figures = earlyhelp_figures.build(authority, seed=seed, as_at=as_at)
        governance = build_governance(authority, seed=seed, as_at=as_at)
        # After the audits and the partners' work: the packs count them (decision 0084).
        boards, board_accounts = demo_boards.build(authority, as_at, seed, password_hash)
        maker.staff.accounts.extend(board_accounts)
        reword_indicator(authority)  # after every contact is decided: they keep the old words
        # The records went in by bulk inserts, which tell nobody: work out what is due.
        due_items = projection.rebuild(authority=authority)
        order = [account.username for account in WELL_KNOWN_ACCOUNTS]
        counts = _counts(borough, maker.staff, episodes, records, contacts)
        counts["involvements"] += early_help.saved["people.involvement"]
        result = DemoResult(
            counts={
                **counts,
                "early_help_assessments": early_help.saved["earlyhelp.earlyhelpassessment"],
                "teams_around_family": early_help.saved["earlyhelp.teamaroundfamily"],
                **plan_counts,
                **chair_counts,
                "sealed": sealed,
                "documents": documents,
                "case_file_audits": audits,
                "backlog_reviews": backlog_reviewed,
                **inspection,
                "due_items": due_items,
                **supervision,
                **authorisations,
                **looked_after,
                **lookups,
                **partner_referrals,
                **information_requests,
                **contributions,
                **sharing_decisions,
                **directory,
                **service_referrals,
                **workforce,
                **moved,
                **family,
                **early_help_figures,
                **governance,
                **boards,
            },
            accounts=sorted(maker.staff.accounts, key=lambda row: order.index(row.username)),
            staff=len(maker.staff.users),
        )
        if on_saved is not None:
            on_saved(result)
    return result


def _early_help(borough, org, authority_id, contacts, records, episodes) -> EarlyHelp:
    """Early help for the contacts diverted to it and the cases stepping down to it."""
    early_help = EarlyHelp(borough, org, authority_id)
    for child, decided, contact_id in contacts.early_help:
        early_help.from_contact(child, decided, contact_id)
    for child, completed, case_id in records.step_downs:
        early_help.from_step_down(child, completed, case_id)
    early_help.build(episodes)
    early_help.save()
    return early_help


SEAL_REASONS = (
    "Demo: the child is a relative of a member of staff in the borough",
    "Demo: a high-profile case reported in the local press",
)


def _seal_demo_children(authority) -> int:
    """Seal two children held outside Team A (so that ``sw1`` and ``tm1`` find them but see
    nothing): each is sealed by their worker's team manager, naming the worker, through the
    real service. Deterministic: the first such children by local child id."""
    from safeguard.accounts.models import Role
    from safeguard.people.services import person_seal

    well_known_sw = User.objects.get(username="sw1")
    team_a = set(well_known_sw.teams.values_list("id", flat=True))
    chosen = []
    involvements = (
        Involvement.objects.filter(
            person__authority=authority,
            person__la_child_id__isnull=False,
            agency__kind="csc",
            worker__isnull=False,
            team__isnull=False,
            end_date__isnull=True,
        )
        .exclude(team_id__in=team_a)
        .select_related("person", "worker", "team")
        .order_by("person__la_child_id")
    )
    for inv in involvements:
        if len(chosen) == len(SEAL_REASONS):
            break
        if inv.person_id in {i.person_id for i in chosen}:
            continue
        if inv.team_id in {i.team_id for i in chosen}:
            continue
        manager = User.objects.filter(role=Role.TEAM_MANAGER, teams=inv.team_id).first()
        if manager is None:
            continue
        inv.manager = manager
        chosen.append(inv)
    for inv, reason in zip(chosen, SEAL_REASONS, strict=False):
        person_seal(by=inv.manager, person=inv.person, reason=reason, members=[inv.worker])
    return len(chosen)


def _partner_involvements(borough: Borough, org: Organisation) -> None:
    as_at = borough.as_at
    born = [c for c in borough.children if c.date_of_birth]
    under_5 = [c for c in born if age_on(c.date_of_birth, as_at) < 5]
    school_age = [c for c in born if c.upn]
    over_5 = [c for c in born if age_on(c.date_of_birth, as_at) >= 5]
    plans = (
        (under_5, 0.20, org.health_visitors, org.health, "Health visitor"),
        (over_5, 0.03, org.school_nurses, org.health, "School nurse"),
        (school_age, 0.10, org.school_dsls, org.education, "Designated safeguarding lead"),
        (born, 0.05, org.police_workers, org.police, "Officer in the case"),
        (born, 0.05, org.voluntary_workers, org.voluntary, "Family support worker"),
    )
    for eligible, share, workers, agency, role in plans:
        borough.partner_involvements(eligible, share, workers, agency=agency, role=role)


def _save_people(borough: Borough) -> None:
    """Insert everything made in memory, parents before children rows."""
    Address.objects.bulk_create(borough.addresses, batch_size=BATCH_SIZE)
    Person.objects.bulk_create(borough.people, batch_size=BATCH_SIZE)
    Residence.objects.bulk_create(borough.residences, batch_size=BATCH_SIZE)
    Relationship.objects.bulk_create(borough.relationships, batch_size=BATCH_SIZE)
    Involvement.objects.bulk_create(borough.involvements, batch_size=BATCH_SIZE)
    ChangeEvent.objects.bulk_create(
        (
            make(
                ChangeEvent,
                verb=ChangeVerb.CREATED,
                target_type="people.person",
                target_id=str(person.id),
                person_id=person.id,
                after={"source": "demo"},
            )
            for person in borough.people
        ),
        batch_size=BATCH_SIZE,
    )


def _counts(
    borough: Borough,
    staff: Staff,
    episodes: list[FamilyEpisode],
    records: Records,
    contacts: Contacts,
) -> dict[str, int]:
    rows = records.saved
    cases = [(fe, len(fe.children)) for fe in episodes]
    csc = rows["people.involvement"]
    return {
        "children": len(borough.children),
        "unborn": sum(1 for c in borough.children if c.date_of_birth is None),
        "duplicates": len(borough.duplicates),
        "adults": len(borough.people) - len(borough.children) - len(borough.duplicates),
        "households": len(borough.households),
        "addresses": len(borough.addresses),
        "residences": len(borough.residences),
        "relationships": len(borough.relationships),
        "involvements": len(borough.involvements) + csc,
        "open_csc": sum(n for fe, n in cases if fe.is_open),
        "cases": rows["casework.case"],
        "contacts": contacts.saved,
        "assessments": rows["assessments.assessment"],
        "cp_plans": rows["protection.childprotectionplan"],
        "open_cp_plans": sum(n for fe, n in cases for p in fe.episode.plans if p.end is None),
        "visits": rows["casework.visit"],
        "chronology": rows["casework.chronologyentry"],
        "staff": len(staff.users),
    }
