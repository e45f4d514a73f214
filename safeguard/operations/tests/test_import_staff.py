"""``safeguard import-staff``: agencies, teams and accounts from a CSV file; a bad row refuses
the whole file; a second import changes nothing; nobody disabled unless asked."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguard.accounts import services
from safeguard.accounts.models import Agency, LocalAuthority, Team, User
from safeguard.audit.accounts import account_history
from safeguard.audit.models import ChangeEvent

pytestmark = pytest.mark.django_db

HEADER = "username,given_name,family_name,email,role,agency,agency_kind,team,job_title\n"
GOOD = HEADER + (
    "jdoe,Jo,Doe,jo.doe@example.org,social_worker,Northby Children's Services,csc,Assessment,Social worker\n"
    "jdoe,Jo,Doe,jo.doe@example.org,social_worker,Northby Children's Services,csc,Child protection,Social worker\n"
    "kroe,Kit,Roe,kit.roe@example.org,Team manager,Northby Children's Services,Children's social care,Assessment,Team manager\n"
    "pbee,Pat,Bee,pat.bee@example.org,partner_practitioner,Northby Police,police,Public protection,Detective constable\n"
    "admin1,Ada,Min,ada.min@example.org,System administrator,Northby Children's Services,csc,,System administrator\n"
)


@pytest.fixture
def authority():
    return LocalAuthority.objects.create(name="Northby", dfe_la_code="998")


def _write(tmp_path, text, name="staff.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(path, *args, capsys=None):
    call_command("import_staff", str(path), *args)
    return capsys.readouterr() if capsys else None


def test_an_import_makes_agencies_teams_and_accounts_each_recorded(authority, tmp_path, capsys):
    out = _run(_write(tmp_path, GOOD), capsys=capsys).out
    assert "Accounts created: 4" in out
    jdoe = User.objects.get(username="jdoe")
    assert (jdoe.first_name, jdoe.last_name, jdoe.email, jdoe.role) == (
        "Jo", "Doe", "jo.doe@example.org", "social_worker",
    )  # fmt: skip
    assert sorted(jdoe.teams.values_list("name", flat=True)) == ["Assessment", "Child protection"]
    assert jdoe.agency.authority == authority and jdoe.agency.kind == "csc"
    assert not jdoe.has_usable_password()  # they set it through an invitation
    assert User.objects.get(username="kroe").role == "team_manager"  # the label works too
    assert User.objects.get(username="pbee").agency.kind == "police"
    assert User.objects.get(username="admin1").teams.count() == 0
    assert Agency.objects.filter(authority=authority).count() == 2
    assert Team.objects.filter(agency__authority=authority).count() == 3
    # Every account, agency and team made has its change event, by the command-line account.
    event = account_history(jdoe).get()
    assert event.verb == "created" and event.user.username == "command-line"
    assert event.after["teams"] == sorted(jdoe.teams.values_list("pk", flat=True))
    assert ChangeEvent.objects.filter(target_type="accounts.agency", verb="created").count() == 2
    assert ChangeEvent.objects.filter(target_type="accounts.team", verb="created").count() == 3


def test_a_second_import_changes_nothing_and_says_so(authority, tmp_path, capsys):
    path = _write(tmp_path, GOOD)
    _run(path, capsys=capsys)
    events = ChangeEvent.objects.count()
    out = _run(path, capsys=capsys).out
    assert out.strip() == "Nothing changed: the 4 accounts already match the file."
    assert ChangeEvent.objects.count() == events


def test_existing_accounts_are_matched_by_username_and_updated(authority, tmp_path, capsys):
    _run(_write(tmp_path, GOOD), capsys=capsys)
    changed = GOOD.replace(
        "kroe,Kit,Roe,kit.roe@example.org,Team manager",
        "kroe,Kit,Roe-Smith,kit.roe@example.org,service_manager",
    )
    out = _run(_write(tmp_path, changed), capsys=capsys).out
    assert "Accounts updated: 1: kroe" in out and "Accounts created: 0" in out
    kroe = User.objects.get(username="kroe")
    assert (kroe.last_name, kroe.role) == ("Roe-Smith", "service_manager")
    event = account_history(kroe).last()
    assert event.before["role"] == "team_manager" and event.after["role"] == "service_manager"


def test_nobody_is_disabled_unless_asked(authority, tmp_path, capsys):
    _run(_write(tmp_path, GOOD), capsys=capsys)
    without_pbee = "".join(
        line for line in GOOD.splitlines(keepends=True) if not line.startswith("pbee")
    )
    path = _write(tmp_path, without_pbee)
    _run(path, capsys=capsys)
    assert User.objects.get(username="pbee").is_active
    out = _run(path, "--disable-missing", capsys=capsys).out
    assert "Accounts disabled: 1: pbee" in out
    pbee = User.objects.get(username="pbee")
    assert not pbee.is_active
    assert account_history(pbee).last().after["is_active"] is False


def test_a_bad_row_refuses_the_whole_file_naming_every_bad_line(authority, tmp_path, capsys):
    bad = GOOD + (
        "bad user,Bo,Bad,bo@example.org,social_worker,Northby Children's Services,csc,Assessment,\n"
        "cbee,Cy,Bee,not-an-email,wizard,Northby Police,police,Public protection,\n"
        "jdoe,Jo,Doe,jo.doe@example.org,team_manager,Northby Children's Services,csc,Front door,\n"
        "dbee,Di,Bee,di@example.org,partner_practitioner,Northby Police,martians,Traffic,\n"
        "esw,Ed,Sw,ed@example.org,social_worker,Northby Police,police,Public protection,\n"
        ",Fi,,fi@example.org,social_worker,Northby Children's Services,csc,Assessment,\n"
    )
    with pytest.raises(CommandError, match="nothing was changed: 8 problems"):
        _run(_write(tmp_path, bad))
    err = capsys.readouterr().err
    assert "staff.csv, line 7: the username 'bad user' may hold only" in err
    assert "staff.csv, line 8: 'not-an-email' is not an email address" in err
    assert "staff.csv, line 8: 'wizard' is not a role" in err
    assert "staff.csv, line 9: jdoe is on line 2 with another role" in err
    assert "staff.csv, line 10: 'martians' is not an agency kind" in err
    assert "staff.csv, line 11: a social worker works in children's social care" in err
    assert "staff.csv, line 12: no username" in err
    assert "staff.csv, line 12: no family name" in err
    assert not User.objects.exclude(username="command-line").exists()
    assert not Agency.objects.exists() and not Team.objects.exists()
    assert not ChangeEvent.objects.exists()


def test_a_file_without_the_columns_is_refused(authority, tmp_path, capsys):
    with pytest.raises(CommandError):
        _run(_write(tmp_path, "username,name\njdoe,Jo\n"))
    assert "line 1: the header has no column given_name" in capsys.readouterr().err


def test_an_account_of_another_authority_or_an_agency_of_another_kind_is_refused(
    authority, tmp_path, capsys
):
    other = LocalAuthority.objects.create(name="Southby", dfe_la_code="997")
    csc = Agency.objects.create(authority=other, name="Southby CSC", kind="csc")
    User.objects.create(username="kroe", agency=csc, role="social_worker")
    Agency.objects.create(authority=authority, name="Northby Police", kind="health")
    with pytest.raises(CommandError):
        _run(_write(tmp_path, GOOD), "--authority-code", "998")
    err = capsys.readouterr().err
    assert "line 4: kroe is an account of another authority" in err
    assert "line 5: the agency Northby Police is already of kind health" in err


def test_the_service_refuses_without_a_command_too(authority):
    with pytest.raises(services.StaffFileRefused) as refused:
        services.staff_import(by=None, authority=authority, text=HEADER)
    assert refused.value.problems == ["line 1: the file has no staff rows"]


def test_import_with_invite_emails_each_new_account(authority, tmp_path, capsys, mailoutbox):
    out = _run(_write(tmp_path, GOOD), "--invite", capsys=capsys).out
    assert "Invited jdoe at jo.doe@example.org" in out
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["jo.doe@example.org", "kit.roe@example.org", "pat.bee@example.org", "ada.min@example.org"]
    )
