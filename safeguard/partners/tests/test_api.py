"""The keyed API: keys scoped, revocable, rate-limited and stored hashed; 401 and 422; every
call logged; the FHIR Flag valid against the R4 resource rules."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.flag import Flag

from safeguard.audit.models import AccessEvent
from safeguard.casework import services as casework
from safeguard.notices.models import Notice
from safeguard.partners import services
from safeguard.partners.models import ApiKey, Lookup
from safeguard.partners.tests.lookups import (
    KeyedApiClient,
    health_key,
    sam_looked_after,
    sam_on_a_plan,
)

STATUS = "/api/v1/child-protection-status"
FLAG = "/api/v1/fhir/Flag"


@pytest.fixture
def client():
    """Every test here calls the API as the production server routes it: a keyed call on the
    lean middleware path (safeguard.core.keyed_api, decision 0078)."""
    return KeyedApiClient()


def _get(client, url, key, **params):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get(url, params, headers=headers)


@pytest.mark.django_db
def test_the_answer_and_nothing_else(client, world):
    sam_on_a_plan(world)
    _, key = health_key(world)
    response = _get(client, STATUS, key, nhs_number="9434765919", setting="emergency_department")
    assert response.status_code == 200
    assert response.json() == {
        "answer": "current_plan",
        "message": (
            "This child is on a child protection plan, since 27 January 2025. This child is "
            "not recorded as looked after now or in the last 12 months."
        ),
        "child_protection_plan": True,
        "child_protection_plan_in_last_12_months": True,
        "start_date": "2025-01-27",
        "looked_after": False,
        "looked_after_in_last_12_months": False,
        "looked_after_start_date": None,
        "allocated_team": "Child Protection Team A",
        "authority": "Testshire Borough",
        "daytime_phone": "01632 960000",
        "out_of_hours_phone": "01632 960999",
    }
    by_name = _get(
        client, STATUS, key, family_name="Smith", given_name="Sam", birth_date="2015-03-14"
    )
    assert by_name.json()["answer"] == "current_plan"


@pytest.mark.django_db
def test_every_call_is_logged_and_notifies(client, world):
    sam_on_a_plan(world)
    api_key, key = health_key(world)
    Notice.objects.all().delete()
    _get(client, STATUS, key, nhs_number="9434765919", clinician_name="Dr Ola Obi")
    event = AccessEvent.objects.get(user=api_key.account)
    assert event.person_id == world.child_sam.pk and event.purpose == "api"
    assert api_key.prefix in event.reason and "Dr Ola Obi" in event.reason
    assert {n.user for n in Notice.objects.all()} == {world.sw_amy, world.tm_carol}
    assert "Dr Ola Obi of Testshire Health Trust" in Notice.objects.first().body
    assert Lookup.objects.get().api_key == api_key


@pytest.mark.django_db
def test_missing_unknown_or_revoked_key_gets_401(client, world):
    api_key, key = health_key(world)
    assert _get(client, STATUS, None, nhs_number="9434765919").status_code == 401
    assert _get(client, STATUS, key + "x", nhs_number="9434765919").status_code == 401
    assert _get(client, STATUS, key, nhs_number="9434765919").status_code == 200
    call_command("revoke_api_key", api_key.prefix, stdout=StringIO())
    assert _get(client, STATUS, key, nhs_number="9434765919").status_code == 401
    assert _get(client, FLAG, key, nhs_number="9434765919").status_code == 401


@pytest.mark.django_db
def test_a_signed_in_session_is_not_a_key(client, world):
    client.force_login(world.clinician_cam)
    assert client.get(STATUS, {"nhs_number": "9434765919"}).status_code == 401


@pytest.mark.django_db
def test_keys_are_stored_hashed(world):
    api_key, key = health_key(world)
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert key not in json.dumps([stored.key_hash, stored.prefix, stored.scopes])
    assert key.startswith(stored.prefix) and len(key) > 40


@pytest.mark.django_db
def test_a_key_without_the_scope_is_refused(client, world):
    api_key, key = health_key(world)
    ApiKey.objects.filter(pk=api_key.pk).update(scopes=[])
    response = _get(client, STATUS, key, nhs_number="9434765919")
    assert response.status_code == 403
    assert not Lookup.objects.exists()


@pytest.mark.django_db
def test_keys_are_rate_limited(client, world):
    _, key = health_key(world, rate_limit=3)
    codes = [_get(client, STATUS, key, nhs_number="9434765919").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "3 calls a minute" in _get(client, STATUS, key, nhs_number="9434765919").json()["detail"]


@pytest.mark.django_db
def test_bad_check_digit_gets_422_with_the_reason(client, world):
    _, key = health_key(world)
    response = _get(client, STATUS, key, nhs_number="9434765918")
    assert response.status_code == 422
    assert "check digit" in response.json()["detail"]
    response = _get(client, STATUS, key, family_name="Smith")
    assert response.status_code == 422
    assert not Lookup.objects.exists()


@pytest.mark.django_db
def test_create_api_key_command_prints_a_new_key(world):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_key", organisation="Testshire Health Trust", scope=["cp-lookup"],
        stdout=out, stderr=err,
    )  # fmt: skip
    key = out.getvalue().strip()
    api_key = ApiKey.objects.get()
    assert key.startswith(api_key.prefix) and api_key.scopes == ["cp-lookup"]
    assert key not in err.getvalue()


@pytest.mark.django_db
def test_a_key_cannot_be_given_to_social_care(world):
    from safeguard.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.api_key_create(by=None, organisation=world.csc, scopes=["cp-lookup"])


@pytest.mark.django_db
def test_the_fhir_flag_validates_against_r4(client, world):
    sam_on_a_plan(world)
    _, key = health_key(world)
    response = _get(client, FLAG, key, nhs_number="9434765919")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = Bundle.model_validate(response.json())
    flag = Flag.model_validate(response.json()["entry"][0]["resource"])
    assert bundle.type == "searchset" and bundle.total == 1
    assert flag.status == "active" and str(flag.period.start) == "2025-01-27"
    assert flag.subject.identifier.value == "9434765919"
    assert flag.author.reference == "#authority"
    assert [t.value for t in flag.contained[0].telecom] == ["01632 960000", "01632 960999"]


@pytest.mark.django_db
def test_the_fhir_search_for_a_child_without_a_plan_is_an_empty_bundle(client, world):
    _, key = health_key(world)
    body = _get(client, FLAG, key, nhs_number="9434765919").json()
    Bundle.model_validate(body)
    assert body["total"] == 0 and "entry" not in body


@pytest.mark.django_db
def test_keys_are_listed_by_prefix_and_revoked_once(world):
    api_key, key = health_key(world)
    out = StringIO()
    call_command("revoke_api_key", list=True, stdout=out)
    assert api_key.prefix in out.getvalue() and key not in out.getvalue()
    assert "live" in out.getvalue()
    call_command("revoke_api_key", api_key.prefix, stdout=StringIO())
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already revoked"):
        call_command("revoke_api_key", api_key.prefix, stdout=StringIO())


@pytest.mark.django_db
def test_set_lookup_numbers_command(world):
    call_command(
        "set_lookup_numbers", la_code="991", daytime="0300 000 0001",
        out_of_hours="0300 000 0002", stdout=StringIO(),
    )  # fmt: skip
    world.authority.refresh_from_db()
    assert (world.authority.daytime_phone, world.authority.out_of_hours_phone) == (
        "0300 000 0001", "0300 000 0002"
    )  # fmt: skip


@pytest.mark.django_db
def test_control_characters_get_422_not_a_server_error(client, world):
    _, key = health_key(world)
    for params in (
        {"family_name": "Sm\x00ith", "given_name": "Sam", "birth_date": "2015-03-14"},
        {"nhs_number": "9434765919", "clinician_name": "Dr\nEvil"},
    ):
        response = _get(client, STATUS, key, **params)
        assert response.status_code == 422
        assert "control characters" in response.json()["detail"]


@pytest.mark.django_db
def test_a_keyed_call_gets_the_security_headers_without_a_session(client, world):
    sam_on_a_plan(world)
    _, key = health_key(world)
    response = _get(client, STATUS, key, nhs_number="9434765919")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # The lean path: no session was read or set, nobody is signed in, no cookie is sent.
    assert not hasattr(response.wsgi_request, "session")
    assert not response.wsgi_request.user.is_authenticated
    assert not response.cookies and "Cookie" not in response.get("Vary", "")
    # A key that is wrong gets its 401 on the lean path too, with the same headers.
    refused = _get(client, FLAG, key + "x", nhs_number="9434765919")
    assert refused.status_code == 401 and "Content-Security-Policy" in refused
    assert not hasattr(refused.wsgi_request, "session")


@pytest.mark.django_db
def test_only_a_keyed_call_to_the_keyed_paths_skips_the_full_stack(client, world):
    from safeguard.core.keyed_api import Dispatcher, is_keyed_call
    from safeguard.wsgi import application

    assert isinstance(application, Dispatcher)
    bearer = {"HTTP_AUTHORIZATION": "Bearer sgk_x"}
    assert is_keyed_call({"PATH_INFO": STATUS, **bearer})
    assert is_keyed_call({"PATH_INFO": FLAG, **bearer})
    assert not is_keyed_call({"PATH_INFO": STATUS})  # no key: the full stack, and 401
    assert not is_keyed_call({"PATH_INFO": "/api/v1/people/", **bearer})
    assert not is_keyed_call({"PATH_INFO": "/people/", **bearer})
    # Without a key the call takes the full stack (a session is read) and is refused.
    response = client.get(STATUS, {"nhs_number": "9434765919"})
    assert response.status_code == 401 and hasattr(response.wsgi_request, "session")


# The key with its authority and its last minute's calls; the child; the plans; the periods of
# care (decision 0076); the allocation (or the open case); the notices, the lookup's record and
# the access event (its chain), with the transaction and the savepoints: the same for one plan
# or several. PostgreSQL takes one more: the access log's chain locks its table (audit.chain).
API_LOOKUP_QUERIES = {"sqlite": 15, "postgresql": 16}


@pytest.mark.django_db
def test_the_keyed_lookup_makes_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    from datetime import date

    from django.db import connection

    from safeguard.protection.models import ChildProtectionPlan

    plan = sam_on_a_plan(world)
    _, key = health_key(world)
    _get(client, STATUS, key, nhs_number="9434765919")
    with django_assert_num_queries(API_LOOKUP_QUERIES[connection.vendor]):
        assert _get(client, STATUS, key, nhs_number="9434765919").status_code == 200
    ChildProtectionPlan.objects.create(
        case=plan.case, start_date=date(2024, 1, 1), end_date=date(2024, 12, 1),
        end_reason="4", initial_category="EMO", latest_category="EMO",
    )  # fmt: skip
    with django_assert_num_queries(API_LOOKUP_QUERIES[connection.vendor]):
        assert _get(client, STATUS, key, nhs_number="9434765919").status_code == 200


def test_a_looked_after_child_in_the_json_and_the_fhir_flag(client, world):
    """Looked after now (no plan): looked_after true with the start date, and an active Flag
    whose period starts with the period of care; ended in the last 12 months: false, true,
    and an inactive Flag (decision 0076)."""
    start = date.today() - timedelta(days=100)
    period = sam_looked_after(world, start=start)
    _, key = health_key(world)
    body = _get(client, STATUS, key, nhs_number="9434765919").json()
    assert body["answer"] == "no_plan" and body["child_protection_plan"] is False
    assert (body["looked_after"], body["looked_after_in_last_12_months"]) == (True, True)
    assert body["looked_after_start_date"] == start.isoformat()
    assert "This child is looked after, since" in body["message"]
    bundle = _get(client, FLAG, key, nhs_number="9434765919").json()
    Bundle.model_validate(bundle)
    flag = Flag.model_validate(bundle["entry"][0]["resource"])
    assert bundle["total"] == 1 and flag.status == "active"
    assert str(flag.period.start) == start.isoformat() and "looked after" in flag.code.text
    casework.looked_after_end(
        by=world.sw_amy, period=period, end_date=date.today() - timedelta(days=10),
        reason="Special guardianship order made",
    )  # fmt: skip
    body = _get(client, STATUS, key, nhs_number="9434765919").json()
    assert (body["looked_after"], body["looked_after_in_last_12_months"]) == (False, True)
    flag = Flag.model_validate(
        _get(client, FLAG, key, nhs_number="9434765919").json()["entry"][0]["resource"]
    )
    assert flag.status == "inactive"
