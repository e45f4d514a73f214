"""Download file names are safe slugs, whatever they are built from (issue 11, item 8): a
quote or semicolon cannot add a second ``filename`` parameter, a CR or LF cannot break the
header (it answered 500), and path separators and non-ASCII letters are dropped."""

import re

import pytest
from django.urls import reverse

from safeguard.casework.tests.test_chronology import case, entries  # noqa: F401 (fixtures)
from safeguard.core.csv import csv_response
from safeguard.core.downloads import safe_filename
from safeguard.returns.models import JobKind, JobStatus, ReturnJob

HOSTILE = [
    'x"; filename="evil.html',
    "x\r\nSet-Cookie: stolen=1",
    "x\nfilename=evil.html",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "Zoë Ødegård 名前",
    "a;b,c=d e%0d%0a",
    "",
]

SAFE_HEADER = re.compile(r'^attachment; filename="[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)?"$')


def assert_safe(response):
    header = response["Content-Disposition"]
    # One quoted filename parameter of safe characters, and nothing after it.
    assert SAFE_HEADER.match(header), header


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_helper_makes_any_name_a_safe_slug(hostile):
    name = safe_filename(f"report-{hostile}.csv")
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.csv", name), name
    assert_safe(csv_response(f"{hostile}.csv", rows=[], header=["a"]))
    assert_safe(csv_response(hostile, rows=[], header=["a"]))


def test_ordinary_names_are_kept():
    assert safe_filename("indicators-2025-04-01-2026-03-31.csv") == "indicators-2025-04-01-2026-03-31.csv"
    assert safe_filename("annex-a-2026-03-31-991.xlsx") == "annex-a-2026-03-31-991.xlsx"
    assert safe_filename("CIN_2025-26.xml") == "CIN_2025-26.xml"


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("who", ["analyst_eve", "sm_dan"])
def test_every_download_route_with_hostile_parameters(world, client, hostile, who):
    client.raise_request_exception = False
    client.force_login(getattr(world, who))
    urls = [
        ("/performance/demand/children/", {"table": "sources", "series": "contacts", "key": hostile}),
        ("/performance/demand/children/", {"table": "funnel", "series": hostile, "key": hostile}),
        ("/performance/demand/", {"from": hostile, "to": hostile}),
        ("/performance/", {"from": hostile, "team": ""}),
        ("/performance/referrals/", {"table": "trend", "to": hostile}),
        ("/performance/referrals/", {"table": "teams", "from": hostile}),
        ("/performance/referrals/children/", {"part": "denominator", "from": hostile}),
        ("/data-quality/", {"table": hostile}),
        ("/data-quality/mine/", {"page": hostile}),
        ("/privacy/retention.csv", {"as_at": hostile}),
        (f"/people/{world.child_sam.pk}/access-history.csv", {"from_date": hostile}),
    ]
    for url, params in urls:
        response = client.get(url, {**params, "format": "csv"})
        assert response.status_code in (200, 302, 403, 404), (url, params, response.status_code)
        if response.status_code == 200:
            assert_safe(response)


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_pdf_named_after_a_record_field_is_safe(world, client, entries, hostile):  # noqa: F811
    world.child_sam.la_child_id = hostile[:20]
    world.child_sam.save(update_fields=["la_child_id"])
    client.force_login(world.sw_amy)
    response = client.get(reverse("casework:chronology-pdf", args=[world.child_sam.pk]))
    assert response.status_code == 200
    assert_safe(response)


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_returns_file_keeps_a_safe_name(world, client, hostile, settings, tmp_path):
    settings.SAFEGUARD_RETURNS_DIR = tmp_path
    job = ReturnJob.objects.create(
        kind=JobKind.ANNEX_A_EXPORT, authority=world.authority, started_by=world.analyst_eve,
        status=JobStatus.DONE, result_file="out.xlsx", result_name=f"{hostile}.xlsx",
    )  # fmt: skip
    job.folder.mkdir(parents=True)
    (job.folder / "out.xlsx").write_bytes(b"PK")
    client.force_login(world.analyst_eve)
    response = client.get(reverse("returns:download", args=[job.pk]))
    assert response.status_code == 200
    assert_safe(response)
