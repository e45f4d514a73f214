"""The directory of services: search and filters, currency, keeping entries (with version
checks), appointing editors, the Open Referral UK round trip and refusals, query counts."""

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import ChangeEvent
from safeguard.core.errors import ApplicationError
from safeguard.directory import oruk, selectors, services
from safeguard.directory.models import DirectoryEditor, Service
from safeguard.referrals.services import thresholds_load_default

pytestmark = pytest.mark.django_db


@pytest.fixture
def levels(world):
    return {
        level.number: level for level in thresholds_load_default(by=None, authority=world.authority)
    }


def add(world, name="Northbank Family Hub", **extra):
    values = {
        "organisation": "Testshire Council", "kind": "early_help",
        "description": "Parenting groups and one-to-one family support.",
        "how_to_refer": "Email the hub with the family's consent.",
    }  # fmt: skip
    values |= extra
    return services.service_add(by=world.sm_dan, name=name, **values)


def names(page):
    return [s.name for s in page.rows]


def search(world, on=None, **filters):
    return selectors.directory_search(
        world.sw_amy, selectors.Filters(**filters), on=on or timezone.localdate()
    )


# --- Search and filters -----------------------------------------------------------------


def test_search_filters_by_text_kind_age_district_level_and_need(world, levels):
    add(
        world,
        "Toddler Talk",
        kind="health",
        min_age=0,
        max_age=4,
        areas=["KM1"],
        needs=["physical_health"],
    )
    add(
        world,
        "Teen Space",
        organisation="Riverside Youth Trust",
        kind="youth",
        min_age=11,
        max_age=18,
        levels=[2],
    )
    add(
        world,
        "Safe Homes",
        kind="domestic_abuse",
        areas=["KM3", "KM10"],
        levels=[3, 4],
        needs=["domestic_abuse"],
        description="Refuge and outreach for families living with domestic abuse.",
    )
    assert names(search(world)) == ["Safe Homes", "Teen Space", "Toddler Talk"]
    assert names(search(world, text="riverside")) == ["Teen Space"]
    assert names(search(world, text="outreach refuge")) == ["Safe Homes"]
    assert names(search(world, kind="health")) == ["Toddler Talk"]
    # No age bound is any age.
    assert names(search(world, age=3)) == ["Safe Homes", "Toddler Talk"]
    assert names(search(world, age=15)) == ["Safe Homes", "Teen Space"]
    # No district is the whole borough; KM1 does not match KM10.
    assert names(search(world, district="KM1")) == ["Teen Space", "Toddler Talk"]
    assert names(search(world, district="KM10")) == ["Safe Homes", "Teen Space"]
    # No level is any level; 3 is not matched inside another number.
    assert names(search(world, level=2)) == ["Teen Space", "Toddler Talk"]
    assert names(search(world, level=4)) == ["Safe Homes", "Toddler Talk"]
    assert names(search(world, need="domestic_abuse")) == ["Safe Homes", "Teen Space"]


def test_search_shows_only_the_users_authority(world, levels):
    add(world)
    assert search(world).count == 1
    page = selectors.directory_search(world.other_sw, selectors.Filters(), on=timezone.localdate())
    assert page.count == 0


def test_currency_words_and_filter(world, levels):
    today = date(2026, 12, 7)
    fresh = add(world, "Fresh", last_checked=date(2026, 9, 1))
    old = add(world, "Old", last_checked=date(2025, 11, 30))
    assert selectors.checked_words(fresh, today) == "Checked 3 months ago"
    assert selectors.checked_words(old, today) == "Out of date: not checked since 30 November 2025"
    assert names(search(world, on=today, currency="current")) == ["Fresh"]
    assert names(search(world, on=today, currency="lapsed")) == ["Old"]


def test_the_search_page_shows_lapsed_entries_marked(world, levels, client):
    add(world, "Old", last_checked=timezone.localdate() - timedelta(days=400))
    client.force_login(world.school_sid)
    response = client.get(reverse("directory:search"), {"currency": "lapsed"})
    assert response.status_code == 200
    assert "Out of date: not checked since" in response.content.decode()


def test_a_bad_filter_is_shown_with_its_message_and_typing_kept(world, levels, client):
    client.force_login(world.sw_amy)
    response = client.get(reverse("directory:search"), {"age": "seven", "text": "hub"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter the child&#x27;s age as a whole number of years" in body
    assert 'value="hub"' in body


def test_the_search_page_makes_a_fixed_number_of_queries(
    world, levels, client, django_assert_max_num_queries
):
    client.force_login(world.sw_amy)
    add(world, "One", levels=[2], areas=["KM1"])
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("directory:search"), {"level": "2", "district": "KM1"})
    for i in range(30):
        add(world, f"Service {i:02}", levels=[2], areas=["KM1"])
    with django_assert_max_num_queries(40) as large:
        response = client.get(reverse("directory:search"), {"level": "2", "district": "KM1"})
    assert response.context["page"].count == 31
    assert len(response.context["page"].rows) == selectors.PAGE_SIZE
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_service_page_makes_a_fixed_number_of_queries(
    world, levels, client, django_assert_max_num_queries
):
    client.force_login(world.sw_amy)
    service = add(world, levels=[1, 2, 3], needs=["parenting", "housing"])
    url = reverse("directory:service", args=[service.pk])
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for weeks in range(10):
        service = services.service_change(
            by=world.sm_dan, service=service, **{**_values(service), "waiting_weeks": weeks}
        )
    with django_assert_max_num_queries(40) as large:
        response = client.get(url)
    body = response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "Level 2: " + levels[2].name in body
    assert "Parenting: basic care, boundaries and routines" in body
    assert body.count("Changed: Usual wait") == 10


# --- Keeping entries ------------------------------------------------------------------------


def _values(service):
    return {name: getattr(service, name) for name in services.FIELDS}


def test_an_entry_is_added_and_checked_by_its_editor(world, levels):
    service = add(world)
    assert service.checked_by == world.sm_dan
    assert service.last_checked == timezone.localdate()
    assert ChangeEvent.objects.filter(target_id=str(service.pk), verb="created").count() == 1


def test_only_editors_keep_the_directory(world, levels):
    with pytest.raises(ApplicationError):
        services.service_add(by=world.voluntary_val, name="X", organisation="Y", kind="other",
                             description="Z", how_to_refer="W")  # fmt: skip
    services.editor_appoint(by=world.sm_dan, user=world.voluntary_val)
    made = services.service_add(by=world.voluntary_val, name="X", organisation="Y", kind="other",
                                description="Z", how_to_refer="W")  # fmt: skip
    assert made.authority_id == world.authority.pk


def test_bad_input_is_refused_and_nothing_saved(world, levels):
    with pytest.raises(ApplicationError, match="oldest age"):
        add(world, min_age=12, max_age=5)
    with pytest.raises(ApplicationError, match="postcode district"):
        add(world, areas=["Kingsmere"])
    with pytest.raises(ApplicationError, match="Level 9"):
        add(world, levels=[9])
    assert not Service.objects.exists()


def test_a_change_over_a_newer_version_is_refused_with_409_and_typing_kept(world, levels, client):
    service = add(world)
    client.force_login(world.sm_dan)
    url = reverse("directory:service-change", args=[service.pk])
    data = {**{k: v for k, v in _values(service).items() if v not in (None, [], False)},
            "description": "My new words", "accepting_referrals": "on", "version": service.version}  # fmt: skip
    services.service_change(
        by=world.sm_dan, service=service, **{**_values(service), "phone": "01632 960000"}
    )
    response = client.post(url, data)
    assert response.status_code == 409
    assert "My new words" in response.content.decode()
    service.refresh_from_db()
    assert service.description != "My new words"
    data["version"] = service.version
    assert client.post(url, data).status_code == 302
    service.refresh_from_db()
    assert service.description == "My new words"
    # Saving again was a deliberate choice over the record as it is now.
    assert service.phone == ""


def test_mark_as_checked_and_end(world, levels, client):
    service = add(world, last_checked=date(2024, 1, 1))
    assert not service.is_current(timezone.localdate())
    client.force_login(world.sm_dan)
    client.post(reverse("directory:service-check", args=[service.pk]), {"version": service.version})
    service.refresh_from_db()
    assert service.last_checked == timezone.localdate() and service.is_current(timezone.localdate())
    today = timezone.localdate()
    url = reverse("directory:service-end", args=[service.pk])
    response = client.post(
        url,
        {
            "ended_on_day": today.day,
            "ended_on_month": today.month,
            "ended_on_year": today.year,
            "reason": "",
            "version": service.version,
        },
    )
    assert response.status_code == 200
    assert "Say why the service ended" in response.content.decode()
    client.post(url, {"ended_on_day": today.day, "ended_on_month": today.month, "ended_on_year": today.year,
                      "reason": "Funding ended", "version": service.version})  # fmt: skip
    service.refresh_from_db()
    assert service.ended_on == today and service.ended_reason == "Funding ended"
    assert not service.is_current(today) and not service.accepting_referrals
    page = client.get(reverse("directory:service", args=[service.pk])).content.decode()
    assert "Ended on" in page and "Marked as checked" in page and "Funding ended" in page


# --- Editors -------------------------------------------------------------------------------


def test_appointing_rights(world, levels):
    with pytest.raises(ApplicationError, match="themselves"):
        services.editor_appoint(by=world.sm_dan, user=world.sm_dan)
    with pytest.raises(ApplicationError):
        services.editor_appoint(by=world.tm_carol, user=world.voluntary_val)
    with pytest.raises(ApplicationError, match="does not use"):
        services.editor_appoint(by=world.sm_dan, user=world.clinician_cam)
    editor = services.editor_appoint(by=world.admin_al, user=world.health_hana)
    with pytest.raises(ApplicationError, match="already"):
        services.editor_appoint(by=world.sm_dan, user=world.health_hana)
    with pytest.raises(ApplicationError, match="own appointment"):
        services.editor_end(by=world.health_hana, editor=editor)
    services.editor_end(by=world.sm_dan, editor=editor)
    assert DirectoryEditor.objects.get(pk=editor.pk).ended_on == timezone.localdate()
    assert ChangeEvent.objects.filter(target_type="directory.directoryeditor").count() == 2


def test_the_editors_page_appoints(world, levels, client):
    client.force_login(world.sm_dan)
    url = reverse("directory:editors")
    assert client.post(url, {"user": world.voluntary_val.pk}).status_code == 302
    assert DirectoryEditor.objects.filter(user=world.voluntary_val, ended_on__isnull=True).exists()
    response = client.post(url, {"user": world.sm_dan.pk})
    assert "Choose a member of staff from the list" in response.content.decode()


# --- Open Referral UK ----------------------------------------------------------------------

COMPARED = services.FIELDS + ("last_checked", "ended_on", "ended_reason", "oruk_id")


def _directory(world):
    add(
        world,
        "Toddler Talk",
        kind="health",
        min_age=0,
        max_age=4,
        areas=["KM1", "KM2"],
        needs=["physical_health"],
        phone="01632 960001",
        email="talk@example.org",
        website="https://example.org/talk",
        address="1 Mill Lane, Kingsmere",
        postcode="km1 2ab",
        eligibility_notes="Registered with a local GP",
        waiting_weeks=3,
        capacity_notes="Two groups a week",
        referral_email="refer@example.org",
        last_checked=date(2026, 6, 1),
    )
    add(
        world,
        "Teen Space",
        organisation="Riverside Youth Trust",
        kind="youth",
        min_age=11,
        levels=[2, 3],
        accepting_referrals=False,
        waiting_weeks=0,
    )
    old = add(
        world,
        "Safe Homes",
        kind="domestic_abuse",
        levels=[3, 4],
        needs=["domestic_abuse", "housing"],
        capacity_notes="12 weeks or more in summer",
        last_checked=date(2025, 1, 10),
    )
    services.service_end(
        by=world.sm_dan, service=old, ended_on=date(2026, 3, 31), reason="Commissioning ended"
    )
    return Service.objects.filter(authority=world.authority)


def test_export_then_import_into_an_empty_authority_reproduces_the_directory(
    world, levels, tmp_path
):
    original = {s.oruk_id: s for s in _directory(world)}
    out = tmp_path / "directory.json"
    call_command("export_directory", "--output", str(out), "--authority-code", "991")
    document = json.loads(out.read_text())
    assert document["totalElements"] == 3
    toddler = next(s for s in document["content"] if s["name"] == "Toddler Talk")
    assert toddler["eligibilitys"][0]["minimum_age"] == 0
    assert [a["service_area"] for a in toddler["service_areas"]] == ["KM1", "KM2"]
    assert {"id": "safeguard-need:physical_health", "name": "Physical health",
            "vocabulary": "safeguard-need", "parent": None} in [t["taxonomy"] for t in toddler["service_taxonomys"]]  # fmt: skip

    other = world.other_authority
    thresholds_load_default(by=None, authority=other)
    call_command("import_directory", str(out), "--authority-code", "992")
    copied = {s.oruk_id: s for s in Service.objects.filter(authority=other)}
    assert set(copied) == set(original)
    for key, service in original.items():
        for name in COMPARED:
            assert getattr(copied[key], name) == getattr(service, name), (service.name, name)
    # A second import changes nothing.
    before = ChangeEvent.objects.count()
    call_command("import_directory", str(out), "--authority-code", "992")
    assert ChangeEvent.objects.count() == before


def test_an_import_matches_by_id_and_previews_changes(world, levels, client):
    _directory(world)
    document = oruk.export(
        selectors.all_services(world.authority.pk), selectors.level_names(world.authority.pk)
    )
    document["content"][0]["description"] = "New words"
    document["content"].append({**document["content"][1], "id": "3f1c1a36-3c7e-4d7e-9a4a-0b6f5d0b1c2d",
                                "name": "A new service"})  # fmt: skip
    client.force_login(world.sm_dan)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("d.json", oruk.dumps(document).encode(), "application/json")
    response = client.post(reverse("directory:import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 to add, 1 to change, 2 unchanged" in body
    assert Service.objects.count() == 3  # a preview saves nothing
    text = response.context["confirm_form"].initial["text"]
    assert client.post(reverse("directory:import"), {"text": text}).status_code == 302
    assert Service.objects.count() == 4
    assert Service.objects.get(oruk_id=document["content"][0]["id"]).description == "New words"


def test_an_invalid_file_is_refused_with_every_reason_and_nothing_written(
    world, levels, client, tmp_path
):
    _directory(world)
    document = oruk.export(
        selectors.all_services(world.authority.pk), selectors.level_names(world.authority.pk)
    )
    first, second = document["content"][0], document["content"][1]
    first["name"] = ""
    first["eligibilitys"] = [{"minimum_age": 12, "maximum_age": 5, "taxonomys": []}]
    second["assured_date"] = "last spring"
    second["service_areas"] = [{"service_area": "Kingsmere"}]
    second["service_taxonomys"] = []
    second["email"] = "not an address"
    before = (Service.objects.count(), ChangeEvent.objects.count())
    with pytest.raises(oruk.FileRefused) as refused:
        services.directory_import(
            by=world.sm_dan, authority=world.authority, text=json.dumps(document)
        )
    reasons = refused.value.reasons
    assert "Service 1, name: is required" in reasons
    assert "Service 1, eligibilitys[0].maximum_age: is below the minimum age" in reasons
    assert any(r.startswith(f"Service 2 ({second['name']}), assured_date:") for r in reasons)
    assert any(
        "service_areas[0].service_area: 'Kingsmere' is not a postcode district" in r
        for r in reasons
    )
    assert any("service_taxonomys: needs exactly one term" in r for r in reasons)
    assert (Service.objects.count(), ChangeEvent.objects.count()) == before
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(CommandError):
        call_command("import_directory", str(path), "--authority-code", "991")
    client.force_login(world.sm_dan)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bad.json", json.dumps(document).encode())
    response = client.post(reverse("directory:import"), {"file": upload})
    assert response.status_code == 400
    assert "Service 1, name: is required" in response.content.decode()
    assert (Service.objects.count(), ChangeEvent.objects.count()) == before


def test_the_browser_export_downloads_the_standards_json(world, levels, client):
    _directory(world)
    client.force_login(world.sm_dan)
    response = client.get(reverse("directory:export"))
    assert response["Content-Disposition"].startswith("attachment")
    assert json.loads(response.content)["totalElements"] == 3


def test_the_navigation_links_the_directory_for_those_who_read_it(world, levels, client):
    client.force_login(world.voluntary_val)
    assert reverse("directory:search") in client.get(reverse("work:home")).content.decode()
    client.logout()
    client.force_login(world.clinician_cam)
    response = client.get(reverse("partners:lookup"))
    assert reverse("directory:search") not in response.content.decode()
