"""Documents on a child's record (issue 16 item 8, decision 0047): typed by content, size
limited, stored under random keys, downloads logged, sealed with the child."""

import io
import os
import re
import time
import zipfile
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.casework.tests.matrix import sam_case
from safeguard.core.errors import ApplicationError
from safeguard.documents import samples, services, store
from safeguard.documents.models import Document
from safeguard.people.tests.sealing import seal

pytestmark = pytest.mark.django_db

PDF = samples.pdf(["Synthetic letter for a test."], title="Test letter")
PNG = samples.png(4, 3, (200, 30, 30))


def stored_files() -> list:
    root = store.root()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def office(entries: dict, *, mimetype: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


DOCX = office({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = office({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT = office({"content.xml": "<office/>"}, mimetype="application/vnd.oasis.opendocument.text")
DOCM = office({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>",
               "word/vbaProject.bin": "macro"})  # fmt: skip
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500


def form(content: bytes, name: str = "letter.pdf", content_type: str = "application/pdf", **extra):
    data = {
        "file": SimpleUploadedFile(name, content, content_type=content_type),
        "title": "Letter from school",
        "document_date_day": "3",
        "document_date_month": "3",
        "document_date_year": "2025",
        "category": "letter",
        "source": "school",
        "source_detail": "Hillside Primary",
        "description": "",
    }
    data.update(extra)
    return data


def upload(client, world, content, **kw):
    client.force_login(world.sw_amy)
    return client.post(reverse("documents:upload", args=[world.child_sam.pk]), form(content, **kw))


# --- Uploading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "extension", "media_type"),
    [
        (PDF, "pdf", "application/pdf"),
        (PNG, "png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "jpg", "image/jpeg"),
        (DOCX, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (XLSX, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (ODT, "odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_an_accepted_file_is_stored_under_a_random_key_with_its_kind_from_its_content(
    world, client, content, extension, media_type
):
    # The name and the browser's type say PDF whatever the content: neither is believed.
    response = upload(client, world, content, name="Sam Smith private.pdf")
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.extension, document.media_type) == (extension, media_type)
    assert document.size == len(content)
    assert document.created_by == world.sw_amy
    assert (document.title, document.source, document.source_detail) == (
        "Letter from school", "school", "Hillside Primary"
    )
    files = stored_files()
    assert [p.name for p in files] == [document.file_key]
    assert re.fullmatch(r"[0-9a-f]{32}", document.file_key)
    assert files[0].read_bytes() == content
    assert not any("Sam" in str(p) or "private" in str(p) for p in store.root().rglob("*"))
    # Its change event is on the child's record.
    assert ChangeEvent.objects.filter(target_type="documents.document", person_id=world.child_sam.pk).exists()


def test_two_uploads_of_the_same_file_get_different_keys(world, client):
    upload(client, world, PDF)
    upload(client, world, PDF)
    keys = list(Document.objects.values_list("file_key", flat=True))
    assert len(set(keys)) == 2


@pytest.mark.parametrize(
    ("content", "name", "content_type", "why"),
    [
        (HTML, "report.pdf", "application/pdf", "not a type Safeguard accepts"),
        (EXE, "photo.png", "image/png", "not a type Safeguard accepts"),
        (b"just some text", "letter.docx", "application/pdf", "not a type Safeguard accepts"),
        (OLE, "letter.doc", "application/msword", "old Office format"),
        (DOCM, "letter.docx", "application/pdf", "with macros"),
        (office({"a.txt": "x"}), "letter.docx", "application/pdf", "an archive"),
        (b"PK\x03\x04broken", "letter.docx", "application/pdf", "damaged"),
    ],
)
def test_a_file_of_the_wrong_content_is_refused_whatever_its_name_and_nothing_is_kept(
    world, client, content, name, content_type, why
):
    response = upload(client, world, content, name=name, content_type=content_type)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert why in body
    assert not Document.objects.exists()
    assert stored_files() == []


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(world, client, settings):
    settings.SAFEGUARD_DOCUMENT_MAX_BYTES = 2_000
    response = upload(client, world, PDF + b"%" * 2_000)
    assert response.status_code == 400
    assert "larger than 2,000 bytes" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files() == []
    # At the limit exactly, it is taken.
    assert upload(client, world, PDF + b"%" * (2_000 - len(PDF))).status_code == 302


def test_an_empty_file_is_refused(world, client):
    response = upload(client, world, b"")
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_a_document_on_a_case_and_on_a_step_of_it(world, client):
    from safeguard.casework.services import visit_record

    case = sam_case(world)
    visit = visit_record(by=world.sw_amy, case=case, kind="other", visit_date=date(2025, 2, 3),
                         child_seen=True)  # fmt: skip
    client.force_login(world.sw_amy)
    url = reverse("documents:upload", args=[world.child_sam.pk]) + f"?step=casework.visit:{visit.pk}"
    page = client.get(url)
    assert "Attached to: Visit" in page.content.decode()
    assert client.post(url, form(PNG, name="room.png", category="photograph")).status_code == 302
    document = Document.objects.get()
    assert (document.step_type.model, document.step_id, document.case) == ("visit", visit.pk, case)
    # A step of another child's record, or of no record, is not found.
    bad = reverse("documents:upload", args=[world.child_sally.pk]) + f"?step=casework.visit:{visit.pk}"
    assert client.get(bad).status_code == 404
    other = reverse("documents:upload", args=[world.child_sam.pk]) + "?step=accounts.user:1"
    assert client.get(other).status_code == 404


def test_a_case_of_another_child_is_refused_by_the_service(world):
    case = sam_case(world)
    with pytest.raises(ApplicationError, match="this child's cases"):
        services.document_add(
            by=world.sw_amy, child=world.child_sally, content=PDF, title="Letter",
            document_date=date(2025, 3, 3), category="letter", source="school", case=case,
        )  # fmt: skip
    assert stored_files() == []


def test_a_future_date_is_refused(world, client):
    response = upload(client, world, PDF, document_date_year=str(date.today().year + 1))
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert stored_files() == []


# --- Downloading -------------------------------------------------------------------------------


def test_a_download_is_logged_and_served_as_an_attachment_under_a_safe_name(world, client):
    upload(client, world, PDF, title='Sam "Smith"\r\n; filename=evil.html')
    document = Document.objects.get()
    client.force_login(world.tm_carol)
    before = AccessEvent.objects.filter(user=world.tm_carol).count()
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="letter-2025-03-03-{str(document.pk)[:8]}.pdf"'
    assert "Sam" not in disposition and "evil" not in disposition
    events = AccessEvent.objects.filter(user=world.tm_carol).order_by("at")
    assert events.count() == before + 1
    event = events.last()
    assert (event.person_id, event.purpose) == (world.child_sam.pk, "view")
    assert str(document.pk) in event.reason
    assert "/download/" in event.route


def test_the_list_shows_the_metadata_and_logs_the_child(world, client):
    upload(client, world, PDF, title="Letter <b>from</b> school")
    client.force_login(world.tm_carol)
    response = client.get(reverse("documents:list", args=[world.child_sam.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Letter &lt;b&gt;from&lt;/b&gt; school" in body
    assert "School or nursery" in body and "Hillside Primary" in body and "Amy Adeyemi" in body
    assert AccessEvent.objects.filter(user=world.tm_carol, person_id=world.child_sam.pk).exists()


def test_analysts_chairs_and_partners_do_not_get_documents(world, client):
    upload(client, world, PDF)
    document = Document.objects.get()
    url = reverse("documents:download", args=[document.pk])
    for user, status in ((world.analyst_eve, 403), (world.chair_iris, 403), (world.police_pat, 404),
                         (world.other_sw, 404), (world.admin_al, 404)):  # fmt: skip
        client.force_login(user)
        before = AccessEvent.objects.count()
        assert client.get(url).status_code == status, user
        # Turned away before anything was read: nothing logged.
        assert AccessEvent.objects.count() == before


def test_a_sealed_childs_documents_are_neither_listed_nor_downloadable_without_the_seal(world, client):
    upload(client, world, PDF)
    document = Document.objects.get()
    seal(world, world.child_sam, world.sw_amy)
    list_url = reverse("documents:list", args=[world.child_sam.pk])
    download_url = reverse("documents:download", args=[document.pk])
    # Carol sealed the record (a manager named on it); Ben is not named.
    client.force_login(world.sw_ben)
    for url in (list_url, download_url):
        response = client.get(url)
        assert response.status_code == 403
        body = response.content if not response.streaming else b"".join(response.streaming_content)
        assert b"This record is restricted" in body
        assert PDF not in body
    from safeguard.documents.permissions import visible_to

    assert not visible_to(world.sw_ben).exists()
    assert visible_to(world.sw_amy).filter(pk=document.pk).exists()
    # Amy is named: she still sees and downloads it.
    client.force_login(world.sw_amy)
    assert client.get(list_url).status_code == 200
    assert client.get(download_url).status_code == 200


def test_a_missing_file_is_a_clear_404_not_a_server_error(world, client):
    upload(client, world, PDF)
    document = Document.objects.get()
    store.remove(document.file_key)
    client.force_login(world.sw_amy)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404


# --- No orphans ----------------------------------------------------------------------------------


def test_a_failed_transaction_leaves_no_file(world, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "save_new", fail)
    with pytest.raises(RuntimeError):
        services.document_add(
            by=world.sw_amy, child=world.child_sam, content=PDF, title="Letter",
            document_date=date(2025, 3, 3), category="letter", source="school",
        )  # fmt: skip
    assert not Document.objects.exists()
    assert stored_files() == []


def test_the_cleaner_removes_old_orphans_only(world):
    kept = services.document_add(
        by=world.sw_amy, child=world.child_sam, content=PDF, title="Letter",
        document_date=date(2025, 3, 3), category="letter", source="school",
    )  # fmt: skip
    orphan = store.path_of("ab" * 16)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left behind")
    unfinished = store.root() / store.INCOMING / "0123.part"
    unfinished.parent.mkdir(parents=True, exist_ok=True)
    unfinished.write_bytes(b"half")
    young = store.path_of("cd" * 16)
    young.parent.mkdir(parents=True, exist_ok=True)
    young.write_bytes(b"still saving")
    old = time.time() - 7200
    for path in (orphan, unfinished, store.path_of(kept.file_key)):
        os.utime(path, (old, old))
    removed = services.orphans_remove(older_than_seconds=3600)
    assert sorted(removed) == sorted([orphan.name, unfinished.name])
    assert store.path_of(kept.file_key).exists() and young.exists()
    assert not orphan.exists() and not unfinished.exists()


def test_files_live_in_the_documents_setting_not_the_database(world):
    document = services.document_add(
        by=world.sw_amy, child=world.child_sam, content=PDF, title="Letter",
        document_date=date(2025, 3, 3), category="letter", source="school",
    )  # fmt: skip
    assert store.path_of(document.file_key).is_relative_to(settings.SAFEGUARD_DOCUMENTS_DIR)
    fields = {f.get_internal_type() for f in Document._meta.concrete_fields}
    assert "BinaryField" not in fields and "FileField" not in fields


# --- Fixed queries -------------------------------------------------------------------------------


def test_the_list_makes_a_fixed_number_of_queries(world, client):
    url = reverse("documents:list", args=[world.child_sam.pk])
    client.force_login(world.sw_amy)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    case = sam_case(world)
    services.document_add(by=world.sw_amy, child=world.child_sam, content=PDF, title="One",
                          document_date=date(2025, 3, 3), category="letter", source="school",
                          case=case)  # fmt: skip
    short = count()
    for n in range(10):
        services.document_add(by=world.tm_carol, child=world.child_sam, content=PNG, title=f"Photo {n}",
                              document_date=date(2025, 3, 4), category="photograph", source="family",
                              case=case)  # fmt: skip
    assert count() == short
    assert short <= 20


# --- Links from the person and case pages -----------------------------------------------------


def test_the_person_and_case_pages_link_to_the_documents_for_those_who_may_see_them(world, client):
    case = sam_case(world)
    person_url = reverse("people:detail", args=[world.child_sam.pk])
    case_url = reverse("casework:case-detail", args=[case.pk])
    list_url = reverse("documents:list", args=[world.child_sam.pk])
    upload_url = reverse("documents:upload", args=[world.child_sam.pk])
    client.force_login(world.sw_amy)
    assert list_url in client.get(person_url).content.decode()
    body = client.get(case_url).content.decode()
    assert list_url in body and f"{upload_url}?case={case.pk}" in body
    # From the case, the upload form offers that case already chosen.
    page = client.get(f"{upload_url}?case={case.pk}").content.decode()
    assert f'<option value="{case.pk}" selected>' in page
    client.force_login(world.analyst_eve)
    assert list_url not in client.get(person_url).content.decode()
    assert list_url not in client.get(case_url).content.decode()


def test_the_record_history_says_a_document_was_added_to_those_who_may_see_it(world, client):
    upload(client, world, PDF)
    person_url = reverse("people:detail", args=[world.child_sam.pk])
    client.force_login(world.tm_carol)
    assert "Document added" in client.get(person_url).content.decode()
    client.force_login(world.police_pat)  # involved with Sam: sees him, not his documents
    page = client.get(person_url)
    assert page.status_code == 200 and "Document added" not in page.content.decode()
