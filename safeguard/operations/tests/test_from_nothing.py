"""From an empty database to an authority with staff, by the commands the README gives:
create-authority, import-staff (twice: the second changes nothing), then check-setup saying
what is still missing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguard.accounts.models import Agency, LocalAuthority, Team, User
from safeguard.audit.models import ChangeEvent
from safeguard.operations.tests.installs import FRESH, STAFF

pytestmark = pytest.mark.django_db


def test_an_empty_database_to_an_authority_with_staff(settings, tmp_path, capsys):
    for name, value in FRESH.items():
        setattr(settings, name, value)
    assert not LocalAuthority.objects.exists() and not User.objects.exists()

    call_command("create_authority", "--la-code", "998", "--name", "Northby")
    staff = tmp_path / "staff.csv"
    # Child protection has a social worker but no team manager; no unscheduled-care clinician.
    text = STAFF.replace(
        "tm2,Given,Family,tm2@northby.example,team_manager",
        "sw2,Given,Family,sw2@northby.example,social_worker",
    )
    staff.write_text(
        "".join(line for line in text.splitlines(keepends=True) if not line.startswith("uc1")),
        encoding="utf-8",
    )
    call_command("import_staff", str(staff))
    first = capsys.readouterr().out
    assert "Accounts created: 9" in first
    events = ChangeEvent.objects.count()

    call_command("import_staff", str(staff))
    assert (
        capsys.readouterr().out.strip() == "Nothing changed: the 9 accounts already match the file."
    )
    assert ChangeEvent.objects.count() == events
    la = LocalAuthority.objects.get()
    assert Agency.objects.filter(authority=la).count() == 2
    assert Team.objects.filter(agency__authority=la).count() == 4

    with pytest.raises(CommandError) as failed:
        call_command("check_setup")
    assert failed.value.returncode == 1
    listed = capsys.readouterr().out
    for missing in (
        "Northby: nobody has the role unscheduled-care clinician",
        "Northby: the team Child protection has no team manager",
        "Northby: the data-quality check has not run in the last day (never)",
        "No backup in the last day",
        "The secret key is the one generated into var/",
        "HTTPS is not required",
    ):
        assert missing in listed
    # What create-authority and import-staff did is not listed.
    assert "There is no authority" not in listed
    assert "threshold of need" not in listed
    assert "nobody has the role social worker" not in listed
