"""Subject access requests: due dates, extension, closing, the pages, the export and the
``safeguard subject-access`` command."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.casework.services import case_note_add
from safeguard.cli import command_argv
from safeguard.core.errors import ApplicationError
from safeguard.people.tests.sealing import SAM
from safeguard.privacy.models import SARStatus, SubjectAccessRequest
from safeguard.privacy.services import sar_close, sar_create, sar_extend
from safeguard.testing.journey import open_case


def _sar(world, received=date(2025, 1, 31)):
    return sar_create(
        by=world.sm_dan, person=world.child_sam, requester="His mother", received_date=received
    )


@pytest.mark.django_db
def test_due_one_calendar_month_later_and_extendable_once_by_two_months(world):
    sar = _sar(world)
    assert sar.due_date == date(2025, 2, 28)  # no 31 February: the month's last day
    assert _sar(world, date(2025, 3, 15)).due_date == date(2025, 4, 15)
    with pytest.raises(ApplicationError):
        sar_extend(by=world.sm_dan, sar=sar, reason="  ")
    sar = sar_extend(by=world.sm_dan, sar=sar, reason="Many records across three cases")
    assert (sar.extended_to, sar.status, sar.answer_by) == (
        date(2025, 4, 30),
        SARStatus.EXTENDED,
        date(2025, 4, 30),
    )
    with pytest.raises(ApplicationError):
        sar_extend(by=world.sm_dan, sar=sar, reason="Again")
    assert sar.is_overdue_on(date(2025, 5, 1)) and not sar.is_overdue_on(date(2025, 4, 30))
    sar = sar_close(
        by=world.sm_dan, sar=sar, status=SARStatus.COMPLETED, closed_date=date(2025, 4, 1)
    )
    assert not sar.is_open and not sar.is_overdue_on(date(2025, 5, 1))
    with pytest.raises(ApplicationError):
        sar_close(
            by=world.sm_dan, sar=sar, status=SARStatus.WITHDRAWN, closed_date=date(2025, 4, 2)
        )


@pytest.mark.django_db
def test_a_future_received_date_is_refused_and_nothing_stored(world):
    with pytest.raises(ApplicationError):
        sar_create(
            by=world.sm_dan, person=world.child_sam, requester="X", received_date=date(2999, 1, 1)
        )
    assert SubjectAccessRequest.objects.count() == 0


@pytest.mark.django_db
def test_pages_create_list_extend_close(world, client):
    client.force_login(world.sm_dan)
    create = reverse("privacy:sar-create", kwargs={"person_id": world.child_sam.pk})
    response = client.post(create, {"requester": "", "received_date_day": "1"})
    assert response.status_code == 200 and "Enter who made the request" in response.content.decode()
    assert SubjectAccessRequest.objects.count() == 0
    response = client.post(
        create,
        {
            "requester": "Sam Smith",
            "received_date_day": "15",
            "received_date_month": "3",
            "received_date_year": "2025",
        },
    )
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "privacy:sar-detail", kwargs={"sar_id": sar.pk}
    )
    listing = client.get(reverse("privacy:sar-list")).content.decode()
    assert "Sam Smith" in listing and "15 Apr 2025" in listing and "Overdue" in listing
    client.post(reverse("privacy:sar-extend", kwargs={"sar_id": sar.pk}), {"reason": "Complex"})
    client.post(
        reverse("privacy:sar-close", kwargs={"sar_id": sar.pk}),
        {
            "status": "completed",
            "closed_date_day": "1",
            "closed_date_month": "6",
            "closed_date_year": "2025",
        },
    )
    sar.refresh_from_db()
    assert (sar.extended_to, sar.status, sar.closed_date) == (
        date(2025, 6, 15),
        "completed",
        date(2025, 6, 1),
    )
    detail = client.get(reverse("privacy:sar-detail", kwargs={"sar_id": sar.pk})).content.decode()
    assert "15 June 2025" in detail and "Completed" in detail


@pytest.fixture
def sam_with_record(world):
    case = open_case(world, received=date(2025, 1, 6))
    case_note_add(
        by=world.sw_amy,
        case=case,
        note_date=date(2025, 1, 7),
        subject="Home visit",
        text="Saw Sam <b>at home</b>",
        significant=True,
    )
    return case


def _export(client, sar):
    response = client.get(reverse("privacy:sar-download", kwargs={"sar_id": sar.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["record.json", "report.html"]
    return json.loads(archive.read("record.json")), archive.read("report.html").decode()


def _walk(node):
    yield node
    for items in node.get("children", {}).values():
        for child in items:
            yield from _walk(child)


@pytest.mark.django_db
def test_export_holds_the_whole_record_and_marks_third_parties(world, client, sam_with_record):
    sar = _sar(world)
    client.force_login(world.sm_dan)
    client.get(
        reverse("people:detail", kwargs={"person_id": world.child_sam.pk})
    )  # an access to list
    data, html = _export(client, sar)
    # Identity, and every record under the case (the referral, the note, the chronology).
    assert data["person"]["fields"]["family_name"] == "Smith"
    assert data["person"]["fields"]["nhs_number"] == "9434765919"
    records = {n["record"] for n in _walk(data["person"])}
    assert {
        "casework.case",
        "casework.casenote",
        "casework.chronologyentry",
        "referrals.referral",
        "people.residence",
        "people.relationship",
        "people.involvement",
    } <= records
    note = next(n for n in _walk(data["person"]) if n["record"] == "casework.casenote")
    assert note["fields"]["text"] == "Saw Sam <b>at home</b>"
    # His mother and sister are third parties: flagged in the JSON, marked in the HTML.
    names = {p["name"] for p in data["third_parties"]}
    assert names == {"Mary Smith", "Sally Smith"}
    relationship_refs = [
        v
        for n in _walk(data["person"])
        if n["record"] == "people.relationship"
        for v in n["fields"].values()
        if isinstance(v, dict) and v.get("person_id")
    ]
    assert relationship_refs and all(r["third_party"] and r["redact"] for r in relationship_refs)
    assert any(
        o["name"] == "Mary Smith" and o["redact"] for h in data["households"] for o in h["others"]
    )
    assert "[REDACT: third party]</mark> Mary Smith" in html
    # Staff are named as professionals, not marked for redaction.
    worker = next(
        n["fields"]["worker"]
        for n in _walk(data["person"])
        if n["record"] == "people.involvement" and n["fields"].get("worker")
    )
    assert worker["professional"] and worker["redact"] is False
    # Text is escaped in the report.
    assert "Saw Sam &lt;b&gt;at home&lt;/b&gt;" in html and "<b>at home" not in html
    # Access history is included.
    assert any(
        e["who"] == "Dan Doyle" and e["purpose"] == "Viewed the record"
        for e in data["access_history"]
    )
    # The export was logged: the subject, and each third party named in it.
    reasons = dict(
        AccessEvent.objects.filter(user=world.sm_dan, route__contains="download").values_list(
            "person_id", "reason"
        )
    )
    assert reasons[world.child_sam.pk].startswith("Subject access export")
    assert world.mother_mary.pk in reasons and world.child_sally.pk in reasons


@pytest.mark.django_db
def test_command_writes_the_export(world, sam_with_record, tmp_path, capsys):
    out = tmp_path / "sam.zip"
    # ``safeguard subject-access`` finds the command by its hyphenated name.
    command = ManagementUtility(["safeguard"]).fetch_command(command_argv(["subject-access"])[0])
    assert command.__module__ == "safeguard.privacy.management.commands.subject_access"
    call_command("subject_access", str(world.child_sam.pk), "--output", str(out))
    assert "2 third parties marked for redaction" in capsys.readouterr().out
    data = json.loads(zipfile.ZipFile(out).read("record.json"))
    assert data["export"]["person_id"] == str(world.child_sam.pk)
    logged = AccessEvent.objects.filter(route=f"command subject-access {world.child_sam.pk}")
    assert set(logged.values_list("person_id", flat=True)) == {
        world.child_sam.pk,
        world.mother_mary.pk,
        world.child_sally.pk,
    }
    assert logged.first().user.username == "command-line" and not logged.first().user.is_active


@pytest.mark.django_db
def test_command_refuses_bad_input(world, tmp_path):
    with pytest.raises(CommandError, match="not a person id"):
        call_command("subject_access", "' OR 1=1--", "--output", str(tmp_path / "x.zip"))
    with pytest.raises(CommandError, match="No such person"):
        call_command(
            "subject_access",
            "00000000-0000-0000-0000-000000000000",
            "--output",
            str(tmp_path / "x.zip"),
        )
    with pytest.raises(CommandError, match="No such person"):  # another authority's child
        call_command(
            "subject_access",
            str(world.outsider.pk),
            "--output",
            str(tmp_path / "x.zip"),
            "--by",
            "dan",
        )
    with pytest.raises(CommandError):
        call_command("subject_access", str(world.child_sam.pk), "--output", str(tmp_path / "x.txt"))
    with pytest.raises(CommandError):
        call_command(
            "subject_access",
            str(world.child_sam.pk),
            "--output",
            str(tmp_path / "x.zip"),
            "--by",
            "amy",
        )
    assert not list(tmp_path.iterdir())


@pytest.mark.django_db
def test_service_managers_reach_data_protection_from_the_navigation(world, client):
    client.force_login(world.sm_dan)
    home = client.get(reverse("work:home")).content.decode()
    assert reverse("privacy:sar-list") in home
    assert reverse("privacy:retention-report") in client.get(reverse("privacy:sar-list")).content.decode()
    client.force_login(world.tm_carol)
    assert reverse("privacy:sar-list") not in client.get(reverse("work:home")).content.decode()


@pytest.mark.django_db
def test_a_sealed_record_stays_on_the_request_list_as_restricted(world, client):
    """Issue 11, item 6: sealing one person does not break the subject access list for a
    service manager not named on the seal; the row is restricted, the request itself is the
    restricted page."""
    from safeguard.people.tests.sealing import seal_sam

    sam_request = _sar(world)
    sally_request = sar_create(
        by=world.sm_dan, person=world.child_sally, requester="Her mother",
        received_date=date(2025, 2, 3),
    )  # fmt: skip
    seal_sam(world)
    client.force_login(world.sm_dan)
    response = client.get(reverse("privacy:sar-list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Restricted record {world.child_sam.reference}" in page
    assert not SAM.search(page) and "Sally Smith" in page
    detail = client.get(reverse("privacy:sar-detail", kwargs={"sar_id": sam_request.pk}))
    assert detail.status_code == 403 and "This record is restricted" in detail.content.decode()
    assert (
        client.get(reverse("privacy:sar-detail", kwargs={"sar_id": sally_request.pk})).status_code
        == 200
    )


@pytest.mark.django_db
def test_a_sealed_siblings_name_is_withheld_from_the_export(world, client, sam_with_record):
    """Issue 11, item 6: the export of Sally, whose brother Sam is sealed, downloads and
    names Sam by his neutral reference only."""
    from safeguard.people.tests.sealing import seal_sam

    sally_request = sar_create(
        by=world.sm_dan, person=world.child_sally, requester="Her mother",
        received_date=date(2025, 2, 3),
    )  # fmt: skip
    seal_sam(world)
    client.force_login(world.sm_dan)
    data, html = _export(client, sally_request)
    text = json.dumps(data)
    reference = f"Restricted record {world.child_sam.reference}"
    assert not SAM.search(text) and not SAM.search(html)
    assert reference in {p["name"] for p in data["third_parties"]}
    assert "Mary Smith" in {p["name"] for p in data["third_parties"]}
    assert AccessEvent.objects.get(
        user=world.sm_dan, person_id=world.child_sam.pk, route__contains="download"
    ).reason.startswith("Restricted record listed")


@pytest.mark.django_db
def test_the_command_refuses_a_sealed_subject_and_withholds_a_sealed_sibling(world, tmp_path):
    """Issue 11, item 6, by the command: a service manager not named on Sam's seal cannot
    export Sam, and Sally's export names Sam by his reference only."""
    from safeguard.people.tests.sealing import seal_sam

    seal_sam(world)
    sam_zip, sally_zip = tmp_path / "sam.zip", tmp_path / "sally.zip"
    with pytest.raises(CommandError, match="restricted"):
        call_command(
            "subject_access", str(world.child_sam.pk), "--output", str(sam_zip), "--by", "dan"
        )
    assert not sam_zip.exists()
    call_command(
        "subject_access", str(world.child_sally.pk), "--output", str(sally_zip), "--by", "dan"
    )
    archive = zipfile.ZipFile(sally_zip)
    text = archive.read("record.json").decode() + archive.read("report.html").decode()
    assert not SAM.search(text) and f"Restricted record {world.child_sam.reference}" in text


@pytest.mark.django_db
def test_the_readable_report_names_fields_as_the_forms_do(world, client, sam_with_record):
    """Issue 11, item 2: no internal field names in the export's readable report."""
    sar = _sar(world)
    client.force_login(world.sm_dan)
    data, html = _export(client, sar)
    assert data["person"]["labels"]["nhs_number"] == "NHS number"
    assert "<th scope=\"row\">NHS number</th>" in html
    assert "<th scope=\"row\">Local child id</th>" in html
    assert "Nhs number" not in html and "La child id" not in html
