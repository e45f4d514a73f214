"""Documents in the subject access export (with their files) and in the retention rules
(decision 0047)."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from safeguard.casework.models import Case
from safeguard.documents import samples, store
from safeguard.documents.services import document_add
from safeguard.privacy import retention
from safeguard.privacy.models import RecordType
from safeguard.privacy.retention import DEFAULT_RULES, Facts, governing, outcomes
from safeguard.privacy.services import sar_create

pytestmark = pytest.mark.django_db

PDF = samples.pdf(["Synthetic school report."])
PNG = samples.png(2, 2, (0, 90, 200))


def _add(world, content, title, day, **kw):
    return document_add(by=world.sw_amy, child=world.child_sam, content=content, title=title,
                        document_date=day, category=kw.pop("category", "report"),
                        source=kw.pop("source", "school"), **kw)  # fmt: skip


def test_the_export_lists_each_document_and_holds_its_file(world, client):
    report = _add(world, PDF, "School report <summer>", date(2025, 7, 1), source_detail="Hillside")
    photo = _add(world, PNG, "Bruise on arm", date(2025, 7, 2), category="photograph",
                 source="social_care")  # fmt: skip
    # Sally's document is not Sam's: it is not in his export.
    document_add(by=world.sw_amy, child=world.child_sally, content=PDF, title="Sally's letter",
                 document_date=date(2025, 7, 3), category="letter", source="school")  # fmt: skip
    sar = sar_create(by=world.sm_dan, person=world.child_sam, requester="His mother",
                     received_date=date(2025, 8, 1))  # fmt: skip
    client.force_login(world.sm_dan)
    response = client.get(reverse("privacy:sar-download", kwargs={"sar_id": sar.pk}))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("record.json"))
    listed = {d["title"]: d for d in data["documents"]}
    assert set(listed) == {"School report <summer>", "Bruise on arm"}
    entry = listed["School report <summer>"]
    assert (entry["date"], entry["kind"], entry["source"], entry["size"], entry["sha256"]) == (
        "2025-07-01", "Report", "School or nursery (Hillside)", len(PDF), report.sha256
    )
    assert entry["added_by"]["name"] == "Amy Adeyemi"
    # The files themselves, byte for byte, under documents/.
    assert archive.read(entry["file"]) == PDF
    assert archive.read(listed["Bruise on arm"]["file"]) == PNG
    assert sorted(n for n in archive.namelist() if n.startswith("documents/")) == sorted(
        [entry["file"], listed["Bruise on arm"]["file"]]
    )
    # The walk of the record holds them too, without the store's key.
    assert photo.file_key not in json.dumps(data)
    html = archive.read("report.html").decode()
    assert "School report &lt;summer&gt;" in html and entry["file"] in html


def test_a_document_whose_file_is_missing_is_listed_as_missing(world, client):
    doc = _add(world, PDF, "Letter", date(2025, 7, 1))
    store.remove(doc.file_key)
    sar = sar_create(by=world.sm_dan, person=world.child_sam, requester="Sam",
                     received_date=date(2025, 8, 1))  # fmt: skip
    client.force_login(world.sm_dan)
    response = client.get(reverse("privacy:sar-download", kwargs={"sar_id": sar.pk}))
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("record.json"))
    assert data["documents"][0]["file_missing"] is True


def test_documents_rule_from_the_18th_birthday_or_the_latest_document():
    rules = dict(DEFAULT_RULES)
    # A child with documents only: 18th birthday plus 3 years.
    o = governing(outcomes(Facts(date_of_birth=date(2015, 3, 14), latest_document=date(2025, 7, 1)), rules))
    assert (o.rule.record_type, o.review_date) == (RecordType.DOCUMENTS, date(2036, 3, 14))
    # An adult's document: 3 years after it.
    o = governing(outcomes(Facts(date_of_birth=date(1980, 1, 1), latest_document=date(2025, 7, 1)), rules))
    assert o.review_date == date(2028, 7, 1)
    # A document never shortens the rest of the record: the latest date wins.
    facts = Facts(date_of_birth=date(2000, 1, 1), has_case=True, child_protection=True,
                  last_contact=date(2020, 1, 1), latest_document=date(2021, 1, 1))  # fmt: skip
    o = governing(outcomes(facts, rules))
    assert (o.rule.record_type, o.review_date) == (RecordType.CHILD_PROTECTION, date(2055, 1, 1))
    # An open case: not yet known.
    o = governing(outcomes(Facts(latest_document=date(2021, 1, 1), has_open_case=True), rules))
    assert o.review_date is None


def test_the_report_finds_a_record_kept_for_its_documents(world):
    from safeguard.people.models import Person

    adult = world.mother_mary
    Person.objects.filter(pk=adult.pk).update(date_of_birth=date(1980, 1, 1))
    document_add(by=world.sw_amy, child=adult, content=PDF, title="Letter", source="family",
                 document_date=date(2020, 1, 1), category="letter")  # fmt: skip
    assert not Case.objects.filter(child=adult).exists()
    rep = retention.report(authority_id=world.authority.pk, as_at=date(2023, 1, 2))
    row = next(r for r in rep.due if r.person.pk == adult.pk)
    assert (row.outcome.rule.record_type, row.outcome.review_date) == ("documents", date(2023, 1, 1))
    assert "latest document" in row.outcome.rule.describe
