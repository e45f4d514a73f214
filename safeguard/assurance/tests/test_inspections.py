"""Inspections (issue 15 item 5, decision 0042): the sample drawn reproducibly, an inspector
reading only its case files and only while it runs, never writing, every read logged under the
inspection and shown to the authority."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.assurance import selectors, services
from safeguard.assurance.models import InspectedCase, Inspection
from safeguard.assurance.tests.steps import allocated_cases, inspection, move_inspection
from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.casework import permissions as case_policy
from safeguard.core.errors import ApplicationError
from safeguard.people import permissions as people_policy
from safeguard.people.tests.sealing import seal

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _case_url(case):
    return reverse("casework:case-detail", kwargs={"case_id": case.pk})


def _sampled_ids(made):
    return {c.case_id for c in made.sample.all()}


# --- The sample ------------------------------------------------------------------------------


def test_the_random_part_of_a_sample_is_drawn_again_from_the_same_seed(world):
    first = inspection(world, chosen=(), size=2, seed=2009)
    again = inspection(world, chosen=(), size=2, seed=2009)
    assert len(_sampled_ids(first)) == 2
    assert _sampled_ids(first) == _sampled_ids(again)
    assert {c.how for c in first.sample.all()} == {InspectedCase.How.RANDOM}
    assert {c.seed for c in first.sample.all()} == {2009}


def test_cases_chosen_in_advance_come_first_and_the_random_draw_takes_others(world):
    cases = allocated_cases(world)
    made = inspection(world, chosen=("T000001",), size=2, seed=7)
    chosen = made.sample.get(how=InspectedCase.How.CHOSEN)
    assert chosen.case == cases["Sam"]
    assert _sampled_ids(made) == {c.pk for c in cases.values()}


def test_a_draw_larger_than_the_open_cases_is_refused_and_adds_nothing(world):
    made = inspection(world, chosen=("T000001",))
    with pytest.raises(ApplicationError, match="Only 2 open case files"):
        services.inspection_sample(by=world.sm_dan, inspection=made, size=3, seed=1)
    assert made.sample.count() == 1


def test_an_unknown_or_sealed_child_cannot_be_chosen(world):
    made = inspection(world, chosen=("T000001",))
    with pytest.raises(ApplicationError, match="No child with the local id NOPE"):
        services.inspection_sample(by=world.sm_dan, inspection=made, chosen=["NOPE"])
    seal(world, world.child_tom, world.sm_dan)
    with pytest.raises(ApplicationError, match="restricted record"):
        services.inspection_sample(by=world.sm_dan, inspection=made, chosen=["T000003"])
    # Nor is a sealed child ever drawn at random: only Sally is left to draw.
    drawn = services.inspection_sample(by=world.sm_dan, inspection=made, size=1, seed=3)
    assert [d.case.child for d in drawn] == [world.child_sally]


def test_only_a_service_manager_or_administrator_sets_up_and_only_inspectors_are_named(world):
    start, end = TODAY(), TODAY() + timedelta(days=2)
    for user in (world.sw_amy, world.tm_carol, world.inspector_ian, world.police_pat):
        with pytest.raises(PermissionDenied):
            services.inspection_set_up(
                by=user, name="X", start_date=start, end_date=end, inspectors=[world.inspector_ian]
            )
    with pytest.raises(ApplicationError, match="not an inspector"):
        services.inspection_set_up(
            by=world.sm_dan, name="X", start_date=start, end_date=end, inspectors=[world.sw_amy]
        )
    with pytest.raises(ApplicationError, match="end before it starts"):
        services.inspection_set_up(
            by=world.admin_al, name="X", start_date=end, end_date=start,
            inspectors=[world.inspector_ian],
        )  # fmt: skip
    made = services.inspection_set_up(
        by=world.admin_al, name="X", start_date=start, end_date=end, inspectors=[world.inspector_ian]
    )
    assert list(made.inspectors.all()) == [world.inspector_ian]
    assert ChangeEvent.objects.filter(target_id=str(made.pk)).count() == 2
    # The administrator sees no child's record: only a service manager draws the sample.
    with pytest.raises(PermissionDenied):
        services.inspection_sample(by=world.admin_al, inspection=made, chosen=["T000001"])


# --- What the inspector reads ----------------------------------------------------------------


def test_the_inspector_reads_the_sampled_case_file_and_nothing_else(world, client):
    cases = allocated_cases(world)
    inspection(world, chosen=("T000001",))
    client.force_login(world.inspector_ian)
    response = client.get(_case_url(cases["Sam"]))
    assert response.status_code == 200
    assert "Sam" in response.content.decode()
    assert client.get(reverse("people:detail", kwargs={"person_id": world.child_sam.pk})).status_code == 200
    for other in ("Sally", "Tom"):
        assert client.get(_case_url(cases[other])).status_code == 404
    for person in (world.child_sally, world.child_tom, world.mother_mary, world.outsider):
        url = reverse("people:detail", kwargs={"person_id": person.pk})
        assert client.get(url).status_code == 404
    # The policies agree: only Sam, only his sampled case, never to record.
    ian = world.inspector_ian
    assert set(people_policy.visible_to(ian)) == {world.child_sam}
    assert list(case_policy.visible_to(ian)) == [cases["Sam"]]
    assert case_policy.can(ian, case_policy.Action.READ_NARRATIVE, cases["Sam"])
    for action in (case_policy.Action.RECORD, case_policy.Action.AUTHORISE):
        assert not case_policy.can(ian, action, cases["Sam"])
    assert not people_policy.can(ian, people_policy.Action.EDIT, world.child_sam)


@pytest.mark.parametrize(
    ("start", "end"), [(1, 5), (-6, -1)], ids=["before-it-starts", "after-it-ends"]
)
def test_the_inspector_reads_nothing_outside_the_inspections_dates(world, client, start, end):
    cases = allocated_cases(world)
    made = inspection(world, chosen=("T000001", "T000002", "T000003"))
    move_inspection(made, start=TODAY() + timedelta(days=start), end=TODAY() + timedelta(days=end))
    client.force_login(world.inspector_ian)
    for case in cases.values():
        assert client.get(_case_url(case)).status_code == 404
    assert not people_policy.visible_to(world.inspector_ian).exists()
    home = client.get(reverse("work:home")).content.decode()
    assert "home-inspection-sample" not in home
    assert client.get(reverse("assurance:inspection", args=[made.pk])).status_code == 404


def test_on_its_first_and_last_day_the_inspection_runs(world, client):
    cases = allocated_cases(world)
    made = inspection(world, chosen=("T000001",))
    client.force_login(world.inspector_ian)
    for start, end in ((0, 2), (-2, 0)):
        move_inspection(made, start=TODAY() + timedelta(days=start), end=TODAY() + timedelta(days=end))
        assert client.get(_case_url(cases["Sam"])).status_code == 200


def test_an_inspector_not_named_on_the_inspection_reads_nothing(world, client):
    cases = allocated_cases(world)
    inspection(world, chosen=("T000001",))
    other = User.objects.create_user(
        username="ivy", password="x" * 20, agency=world.inspector_ian.agency, role=Role.INSPECTOR
    )
    client.force_login(other)
    assert client.get(_case_url(cases["Sam"])).status_code == 404


def test_a_sampled_child_sealed_afterwards_is_closed_to_the_inspector(world, client):
    cases = allocated_cases(world)
    inspection(world, chosen=("T000001",))
    seal(world, world.child_sam, world.sw_amy)
    client.force_login(world.inspector_ian)
    response = client.get(_case_url(cases["Sam"]))
    assert response.status_code == 404
    assert "Sam" not in response.content.decode()


def test_the_inspectors_home_page_lists_the_sample_with_links(world, client):
    cases = allocated_cases(world)
    inspection(world, chosen=("T000001", "T000003"))
    client.force_login(world.inspector_ian)
    home = client.get(reverse("work:home")).content.decode()
    assert "home-inspection-sample" in home
    assert _case_url(cases["Sam"]) in home and _case_url(cases["Tom"]) in home
    assert _case_url(cases["Sally"]) not in home
    page = client.get(reverse("assurance:inspections")).content.decode()
    assert _case_url(cases["Sam"]) in page


# --- Read-only --------------------------------------------------------------------------------


def _every_route():
    """Every URL of the project, with made-up arguments (the refusal comes before any view)."""
    values = {"uuid": lambda: uuid.uuid4(), "int": lambda: 1, "str": lambda: "x", "slug": lambda: "x",
              "path": lambda: "x"}  # fmt: skip

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                converters = p.pattern.converters
                kwargs = {}
                for key, conv in converters.items():
                    kind = type(conv).__name__.replace("Converter", "").lower()
                    kwargs[key] = values.get(kind, values["str"])()
                yield f"{namespace}{p.name}", kwargs

    for name, kwargs in walk(get_resolver().url_patterns):
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # a route with a converter of its own: left to the listed ones
            continue
        yield name, url


def test_an_inspector_can_post_nothing_anywhere(world, client):
    cases = allocated_cases(world)
    inspection(world, chosen=("T000001",))
    client.force_login(world.inspector_ian)
    changes, reads = ChangeEvent.objects.count(), AccessEvent.objects.count()
    routes = list(_every_route())
    routes += [
        ("casework:note-new", reverse("casework:note-new", kwargs={"case_id": cases["Sam"].pk})),
        ("people:edit", reverse("people:edit", kwargs={"person_id": world.child_sam.pk})),
    ]
    open_routes = ("accounts:",)
    tried = 0
    for name, url in routes:
        if name.startswith(open_routes) or url.startswith("/static/"):
            continue
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url, {"text": "x"} if method == "post" else "")
            assert response.status_code == 403, (name, method, response.status_code)
            tried += 1
    assert tried > 400
    assert ChangeEvent.objects.count() == changes
    assert AccessEvent.objects.count() == reads


# --- Every read logged, and shown to the authority --------------------------------------------


def test_every_read_is_logged_under_the_inspection_and_shown_to_the_service_manager(world, client):
    cases = allocated_cases(world)
    made = inspection(world, chosen=("T000001",))
    client.force_login(world.inspector_ian)
    before = AccessEvent.objects.count()
    assert client.get(_case_url(cases["Sam"])).status_code == 200
    events = list(AccessEvent.objects.filter(user=world.inspector_ian).order_by("sequence"))
    assert AccessEvent.objects.count() > before
    assert {e.person_id for e in events} == {world.child_sam.pk}
    assert all(e.reason.startswith("Inspection: Inspection of children's services") for e in events)
    assert {e.role for e in events} == {Role.INSPECTOR}

    client.force_login(world.sm_dan)
    page = client.get(reverse("assurance:inspection-reads", args=[made.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ian Irving" in html and "Sam Smith" in html
    assert _case_url(cases["Sam"]) in html  # the page read, as logged
    detail = client.get(reverse("assurance:inspection", args=[made.pk])).content.decode()
    assert "reads-link" in detail
    # Reads outside the inspection's dates are not its reads.
    move_inspection(made, start=TODAY() + timedelta(days=1), end=TODAY() + timedelta(days=3))
    assert "Ian Irving" not in client.get(
        reverse("assurance:inspection-reads", args=[made.pk])
    ).content.decode().split('id="inspection-reads"', 1)[-1]


def test_a_team_manager_does_not_see_what_the_inspectors_read(world, client):
    made = inspection(world)
    client.force_login(world.tm_carol)
    assert client.get(reverse("assurance:inspection-reads", args=[made.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        selectors.inspection_reads(user=world.admin_al, inspection=made)


# --- The pages ---------------------------------------------------------------------------------


def test_a_service_manager_sets_up_an_inspection_and_draws_its_sample_from_the_pages(world, client):
    cases = allocated_cases(world)
    client.force_login(world.sm_dan)
    start, end = TODAY(), TODAY() + timedelta(days=4)
    data = {
        "name": "Inspection of Testshire children's services",
        "start_date_day": start.day, "start_date_month": start.month, "start_date_year": start.year,
        "end_date_day": end.day, "end_date_month": end.month, "end_date_year": end.year,
        "inspectors": [str(world.inspector_ian.pk)],
    }  # fmt: skip
    response = client.post(reverse("assurance:inspections"), data)
    assert response.status_code == 302
    made = Inspection.objects.get()
    sample_url = reverse("assurance:inspection-sample", args=[made.pk])
    response = client.post(sample_url, {"chosen": "T000001, T000003", "size": "1", "seed": "45"})
    assert response.status_code == 302
    assert _sampled_ids(made) == {c.pk for c in cases.values()}
    page = client.get(reverse("assurance:inspection", args=[made.pk])).content.decode()
    assert "Sam Smith" in page and "seed 45" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"chosen": "T000001\x00"}, "There is a problem"),
        ({"chosen": "<script>alert(1)</script>"}, "No child with the local id &lt;script&gt;"),
        ({"chosen": "x" * 30_000}, "There is a problem"),
        ({"size": "2"}, "Give the seed"),
        ({"size": "-1", "seed": "1"}, "There is a problem"),
        ({"size": "1", "seed": "1", "stage": "nonsense"}, "There is a problem"),
        ({}, "Name the children chosen in advance"),
    ],
)
def test_bad_input_to_the_sample_form_is_refused_and_adds_nothing(world, client, data, message):
    made = inspection(world)
    client.force_login(world.sm_dan)
    response = client.post(reverse("assurance:inspection-sample", args=[made.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "<script>alert(1)</script>" not in html
    assert made.sample.count() == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_inspection_pages_make_the_same_queries_whatever_the_sample_and_reads(world, client):
    cases = allocated_cases(world)
    small = inspection(world, chosen=("T000001",))
    large = inspection(world, chosen=("T000001", "T000002", "T000003"))
    client.force_login(world.inspector_ian)
    for case in cases.values():
        client.get(_case_url(case))
    client.force_login(world.sm_dan)
    for name in ("assurance:inspection", "assurance:inspection-reads"):
        few = _queries(client, reverse(name, args=[small.pk]))
        many = _queries(client, reverse(name, args=[large.pk]))
        assert few == many, name
    client.force_login(world.inspector_ian)
    home = _queries(client, reverse("assurance:inspections"))
    move_inspection(small, start=TODAY() + timedelta(days=1), end=TODAY() + timedelta(days=2))
    assert _queries(client, reverse("assurance:inspections")) == home
