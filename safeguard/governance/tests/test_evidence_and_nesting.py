"""Evidence documents (an uploaded file as evidence of an action) and plans nested at any depth
(decision 0086)."""

import os
import time
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from safeguard.core.errors import ApplicationError
from safeguard.documents import samples, store
from safeguard.documents import services as document_services
from safeguard.governance import evidence_files, selectors, services
from safeguard.governance.models import Evidence

pytestmark = pytest.mark.django_db

ON = date(2026, 12, 1)
PDF = samples.pdf(["Partnership minutes, March (synthetic)"], title="Minutes")


def plan(world, title, *, lead=None, into=None, agency=None):
    return services.plan_create(
        by=world.sm_dan, title=title, owner_body="Safeguarding partnership",
        lead=lead or world.sm_dan, start_date=date(2026, 1, 1), end_date=date(2028, 12, 31),
        incorporated_into=into, agency=agency,
    )  # fmt: skip


def three_levels(world):
    top = plan(world, "Partnership plan")
    police = plan(world, "Borough police plan", into=top, agency=world.police)
    team = plan(world, "Public protection unit plan", into=police, agency=world.police)
    return top, police, team


def an_action(world, p, title, **kw):
    objective = services.objective_add(by=world.sm_dan, plan=p, title=f"{title} objective")
    fields = {"owner": world.police_pat, "agency": world.police, "due_date": ON + timedelta(30)}
    return services.action_add(by=world.sm_dan, objective=objective, title=title, **(fields | kw))


def stored_files() -> list:
    return sorted(p for p in store.root().rglob("*") if p.is_file())


# --- Plans nested at any depth --------------------------------------------------------------


def test_an_action_of_the_bottom_plan_is_monitored_in_all_three_plans(world, client):
    top, police, team = three_levels(world)
    bottom = an_action(world, team, "Desk checks within 24 hours", rag="red",
                       rag_reason="No cover", due_date=ON - timedelta(days=5))  # fmt: skip
    an_action(world, police, "Police training", rag="amber", rag_reason="Late start")

    rows = {r.plan_id: r for r in selectors.rag_summary([top, police, team], ON).rows}
    assert (rows[top.pk].red, rows[top.pk].amber, rows[top.pk].late, rows[top.pk].total) == (
        1, 1, 1, 2,
    )  # fmt: skip
    assert rows[top.pk].incorporated == ("Borough police plan", "Public protection unit plan")
    assert (rows[police.pk].red, rows[police.pk].total) == (1, 2)
    assert (rows[team.pk].red, rows[team.pk].total) == (1, 1)

    for p in (top, police, team):
        report = selectors.highlight_report(p, ON)
        assert [a.title for a in report.actions] == ["Desk checks within 24 hours"], p.title
        assert report.actions[0].plans == ("Public protection unit plan",)

    client.force_login(world.school_sid)
    for p in (top, police, team):
        page = client.get(reverse("governance:plan", args=[p.pk])).content.decode()
        assert reverse("governance:action", args=[bottom.pk]) in page, p.title
        highlights = client.get(reverse("governance:highlights", args=[p.pk])).content.decode()
        assert "Desk checks within 24 hours" in highlights, p.title
    page = client.get(reverse("governance:plan", args=[top.pk])).content.decode()
    # The action list says which plan each action comes from, and through which plan.
    assert "Incorporated: <a" in page and "Public protection unit plan" in page
    assert "Incorporated through Borough police plan" in page
    listing = client.get(reverse("governance:plans")).content.decode()
    assert "with Borough police plan, Public protection unit plan" in listing


def test_a_cycle_is_refused_with_a_clear_message(world, client):
    top, police, team = three_levels(world)

    def move(p, into):
        p.refresh_from_db()
        return services.plan_update(
            by=world.sm_dan, plan=p, version=p.version, title=p.title, owner_body=p.owner_body,
            lead=p.lead, start_date=p.start_date, end_date=p.end_date, status=p.status,
            agency=p.agency, incorporated_into=into,
        )  # fmt: skip

    with pytest.raises(ApplicationError, match="is incorporated into this plan"):
        move(top, team)  # its own grandchild
    with pytest.raises(ApplicationError, match="is incorporated into this plan"):
        move(police, team)  # its own child
    with pytest.raises(ApplicationError, match="into itself"):
        move(team, team)
    top.refresh_from_db()
    assert top.incorporated_into_id is None

    client.force_login(world.sm_dan)
    top.refresh_from_db()
    response = client.post(reverse("governance:plan-edit", args=[top.pk]), {
        "title": top.title, "owner_body": top.owner_body, "lead": world.sm_dan.pk,
        "start_date_day": "1", "start_date_month": "1", "start_date_year": "2026",
        "end_date_day": "31", "end_date_month": "12", "end_date_year": "2028",
        "status": "draft", "incorporated_into": team.pk, "version": top.version})  # fmt: skip
    assert response.status_code == 400
    assert "is incorporated into this plan" in response.content.decode()
    top.refresh_from_db()
    assert top.incorporated_into_id is None

    # Moving a plan beside its place is allowed: the team plan straight into the top plan.
    move(team, top)
    rows = {r.plan_id: r for r in selectors.rag_summary([top, police], ON).rows}
    assert rows[top.pk].incorporated == ("Borough police plan", "Public protection unit plan")
    assert rows[police.pk].incorporated == ()


@pytest.mark.parametrize("name", ["plan", "highlights", "plans"])
def test_the_plan_pages_make_as_many_queries_at_depth_one_as_at_depth_three(
    world, client, django_assert_max_num_queries, name
):
    client.force_login(world.sm_dan)
    counts = []
    for depth in (1, 3):
        top = plan(world, f"Top {depth}")
        below = top
        for level in range(depth):
            below = plan(world, f"Level {level + 1} of {depth}", into=below)
            an_action(world, below, f"Action {level} of {depth}", rag="red", rag_reason="Behind")
        args = [] if name == "plans" else [top.pk]
        with django_assert_max_num_queries(30) as captured:
            page = client.get(reverse(f"governance:{name}", args=args))
        assert page.status_code == 200
        assert f"Action {depth - 1} of {depth}" in page.content.decode() or name == "plans"
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- Evidence documents ---------------------------------------------------------------------


@pytest.fixture
def act(world):
    return an_action(world, plan(world, "Partnership plan"), "Audit chronologies")


def test_an_uploaded_file_is_evidence_downloaded_by_whoever_may_see_the_action(world, client, act):
    client.force_login(world.police_pat)  # the action's owner
    response = client.post(reverse("governance:evidence-new", args=[act.pk]), {
        "title": "Minutes of the March meeting",
        "file": SimpleUploadedFile("March minutes.pdf", PDF, content_type="text/plain"),
    })  # fmt: skip
    assert response.status_code == 302
    evidence = Evidence.objects.get(action=act)
    assert (evidence.url, evidence.file_name, evidence.extension) == (
        "",
        "March minutes.pdf",
        "pdf",
    )
    assert evidence.size == len(PDF) and len(evidence.sha256) == 64
    path = evidence_files.path_of(evidence.file_key)
    assert path.read_bytes() == PDF and "governance" in path.parts
    assert "March minutes" not in str(path)  # stored under a random key, never its name

    download = reverse("governance:evidence-file", args=[evidence.pk])
    assert download.endswith(f"/governance/evidence/{evidence.pk}/file")
    client.force_login(world.school_sid)  # any reader of the plans
    page = client.get(reverse("governance:action", args=[act.pk])).content.decode()
    assert download in page and "Download March minutes.pdf" in page
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="March-minutes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    for outsider in (world.other_sw, world.inspector_ian):
        client.force_login(outsider)
        assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302


def test_a_link_and_a_file_together_and_a_link_alone(world, act):
    both = services.evidence_add(by=world.sm_dan, action=act, title="Audit report",
                                 url="https://example.org/audit", file=PDF)  # fmt: skip
    link = services.evidence_add(by=world.sm_dan, action=act, title="Web page",
                                 url="https://example.org/page")  # fmt: skip
    assert both.url and both.file_key and both.file_name == "evidence.pdf"
    assert link.url and not link.file_key and link.size is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "Nothing"}, "Enter a link or choose a file, or both"),
        ({"title": "Empty", "file": ("empty.pdf", b"")}, "The file is empty"),
        ({"title": "Script", "file": ("notes.pdf", b"#!/bin/sh\necho hi\n")},
         "not a type Safeguard accepts"),
        ({"title": "Old Word", "file": ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 99)},
         "old Office format"),
        ({"title": "Huge", "file": ("big.pdf", PDF + b"0" * 2048)}, "larger than"),
        ({"title": "", "file": ("fine.pdf", PDF)}, "Say what the evidence is"),
        ({"title": "Bad link", "url": "javascript:alert(1)", "file": ("fine.pdf", PDF)},
         "Enter a link"),
    ],
)  # fmt: skip
def test_bad_evidence_is_refused_and_stores_nothing(world, client, act, settings, data, message):
    settings.SAFEGUARD_DOCUMENT_MAX_BYTES = len(PDF) + 1024
    before = stored_files()
    if "file" in data:
        name, content = data["file"]
        data = data | {"file": SimpleUploadedFile(name, content)}
    client.force_login(world.sm_dan)
    response = client.post(reverse("governance:evidence-new", args=[act.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files() == before  # no file left behind, not even a temporary one


def test_a_failed_save_leaves_no_file(world, act, monkeypatch):
    def fail(**_):
        raise IntegrityError("the database refused")

    monkeypatch.setattr(services, "_evidence_save", fail)
    before = stored_files()
    with pytest.raises(IntegrityError):
        services.evidence_add(by=world.sm_dan, action=act, title="Report", file=PDF)
    assert stored_files() == before


def test_evidence_files_survive_the_documents_orphan_sweep_and_have_their_own(world, act):
    kept = services.evidence_add(by=world.sm_dan, action=act, title="Report", file=PDF)
    orphan = evidence_files.receive_and_place(PDF)  # placed, never recorded
    document_services.orphans_remove(older_than_seconds=0)
    assert evidence_files.path_of(kept.file_key).exists()
    assert evidence_files.path_of(orphan.key).exists()
    removed = services.evidence_orphans_remove(older_than_seconds=0)
    assert removed == [f"{orphan.key}.evidence"]
    assert evidence_files.path_of(kept.file_key).exists()


def test_evidence_needs_a_link_or_a_file_in_the_database_too(act):
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(action=act, title="Nothing at all")


def test_the_evidence_form_refuses_long_text_and_shows_hostile_text_escaped(world, client, act):
    client.force_login(world.sm_dan)
    url = reverse("governance:evidence-new", args=[act.pk])
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    assert "data-no-draft" in page  # a file cannot be kept in a draft
    response = client.post(url, {"title": "x" * 201, "url": "https://example.org/a"})
    assert response.status_code == 400 and not Evidence.objects.exists()
    response = client.post(url, {"title": "Nul\x00byte", "url": "https://example.org/a"})
    assert response.status_code == 400 and not Evidence.objects.exists()
    hostile = '<script>alert("x")</script> Minutes'
    response = client.post(url, {"title": hostile, "file": SimpleUploadedFile("m.pdf", PDF)})
    assert response.status_code == 302
    assert Evidence.objects.get().title == hostile
    page = client.get(reverse("governance:action", args=[act.pk])).content.decode()
    assert hostile not in page and "&lt;script&gt;" in page


def test_the_nightly_job_removes_old_orphaned_evidence_files(world, act):
    from safeguard.core import schedule

    kept = services.evidence_add(by=world.sm_dan, action=act, title="Report", file=PDF)
    orphan = evidence_files.receive_and_place(PDF)
    old = time.time() - 7200
    for key in (orphan.key, kept.file_key):  # both old: the named one stays
        os.utime(evidence_files.path_of(key), (old, old))
    job = schedule.job("clean-evidence-files")
    assert job.run() == "1 orphaned evidence file removed"
    assert not evidence_files.path_of(orphan.key).exists()
    assert evidence_files.path_of(kept.file_key).exists()
