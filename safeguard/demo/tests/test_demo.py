"""The demo borough: contents, identifiers, determinism, accounts and refusal rules."""

import io
import stat
from datetime import date, timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from safeguard.accounts.models import Role, Team, User
from safeguard.audit.models import ChangeEvent
from safeguard.demo import generator, vocabulary
from safeguard.demo.generator.common import UPN_LA_NUMBER
from safeguard.people.identifiers import clean_la_child_id, clean_nhs_number, clean_upn
from safeguard.people.models import Involvement, Person, Relationship, Residence, Seal
from safeguard.people.permissions import restricted_to, visible_to

AS_AT = "2026-06-30"
AS_AT_DATE = date(2026, 6, 30)
PARTNERS = ("police1", "health1", "school1", "voluntary1")


def run_demo(**options) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **{"children": 60, "seed": 7, "as_at": AS_AT, **options})
    return out.getvalue()


@pytest.fixture
def accounts_file(settings, tmp_path):
    path = tmp_path / "var" / "demo-accounts.txt"
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = path
    return path


@pytest.fixture
def demo(db, accounts_file):
    run_demo()
    return accounts_file


def children():
    return Person.objects.filter(la_child_id__isnull=False)


@pytest.mark.django_db
def test_summary_line_reports_counts_and_time(accounts_file):
    output = run_demo()
    assert "60 children" in output
    assert " s." in output
    assert str(accounts_file) in output


@pytest.mark.django_db
def test_the_demo_checks_every_child_for_data_quality(accounts_file):
    """So that its dashboard can mark figures validated (or show their errors) at once."""
    from safeguard.quality.models import QualityCheck, QualityIssue

    output = run_demo()
    check = QualityCheck.objects.get()
    assert check.children == children().filter(cases__isnull=False).distinct().count() > 0
    assert check.issues == QualityIssue.objects.count()
    assert "Data quality, every child checked:\n" in output
    errors = QualityIssue.objects.filter(severity="error").count()
    queries = check.issues - errors  # DfE census queries, counted apart (decision 0018)
    assert f"({check.authority.dfe_la_code}): {errors} errors on " in output
    assert f"; {queries} queries on " in output


@pytest.mark.django_db
def test_the_quality_check_can_be_skipped(accounts_file):
    from safeguard.quality.models import QualityCheck

    output = run_demo(quality_check=False)
    assert not QualityCheck.objects.exists() and "Data quality" not in output


@pytest.mark.django_db
def test_every_role_has_an_active_user(demo):
    roles = set(User.objects.filter(is_active=True).values_list("role", flat=True))
    assert roles == set(Role.values)


@pytest.mark.django_db
def test_well_known_accounts_sign_in_with_the_password_from_the_accounts_file(demo):
    password = generator.read_demo_password(demo)
    assert len(password) >= 16
    for account in generator.WELL_KNOWN_ACCOUNTS:
        user = authenticate(username=account.username, password=password)
        assert user is not None, account.username
        assert user.role == account.role
        assert user.first_name and user.last_name and user.agency_id
    text = demo.read_text()
    assert all(account.username in text for account in generator.WELL_KNOWN_ACCOUNTS)
    assert stat.S_IMODE(demo.stat().st_mode) == 0o600


@pytest.mark.django_db
def test_identifiers_are_valid_and_unique(demo):
    people = list(Person.objects.all())
    nhs = [p.nhs_number for p in people if p.nhs_number]
    upns = [p.upn for p in people if p.upn]
    child_ids = [p.la_child_id for p in people if p.la_child_id]
    assert nhs and upns and child_ids
    assert all(clean_nhs_number(n) == n and n.startswith("999") for n in nhs)
    assert all(clean_upn(u) == u and u[1:4] == UPN_LA_NUMBER for u in upns)
    assert all(clean_la_child_id(c) == c for c in child_ids)
    for values in (nhs, upns, child_ids):
        assert len(values) == len(set(values))


@pytest.mark.django_db
def test_children_have_the_identifiers_their_age_calls_for(demo):
    for child in children():
        age = child.age_on(AS_AT_DATE)
        if child.is_unborn:
            assert child.sex == "U" and child.nhs_number is None and child.upn is None
            assert AS_AT_DATE < child.expected_date_of_birth <= AS_AT_DATE + timedelta(days=151)
        elif child.nhs_number is None:  # a deliberate near-duplicate record
            assert child.upn is None
        else:
            assert (child.upn is not None) == (age >= 4)
            assert 0 <= age < 18
    adults = Person.objects.filter(la_child_id__isnull=True)
    assert adults.exists()
    assert all(not p.is_child_on(AS_AT_DATE) and p.nhs_number for p in adults)


@pytest.mark.django_db
def test_every_child_has_a_residence_and_a_parent(demo):
    for child in children():
        assert Residence.objects.filter(person=child, end_date__isnull=True).exists(), child
        assert Relationship.objects.filter(other=child, kind="parent").exists(), child


@pytest.mark.django_db
def test_every_person_has_one_created_change_event(demo):
    events = ChangeEvent.objects.filter(target_type="people.person", verb="created")
    assert events.count() == Person.objects.count()
    assert set(events.values_list("person_id", flat=True)) == set(
        Person.objects.values_list("id", flat=True)
    )
    assert all(e.after == {"source": "demo"} and e.user_id is None for e in events)


@pytest.mark.django_db
def test_near_duplicates_share_a_birth_date_and_a_sound_alike_family_name(demo):
    duplicates = children().filter(nhs_number__isnull=True, date_of_birth__isnull=False)
    assert duplicates.exists()
    for duplicate in duplicates:
        assert (
            children()
            .filter(
                date_of_birth=duplicate.date_of_birth,
                family_key=duplicate.family_key,
                nhs_number__isnull=False,
            )
            .exists()
        )


def _snapshot(seed: int) -> tuple:
    """Run the demo inside a transaction that is then rolled back; return what it made."""
    with transaction.atomic():
        run_demo(seed=seed)
        people = sorted(
            Person.objects.values_list(
                "id", "family_name", "given_names", "date_of_birth", "nhs_number", "upn"
            )
        )
        staff = sorted(User.objects.values_list("username", "first_name", "last_name", "role"))
        involvements = sorted(
            Involvement.objects.values_list("person_id", "worker__username", "start_date")
        )
        from safeguard.documents.models import Document

        documents = sorted(
            Document.objects.values_list("child_id", "title", "document_date", "size", "sha256")
        )
        transaction.set_rollback(True)
    return people, staff, involvements, documents


@pytest.mark.django_db
def test_same_seed_gives_the_same_borough_and_another_seed_does_not(accounts_file):
    first = _snapshot(7)
    assert not Person.objects.exists()
    assert _snapshot(7) == first
    assert _snapshot(8)[0] != first[0]


@pytest.mark.django_db
def test_if_empty_does_nothing_when_the_database_has_users(accounts_file):
    User.objects.create_user("someone", password="a long enough password")
    output = run_demo(if_empty=True)
    assert "no demo data added" in output
    assert not Person.objects.exists()
    assert not accounts_file.exists()


@pytest.mark.django_db
def test_if_empty_on_a_demo_database_adds_nothing(demo):
    people = Person.objects.count()
    run_demo(if_empty=True, seed=99)
    assert Person.objects.count() == people


@pytest.mark.django_db
def test_a_database_with_people_is_refused(demo):
    with pytest.raises(CommandError, match="demo data already present; use a fresh database"):
        run_demo()


@pytest.mark.django_db
def test_sizes_outside_the_supported_range_are_refused(accounts_file):
    for size in (generator.MIN_CHILDREN - 1, generator.MAX_CHILDREN + 1):
        with pytest.raises(CommandError, match="--children"):
            run_demo(children=size)
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_an_as_at_date_after_today_is_refused(accounts_file):
    with pytest.raises(CommandError, match="--as-at cannot be after today"):
        run_demo(as_at=(date.today() + timedelta(days=2)).isoformat())
    with pytest.raises(CommandError, match="--as-at must be a date"):
        run_demo(as_at="30/06/2026")


@pytest.mark.django_db
def test_sw1_has_open_children_in_the_team_tm1_manages(demo):
    sw1 = User.objects.get(username="sw1")
    tm1 = User.objects.get(username="tm1")
    open_cases = Involvement.objects.filter(worker=sw1, end_date__isnull=True)
    assert 1 <= open_cases.count() <= 18
    team = Team.objects.get(name="Child Protection and CIN Team A")
    assert set(open_cases.values_list("team", flat=True)) == {team.id}
    assert team in sw1.teams.all() and team in tm1.teams.all()
    assert tm1.role == Role.TEAM_MANAGER


@pytest.mark.django_db
def test_every_social_care_team_has_a_manager_and_sits_in_a_service(demo):
    from safeguard.accounts.roles import MANAGER_ROLES
    from safeguard.accounts.selectors import social_care_teams
    from safeguard.casework.selectors import team_line_manager

    teams = list(social_care_teams(User.objects.get(username="sw1").authority_id))
    services = [t for t in teams if t.name.endswith("Service")]
    assert len(services) == 3
    for team in teams:
        assert team.manager is not None and team.manager.role in MANAGER_ROLES, team
        assert (team.parent is None) == (team in services), team
        assert team.parent is None or team.parent in services, team
    team_a = Team.objects.get(name="Child Protection and CIN Team A")
    assert team_a.manager.username == "tm1"
    assert team_line_manager(team_a.parent).username == "sm1"
    # The administrator renamed the health trust (decision 0077): the history shows both names.
    from safeguard.accounts.models import Agency

    trust = Agency.objects.get(name="Kingsmere Hospitals NHS Trust")
    renamed = ChangeEvent.objects.get(target_type="accounts.agency", target_id=str(trust.pk))
    assert renamed.user.username == "admin1"
    assert renamed.before["name"] == "Kingsmere and District Hospitals Trust"
    assert renamed.after["name"] == trust.name


@pytest.mark.django_db
def test_the_caseload_board_of_team_a_has_workers_with_cases(demo):
    from safeguard.workforce.selectors import team_board

    board = team_board(Team.objects.get(name="Child Protection and CIN Team A"), on=AS_AT_DATE)
    sw1 = next(load for load in board.loads if load.worker.username == "sw1")
    assert sw1.case_count >= 1 and sw1.weighted > 0 and not sw1.newly_qualified
    assert {c.stage.code for c in sw1.cases} & {"cp_plan", "cin"}
    newly = User.objects.filter(role=Role.SOCIAL_WORKER, qualified_on__gt=AS_AT_DATE - timedelta(days=365))
    assert 0 < newly.count() < User.objects.filter(role=Role.SOCIAL_WORKER).count()


@pytest.mark.django_db
def test_partners_see_a_handful_of_children_and_others_see_none(demo):
    everyone = Person.objects.count()
    for username in PARTNERS:
        seen = visible_to(User.objects.get(username=username)).count()
        assert 1 <= seen <= 10 < everyone, username
    assert visible_to(User.objects.get(username="aande1")).count() == 0
    assert visible_to(User.objects.get(username="admin1")).count() == 0
    # sw1 sees everyone but the two sealed children, which she can find but not see.
    sw1 = User.objects.get(username="sw1")
    assert visible_to(sw1).count() == everyone - 2
    assert restricted_to(sw1).count() == 2
    # A few children are looked after (decision 0076), and the A&E demo lookups include one.
    from safeguard.casework.models import LookedAfterPeriod
    from safeguard.partners.models import Lookup

    current = LookedAfterPeriod.objects.filter(end_date__isnull=True)
    assert 1 <= current.count() < Person.objects.filter(cases__isnull=False).distinct().count() / 10
    assert Lookup.objects.filter(person_id__in=current.values("case__child_id")).exists()


@pytest.mark.django_db
def test_two_children_are_sealed_naming_their_worker(demo):
    seals = list(Seal.objects.select_related("person", "sealed_by"))
    assert len(seals) == 2
    for seal in seals:
        assert seal.reason.startswith("Demo: ")
        assert seal.sealed_by.role == Role.TEAM_MANAGER
        workers = seal.members.exclude(user=seal.sealed_by).values_list("user", flat=True)
        assert Involvement.objects.filter(
            person=seal.person, worker__in=workers, end_date__isnull=True
        ).exists()
        for username in ("sw1", "tm1", "police1"):
            assert not visible_to(User.objects.get(username=username)).filter(pk=seal.person_id).exists()


@pytest.mark.django_db
def test_names_come_from_the_synthetic_lists(demo):
    for person in Person.objects.all():
        assert vocabulary.is_synthetic_family_name(person.family_name), person.family_name
        if person.given_names:
            assert vocabulary.is_synthetic_given_name(person.given_names), person.given_names
        else:
            assert person.is_unborn
    # An organisation's API account (partners) is named after the organisation: not a person.
    for user in User.objects.filter(api_keys__isnull=True):
        assert vocabulary.is_synthetic_family_name(user.last_name), user.last_name
        assert vocabulary.is_synthetic_given_name(user.first_name), user.first_name


def test_real_looking_names_are_not_synthetic():
    assert not vocabulary.is_synthetic_family_name("Smith")
    assert not vocabulary.is_synthetic_family_name("Nettlefold")
    assert vocabulary.is_synthetic_family_name("Yarrowmere-Teaselwick")


@pytest.mark.django_db
def test_demo_accounts_prints_the_accounts_file(demo):
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    assert text.startswith("Sign in at http://127.0.0.1:8000/ with any of these accounts.")
    assert generator.read_demo_password(demo) in text
    assert "sw1" in text and "Social worker" in text


def test_demo_accounts_without_a_file_says_how_to_make_one(settings, tmp_path):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "missing.txt"
    with pytest.raises(CommandError, match="Run `safeguard demo`"):
        call_command("demo_accounts")


def test_staff_numbers_follow_caseloads_and_keep_every_named_team():
    small = generator.staff_numbers(children=60, assessment_children=6, cp_children=12)
    assert (small.assessment_teams, small.cp_teams) == (2, 2)
    assert small.police == small.voluntary == small.clinicians == 1
    borough = generator.staff_numbers(children=2000, assessment_children=210, cp_children=390)
    assert borough.assessment_workers + borough.cp_workers == 13 + 23
    assert (borough.assessment_teams, borough.cp_teams) == (2, 2)
    assert borough.analysts == borough.clinicians == 2


@pytest.mark.django_db
def test_some_children_have_synthetic_documents_stored_as_checked_files(demo):
    from safeguard.documents import store
    from safeguard.documents.models import Document

    documents = list(Document.objects.select_related("created_by", "case"))
    assert len(documents) >= 5
    assert {d.extension for d in documents} <= {"pdf", "png"}
    assert any(d.created_by.username == "sw1" for d in documents)
    for d in documents:
        assert d.case.child_id == d.child_id and d.created_by is not None
        content = store.path_of(d.file_key).read_bytes()
        assert len(content) == d.size
        assert content.startswith(b"%PDF-" if d.extension == "pdf" else b"\x89PNG")
