"""The OpenAPI schema at /api/v1/openapi.json includes the keyed lookup and is a valid
OpenAPI document; a schemathesis run on a small sample of the lookup finds no server error
and no answer that breaks the schema."""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import positive_data_acceptance

from safeguard.partners.tests.lookups import health_key, sam_on_a_plan

LOOKUP_PATHS = "^/api/v1/(child-protection-status|fhir/Flag)$"


@pytest.mark.django_db
def test_the_schema_includes_the_lookup_and_validates(client, world):
    client.force_login(world.sw_amy)
    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    status = schema["paths"]["/api/v1/child-protection-status"]["get"]
    assert {p["name"] for p in status["parameters"]} >= {
        "nhs_number", "family_name", "given_name", "birth_date"
    }  # fmt: skip
    assert {"401", "422", "429"} <= set(status["responses"])
    assert status["security"] == [{"ApiKeyAuth": []}]
    assert "/api/v1/fhir/Flag" in schema["paths"]


@pytest.mark.django_db(transaction=False)
def test_schemathesis_finds_no_server_error(world):
    from safeguard.api import api

    sam_on_a_plan(world)
    _, key = health_key(world, rate_limit=6000)
    auth = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
        path_regex=LOOKUP_PATHS
    )
    schema.app = WSGIHandler()
    # As Django's test client does: a request must not close the test's database connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        _run(schema, auth)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _run(schema, auth):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 2
    seen = []

    for operation in operations:

        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers=auth)
            seen.append(response.status_code)
            assert response.status_code < 500, response.text
            # OpenAPI cannot say "nhs_number, or all three of the name and birth date", so a
            # request with neither is valid to the schema and rightly refused with 422.
            case.validate_response(
                response, headers=auth, excluded_checks=[positive_data_acceptance]
            )

        run()
        # Random strings are never valid NHS numbers: known children's details as well.
        for query in (
            {"nhs_number": "9434765919"},
            {"family_name": "Smith", "given_name": "Sam", "birth_date": "2015-03-14"},
            {"family_name": "Jones", "given_name": "Tom", "birth_date": "2012-11-05"},
        ):
            case = operation.Case(query=query)
            response = case.call(headers=auth)
            seen.append(response.status_code)
            case.validate_response(
                response, headers=auth, excluded_checks=[positive_data_acceptance]
            )
    assert 200 in seen and 422 in seen
