"""Issue 11 item 1: a census import is done by a named system administrator, as them; it never
writes over a record made or changed in Safeguard (the conflict is reported per child), and a
sealed child the importer may not see is left alone (decision 0017)."""

from datetime import date

import pytest
from django.urls import reverse

from safeguard.accounts.models import User
from safeguard.audit.models import ChangeEvent
from safeguard.casework.models import Case, CINPlan
from safeguard.core.errors import ApplicationError
from safeguard.people import services as people_services
from safeguard.people.models import Person
from safeguard.people.tests.sealing import seal
from safeguard.returns import services
from safeguard.returns.models import JobStatus, ReturnJob
from safeguard.returns.tests.test_cin_import import LA, message, one_child, write
from safeguard.returns.tests.test_cin_import import run_import as run_any
from safeguard.returns.tests.test_jobs import returns_dir, run_worker, upload  # noqa: F401

D = date


def run_import(*files, **options):
    """The import into the test world's authority (it holds two)."""
    return run_any(*files, authority_code=LA, **options)


def sam_changed() -> str:
    """Sam (LAchildID T000001) as a file from another system gives him: another sex and
    ethnicity, his open episode closed and his child in need plan ended."""
    return """
    <Child>
      <ChildIdentifiers>
        <LAchildID>T000001</LAchildID>
        <PersonBirthDate>2015-03-14</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>MWBC</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-06-02</CINreferralDate>
        <ReferralSource>2A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <CINclosureDate>2025-12-01</CINclosureDate>
        <ReasonForClosure>RC7</ReasonForClosure>
        <CINPlanDates>
          <CINPlanStartDate>2025-07-01</CINPlanStartDate>
          <CINPlanEndDate>2025-12-01</CINPlanEndDate>
        </CINPlanDates>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>"""


@pytest.fixture
def sams_case(world):
    """Sam's open episode and plan, recorded in Safeguard by his social worker."""
    case = Case.objects.create(
        child=world.child_sam, authority=world.authority, referral_date=D(2025, 6, 2),
        referral_source="2A", primary_need="N1", created_by=world.sw_amy,
        updated_by=world.sw_amy,
    )  # fmt: skip
    plan = CINPlan.objects.create(
        case=case, start_date=D(2025, 7, 1), created_by=world.sw_amy, updated_by=world.sw_amy
    )
    return case, plan


def sam_as_recorded(world, case, plan):
    sam = Person.objects.get(pk=world.child_sam.pk)
    case.refresh_from_db()
    plan.refresh_from_db()
    return (sam.sex, sam.ethnicity, sam.version, case.closure_date, case.version, plan.end_date)


# --- Who may import -----------------------------------------------------------------------


def test_an_analyst_or_service_manager_may_not_import(world, client, tmp_path, sams_case):
    path = write(tmp_path, "cin.xml", message(sam_changed() + one_child("NEW1")))
    before = sam_as_recorded(world, *sams_case)
    people = Person.objects.count()
    for username in ("eve", "dan"):
        ok, _, err = run_import(path, by=username)
        assert ok is None
        assert f"{username} may not import census files" in err and "Nothing was imported" in err
    # Without --by, a database holding children recorded in Safeguard is refused.
    ok, _, err = run_import(path)
    assert ok is None and "name the system administrator importing with --by" in err
    assert not User.objects.filter(username__startswith="census-import-").exists()
    # From the web: the page and the service refuse them.
    for user in (world.analyst_eve, world.sm_dan):
        client.force_login(user)
        assert client.get(reverse("returns:cin-import")).status_code == 403
        data = message(one_child("NEW1")).encode()
        response = client.post(reverse("returns:cin-import"), {"files": [upload("c.xml", data)]})
        assert response.status_code == 403
        with pytest.raises(ApplicationError, match="Only system administrators"):
            services.start_cin_import(by=user, files=[upload("c.xml", data)], skip_invalid=False)
    assert not ReturnJob.objects.exists()
    assert Person.objects.count() == people
    assert sam_as_recorded(world, *sams_case) == before


def test_an_administrators_import_is_attributed_to_them(world, tmp_path):
    ok, out, err = run_import(write(tmp_path, "cin.xml", message(one_child("NEW1"))), by="al")
    assert ok, err
    assert "By al." in out
    child = Person.objects.get(la_child_id="NEW1")
    case = Case.objects.get(child=child)
    assert (child.created_by, case.created_by) == (world.admin_al, world.admin_al)
    events = ChangeEvent.objects.filter(person_id=child.pk)
    assert events.exists() and {e.user_id for e in events} == {world.admin_al.pk}
    assert not User.objects.filter(username__startswith="census-import-").exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_started_from_the_web_is_made_by_its_starter(world, client):
    client.force_login(world.admin_al)
    assert 'href="/returns/"' in client.get("/").content.decode()  # in the navigation
    page = client.get(reverse("returns:jobs")).content.decode()
    assert reverse("returns:cin-import") in page and reverse("returns:cin-export") not in page
    data = message(one_child("WEB1")).encode()
    response = client.post(reverse("returns:cin-import"), {"files": [upload("c.xml", data)]})
    assert response.status_code == 302
    run_worker()
    job = ReturnJob.objects.get()
    assert job.status == JobStatus.DONE, job.summary
    child = Person.objects.get(la_child_id="WEB1")
    assert child.created_by == world.admin_al
    assert set(ChangeEvent.objects.filter(person_id=child.pk).values_list("user", flat=True)) == {
        world.admin_al.pk
    }


def test_an_administrator_who_is_no_longer_active_may_not_import(world, tmp_path):
    world.admin_al.is_active = False
    world.admin_al.save()
    ok, _, err = run_import(write(tmp_path, "cin.xml", message(one_child("NEW1"))), by="al")
    assert ok is None and "There is no active user 'al'" in err
    assert not Person.objects.filter(la_child_id="NEW1").exists()


# --- Records made in Safeguard --------------------------------------------------------------


def test_a_record_made_in_safeguard_is_kept_and_its_conflict_reported(world, tmp_path, sams_case):
    before = sam_as_recorded(world, *sams_case)
    events = ChangeEvent.objects.count()
    text = message(sam_changed() + one_child("NEW1"))
    ok, out, err = run_import(write(tmp_path, "cin.xml", text), by="al")
    assert ok, err  # the rest of the file is imported
    assert sam_as_recorded(world, *sams_case) == before
    assert "child T000001: left as recorded" in err
    assert "it would change the child's record: sex, ethnicity" in err
    assert "it would change the episode of 2025-06-02: closure date, closure reason" in err
    assert "it would change the CIN plan of 2025-07-01: end date" in err
    assert "1 child left as recorded, for a person to resolve" in out
    assert Person.objects.filter(la_child_id="NEW1").exists()
    # Nothing of Sam was written: every new change event is about the new child.
    new = ChangeEvent.objects.order_by("pk")[events:]
    assert world.child_sam.pk not in {e.person_id for e in new}


def test_a_new_episode_for_a_child_recorded_in_safeguard_is_a_conflict(world, tmp_path):
    text = message(one_child("T000003", birth="2012-11-05"))  # Tom, recorded in Safeguard
    ok, out, err = run_import(write(tmp_path, "cin.xml", text), by="al")
    assert ok, err
    assert "child T000003: left as recorded" in err
    assert "it adds the episode of 2025-06-02 to the child, recorded in Safeguard" in err
    assert not Case.objects.filter(child=world.child_tom).exists()


def test_records_an_import_made_are_updated_until_changed_in_safeguard(world, tmp_path):
    first = message(one_child("NEW1"))
    assert run_import(write(tmp_path, "a.xml", first), by="al")[0]
    child = Person.objects.get(la_child_id="NEW1")
    # A later census changes what the import made: applied.
    second = first.replace("<Ethnicity>WBRI</Ethnicity>", "<Ethnicity>WIRI</Ethnicity>")
    ok, out, err = run_import(write(tmp_path, "b.xml", second), by="al")
    assert ok and "left as recorded" not in err, err
    child.refresh_from_db()
    assert child.ethnicity == "WIRI"
    # A social worker corrects the child's record in Safeguard: it is theirs now.
    people_services.person_update(
        by=world.sw_amy, person=child, version=child.version, given_names="Nia",
        family_name="Okafor",
    )  # fmt: skip
    third = first.replace("<Ethnicity>WBRI</Ethnicity>", "<Ethnicity>AIND</Ethnicity>")
    ok, out, err = run_import(write(tmp_path, "c.xml", third), by="al")
    assert ok, err
    assert "child NEW1: left as recorded" in err and "ethnicity" in err
    child.refresh_from_db()
    assert (child.ethnicity, child.given_names) == ("WIRI", "Nia")


# --- Sealed children ------------------------------------------------------------------------


def test_a_sealed_child_is_left_alone_and_reported_as_restricted(world, tmp_path, sams_case):
    seal(world, world.child_sam)
    before = sam_as_recorded(world, *sams_case)
    events = ChangeEvent.objects.count()
    text = message(sam_changed() + one_child("NEW1"))
    ok, out, err = run_import(write(tmp_path, "cin.xml", text), by="al")
    assert ok, err
    assert "child T000001: a restricted record: it was left as it is" in err
    # Nothing about the record is said: no field, date or value of it.
    line = next(x for x in err.splitlines() if "T000001" in x)
    for detail in ("sex", "ethnicity", "closure", "2025", "Smith", "Sam"):
        assert detail not in line.split("T000001", 1)[1]
    assert sam_as_recorded(world, *sams_case) == before
    new = ChangeEvent.objects.order_by("pk")[events:]
    assert world.child_sam.pk not in {e.person_id for e in new}
    assert Person.objects.filter(la_child_id="NEW1").exists()


def test_a_sealed_child_the_import_made_is_still_left_alone(world, tmp_path):
    first = message(one_child("NEW1"))
    assert run_import(write(tmp_path, "a.xml", first), by="al")[0]
    child = Person.objects.get(la_child_id="NEW1")
    seal(world, child)
    second = first.replace("<Ethnicity>WBRI</Ethnicity>", "<Ethnicity>WIRI</Ethnicity>")
    ok, out, err = run_import(write(tmp_path, "b.xml", second), by="al")
    assert ok and "child NEW1: a restricted record" in err
    child.refresh_from_db()
    assert child.ethnicity == "WBRI"


def test_a_first_load_into_an_empty_database_needs_no_named_user(db, tmp_path):
    from safeguard.accounts.models import LocalAuthority

    LocalAuthority.objects.create(name="Testshire Borough", dfe_la_code=LA)
    ok, out, err = run_import(write(tmp_path, "cin.xml", message(one_child("NEW1"))))
    assert ok, err
    assert f"By census-import-{LA}." in out
    # Once it holds a child recorded in Safeguard, a named administrator is needed.
    Person.objects.create(authority=Person.objects.get().authority, family_name="Recorded here",
                          date_of_birth=D(2016, 1, 1), la_child_id="HERE1")  # fmt: skip
    ok, _, err = run_import(write(tmp_path, "cin.xml", message(one_child("NEW2"))))
    assert ok is None and "--by" in err


def test_records_imported_before_provenance_was_kept_are_known_by_their_account(world, tmp_path):
    """The migration that fills ``ImportedRecord`` for earlier imports: what the census-import
    account made and last changed is the import's own; what a person changed since is not."""
    import importlib

    from django.apps import apps

    from safeguard.returns.importers.cin import census_import_account
    from safeguard.returns.models import ImportedRecord

    migration = importlib.import_module(
        "safeguard.returns.migrations.0004_imported_record_backfill"
    )
    account = census_import_account(world.authority)
    child = Person.objects.create(
        authority=world.authority, family_name="Not recorded (OLD1)", la_child_id="OLD1",
        date_of_birth=D(2016, 1, 1), sex="M", ethnicity="WBRI", disabilities=[],
        created_by=account, updated_by=account,
    )  # fmt: skip
    Case.objects.create(
        child=child, authority=world.authority, referral_date=D(2025, 6, 2),
        referral_source="2A", primary_need="N5", created_by=account, updated_by=world.sw_amy,
    )  # fmt: skip
    migration.backfill(apps, None)
    assert ImportedRecord.objects.count() == 2
    # The file changes the child (still the import's own) and closes the episode (changed by
    # Amy since): the episode is a conflict, so the child is left whole.
    text = message(one_child("OLD1")).replace(
        "<ReferralNFA>0</ReferralNFA>",
        "<CINclosureDate>2025-12-01</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>"
        "<ReferralNFA>0</ReferralNFA>",
    ).replace("<Ethnicity>WBRI</Ethnicity>", "<Ethnicity>WIRI</Ethnicity>")
    ok, _, err = run_import(write(tmp_path, "cin.xml", text), by="al")
    assert ok and "child OLD1: left as recorded" in err and "closure date" in err
    assert "it would change the child's record" not in err
    assert Case.objects.get(child=child).closure_date is None
    child.refresh_from_db()
    assert child.ethnicity == "WBRI"
