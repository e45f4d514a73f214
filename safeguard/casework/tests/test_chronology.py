"""The child's chronology: listed in event-date order, added to and annotated through forms
that refuse bad input, printable, and downloadable as a PDF that contains the entries."""

import re
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.casework import services
from safeguard.casework.models import ChronologyAnnotation, ChronologyEntry
from safeguard.casework.tests.matrix import sam_case
from safeguard.testing.decisions import close_case

pytestmark = pytest.mark.django_db


def on(field: str, day: date) -> dict:
    return {f"{field}_day": str(day.day), f"{field}_month": str(day.month), f"{field}_year": str(day.year)}


def counts() -> tuple:
    return (ChronologyEntry.objects.count(), ChronologyAnnotation.objects.count(), ChangeEvent.objects.count())


def events() -> Counter:
    return Counter(AccessEvent.objects.values_list("person_id", flat=True))


@pytest.fixture
def case(world):
    return sam_case(world)


@pytest.fixture
def entries(world, case):
    """Three entries recorded out of date order."""
    made = []
    for day, what, agency in [
        (date(2025, 3, 1), "Missed health visitor appointment", "Health"),
        (date(2025, 1, 20), "Police called to a domestic incident at the home", "Police"),
        (date(2025, 2, 14), "Excluded from school for two days", "Oakfield Primary"),
    ]:
        made.append(services.chronology_entry_add(by=world.sw_amy, case=case, event_date=day, what=what, source_agency=agency))
    return made


def chronology_url(world) -> str:
    return reverse("casework:chronology", args=[world.child_sam.pk])


def test_chronology_lists_entries_in_event_date_order(world, client, entries):
    client.force_login(world.sw_amy)
    response = client.get(chronology_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    positions = [page.index(text) for text in ("Police called", "Excluded from school", "Missed health visitor")]
    assert positions == sorted(positions)
    assert "20 Jan 2025" in page and "Amy Adeyemi" in page
    assert 'href="?print=1"' in page


def test_chronology_logs_the_child_once(world, client, entries):
    client.force_login(world.sm_dan)
    assert client.get(chronology_url(world)).status_code == 200
    assert events() == Counter({world.child_sam.pk: 1})


def test_partner_gets_404_and_no_event(world, client, entries):
    client.force_login(world.police_pat)
    assert client.get(chronology_url(world)).status_code == 404
    assert client.get(reverse("casework:chronology-pdf", args=[world.child_sam.pk])).status_code == 404
    assert AccessEvent.objects.count() == 0


def test_print_layout_hides_the_forms(world, client, entries):
    client.force_login(world.sw_amy)
    page = client.get(chronology_url(world), {"print": "1"}).content.decode()
    assert "print layout" in page
    assert reverse("casework:chronology-entry-new", args=[world.child_sam.pk]) not in page
    assert "Annotate" not in page
    assert "Police called" in page


def test_entry_is_added(world, client, case):
    client.force_login(world.sw_amy)
    data = {"what": "Mother's new partner moved in", "source_agency": "Mother", "impact": "Unknown adult in the home", "outcome": "Checks requested", **on("event_date", date(2025, 4, 2))}
    response = client.post(reverse("casework:chronology-entry-new", args=[world.child_sam.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == chronology_url(world)
    entry = ChronologyEntry.objects.get(what="Mother's new partner moved in")
    assert (entry.case, entry.created_by, entry.impact) == (case, world.sw_amy, "Unknown adult in the home")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"what": "", **on("event_date", date(2025, 4, 2))}, "Enter what happened"),
        ({"what": "x" * 501, **on("event_date", date(2025, 4, 2))}, "What happened must be 500 characters or fewer"),
        ({"what": "Fall", **on("event_date", date(2099, 4, 2))}, "cannot be in the future"),
        ({"what": "Fall", "event_date_day": "", "event_date_month": "", "event_date_year": ""}, "Enter the date of the event"),
        ({"what": "Fall", "event_date_day": "30", "event_date_month": "2", "event_date_year": "2025"}, "must be a real date"),
    ],
)
def test_bad_entry_is_refused_and_stores_nothing(world, client, case, data, message):
    client.force_login(world.sw_amy)
    before = counts()
    response = client.post(reverse("casework:chronology-entry-new", args=[world.child_sam.pk]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert counts() == before


def test_adding_an_entry_without_a_case_is_refused_politely(world, client):
    client.force_login(world.sw_amy)
    address = reverse("casework:chronology-entry-new", args=[world.child_tom.pk])
    before = counts()
    response = client.post(address, {"what": "Fall", **on("event_date", date(2025, 4, 2))})
    assert response.status_code == 200
    assert "There is no case to add the entry to" in response.content.decode()
    assert counts() == before


def test_entry_goes_on_the_latest_case_once_closed(world, client, case):
    close_case(by=world.sw_amy, case=case, closure_date=date(2025, 3, 3), reason="RC7")
    client.force_login(world.sw_amy)
    response = client.post(reverse("casework:chronology-entry-new", args=[world.child_sam.pk]), {"what": "Moved school", **on("event_date", date(2025, 5, 2))})
    assert response.status_code == 302
    assert ChronologyEntry.objects.get(what="Moved school").case == case


def test_annotation_is_added_and_shown(world, client, entries):
    client.force_login(world.tm_carol)
    address = reverse("casework:chronology-annotate", args=[entries[1].pk])
    assert "Police called" in client.get(address).content.decode()
    response = client.post(address, {"text": "Police report received: no further action"})
    assert response.status_code == 302
    note = entries[1].annotations.get()
    assert note.created_by == world.tm_carol
    page = client.get(chronology_url(world)).content.decode()
    assert "Police report received: no further action" in page and "Carol Chen" in page


def test_blank_annotation_is_refused(world, client, entries):
    client.force_login(world.sw_amy)
    before = counts()
    response = client.post(reverse("casework:chronology-annotate", args=[entries[0].pk]), {"text": "   "})
    assert response.status_code == 200
    assert "Enter the annotation" in response.content.decode()
    assert counts() == before


def test_analyst_cannot_add_or_annotate(world, client, entries):
    client.force_login(world.analyst_eve)
    before = counts()
    assert client.post(reverse("casework:chronology-annotate", args=[entries[0].pk]), {"text": "x"}).status_code == 403
    assert client.post(reverse("casework:chronology-entry-new", args=[world.child_sam.pk]), {"what": "x", **on("event_date", date(2025, 4, 2))}).status_code == 403
    assert counts() == before


# --- The PDF ------------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    """The strings drawn on the pages of an uncompressed PDF, joined."""
    return " ".join(m.decode("latin-1") for m in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", content))


def test_pdf_contains_the_entries_in_order(world, client, entries, settings):
    settings.SAFEGUARD_PDF_COMPRESSION = False
    services.chronology_annotate(by=world.tm_carol, entry=entries[1], text="Confirmed by police")
    client.force_login(world.sw_amy)
    response = client.get(reverse("casework:chronology-pdf", args=[world.child_sam.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="chronology-T000001.pdf"'
    content = response.content
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    for expected in ("Chronology: Sam Smith", "14 March 2015", "T000001", "Confidential", "CONFIDENTIAL", "by Amy Adeyemi", "Page 1 of 1", "Confirmed by police", "Oakfield Primary"):
        assert expected in text, expected
    positions = [text.index(t) for t in ("20 Jan 2025", "14 Feb 2025", "1 Mar 2025")]
    assert positions == sorted(positions)
    # The text is set in the embedded TrueType font, so names outside ASCII print.
    assert b"Vera" in content and b"FontFile2" in content


def test_pdf_of_a_long_chronology_numbers_its_pages(world, client, case, settings):
    settings.SAFEGUARD_PDF_COMPRESSION = False
    for n in range(60):
        services.chronology_entry_add(by=world.sw_amy, case=case, event_date=date(2025, 1, 7), what=f"Event number {n} " + "with a long description " * 6)
    client.force_login(world.sw_amy)
    text = _pdf_text(client.get(reverse("casework:chronology-pdf", args=[world.child_sam.pk])).content)
    pages = set(re.findall(r"Page \d+ of (\d+)", text))
    assert len(pages) == 1 and int(pages.pop()) > 1
    assert "Event number 59" in text


def test_pdf_is_compressed_by_default_and_logs_the_child(world, client, entries):
    client.force_login(world.sw_amy)
    response = client.get(reverse("casework:chronology-pdf", args=[world.child_sam.pk]))
    assert response.content.startswith(b"%PDF")
    assert b"FlateDecode" in response.content
    assert events() == Counter({world.child_sam.pk: 1})


def test_pdf_renders_a_name_outside_ascii(world, client, case, settings):
    settings.SAFEGUARD_PDF_COMPRESSION = False
    world.child_sam.given_names = "Zoë Siân"
    world.child_sam.save()
    client.force_login(world.sw_amy)
    response = client.get(reverse("casework:chronology-pdf", args=[world.child_sam.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")



def _words(n: int, marker: str) -> str:
    """Exactly n characters of ordinary words, ending with a marker to find in the PDF."""
    text = ""
    while len(text) < n:
        text += f"word{len(text) % 97} "
    return text[: n - len(marker) - 1] + " " + marker


@pytest.mark.parametrize("length", [1_500, 4_000, 20_000])
def test_pdf_lays_out_an_entry_of_any_length_across_pages(world, client, case, settings, length):
    """An entry longer than a page (up to the narrative limit, many pages) is split across
    pages, not refused: every part reaches the PDF and the other entries stay."""
    settings.SAFEGUARD_PDF_COMPRESSION = False
    services.chronology_entry_add(by=world.sw_amy, case=case, event_date=date(2025, 1, 6), what="Short entry before")
    entry = services.chronology_entry_add(
        by=world.sw_amy, case=case, event_date=date(2025, 1, 7), what=_words(500, "ENDOFWHAT"),
        source_agency="Police", impact=_words(length, "ENDOFIMPACT"), outcome=_words(length // 2, "ENDOFOUTCOME"),
    )
    for n in range(3):
        services.chronology_annotate(by=world.tm_carol, entry=entry, text=_words(length // 4, f"ENDOFNOTE{n}"))
    services.chronology_entry_add(by=world.sw_amy, case=case, event_date=date(2025, 1, 8), what="Short entry after")
    client.force_login(world.sw_amy)
    response = client.get(reverse("casework:chronology-pdf", args=[world.child_sam.pk]))
    assert response.status_code == 200
    text = _pdf_text(response.content)
    for marker in ("Short entry before", "ENDOFWHAT", "ENDOFIMPACT", "ENDOFOUTCOME", "ENDOFNOTE2", "Short entry after"):
        assert marker in text, marker
    if length >= 4_000:
        assert int(re.findall(r"Page \d+ of (\d+)", text)[0]) > 1


def test_pdf_lays_out_text_stored_before_the_limits_however_long(world, client, case, settings):
    """Older records may hold more than today's limits: the PDF still lays them out."""
    settings.SAFEGUARD_PDF_COMPRESSION = False
    entry = services.chronology_entry_add(by=world.sw_amy, case=case, event_date=date(2025, 1, 7), what="Imported")
    ChronologyEntry.objects.filter(pk=entry.pk).update(impact=_words(60_000, "ENDOFOLD"))
    client.force_login(world.sw_amy)
    response = client.get(reverse("casework:chronology-pdf", args=[world.child_sam.pk]))
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "ENDOFOLD" in text and int(re.findall(r"Page \d+ of (\d+)", text)[0]) > 5


def test_pdf_lays_out_a_word_longer_than_a_line_and_many_short_lines(world, client, case, settings):
    settings.SAFEGUARD_PDF_COMPRESSION = False
    services.chronology_entry_add(by=world.sw_amy, case=case, event_date=date(2025, 1, 7), what="Long word", impact="x" * 9_000 + " ENDOFWORD")
    services.chronology_entry_add(by=world.sw_amy, case=case, event_date=date(2025, 1, 8), what="Many lines", outcome="line\n" * 900 + "ENDOFLINES")
    client.force_login(world.sw_amy)
    response = client.get(reverse("casework:chronology-pdf", args=[world.child_sam.pk]))
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "ENDOFWORD" in text and "ENDOFLINES" in text


def test_pdf_of_names_and_text_the_font_cannot_draw_is_still_made(world, client, case):
    """Vera covers Western European letters only: other scripts print as the font's blanks,
    but the document is still made."""
    world.child_sam.given_names = "Анна 李 عائشة Ngọc"
    world.child_sam.save()
    services.chronology_entry_add(by=world.sw_amy, case=case, event_date=date(2025, 1, 7), what="Визит 家访 زيارة", impact="Визит 家访 زيارة " * 500, source_agency="Поліція")
    client.force_login(world.sw_amy)
    response = client.get(reverse("casework:chronology-pdf", args=[world.child_sam.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
