"""The bad-input corpus for the upload form, which the project-wide corpus cannot fill (it
has a file field and keeps no draft: ``NOT_FUZZED`` in safeguard/tests/test_bad_input.py).
The same payloads: NUL bytes refused with a message and nothing stored; over-long text
refused; everything else stored as typed and shown escaped; never a server error, and never
a file left behind by a refusal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguard.documents import samples, store
from safeguard.documents.models import Document

pytestmark = pytest.mark.django_db

# The project-wide corpus's payloads (safeguard/tests/test_bad_input.py), which this app's
# tests may not import (it imports apps above this one).
NUL = "Nul\x00byte"
SCRIPT = "<script>alert(1)</script>"
TEXT_PAYLOADS = [
    "' OR 1=1--", "Robert'); DROP TABLE people_person;--", SCRIPT,
    '"><img src=x onerror=alert(1)>', "\u202eevil\u202c text",
    '=HYPERLINK("http://evil.invalid","x")', "+44 1234", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
]  # fmt: skip
PDF = samples.pdf(["Synthetic"])


def _no_raw_markup(html: str) -> None:
    assert SCRIPT not in html
    assert "<img src=x onerror" not in html
TEXT_FIELDS = ("title", "source_detail", "description")
LIMITS = {"title": 200, "source_detail": 200, "description": 2_000}


def _data(**extra):
    data = {
        "file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
        "title": "Plain words", "document_date_day": "1", "document_date_month": "12",
        "document_date_year": "2025", "category": "report", "source": "health",
        "source_detail": "Plain words", "description": "Plain words",
    }  # fmt: skip
    data.update(extra)
    return data


def _files() -> int:
    return sum(1 for p in store.root().rglob("*") if p.is_file()) if store.root().exists() else 0


@pytest.fixture
def url(world, client):
    client.force_login(world.tm_carol)
    return reverse("documents:upload", args=[world.child_sam.pk])


@pytest.mark.parametrize("field", [*TEXT_FIELDS, "document_date_day", "category", "source"])
def test_a_nul_byte_is_refused_and_nothing_is_stored(client, url, field):
    response = client.post(url, _data(**{field: NUL}))
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Document.objects.exists() and _files() == 0


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_text_over_its_limit_is_refused(client, url, field):
    response = client.post(url, _data(**{field: "a" * (LIMITS[field] + 1)}))
    assert response.status_code == 400
    assert f"{LIMITS[field]:,} characters or fewer" in response.content.decode()
    assert not Document.objects.exists() and _files() == 0


@pytest.mark.parametrize("payload", [p for p in TEXT_PAYLOADS if len(p) <= 200])
def test_hostile_text_is_stored_as_typed_and_shown_escaped(world, client, url, payload):
    response = client.post(url, _data(**dict.fromkeys(TEXT_FIELDS, payload)))
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    # Stored as typed (leading and trailing blanks aside).
    assert document.title == payload.strip()
    page = client.get(response["Location"])
    assert page.status_code == 200
    _no_raw_markup(page.content.decode())


def test_a_choice_not_offered_is_refused(world, client, url):
    from safeguard.casework.tests.matrix import sam_case

    sam_case(world)  # so that the form offers his case
    for extra in ({"category": "' OR 1=1--"}, {"source": "<script>"}, {"case": "not-a-case"}):
        response = client.post(url, _data(**extra))
        assert response.status_code == 400
    assert not Document.objects.exists() and _files() == 0


def test_a_post_without_a_file_is_refused(client, url):
    data = _data()
    del data["file"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Choose a file" in response.content.decode()
