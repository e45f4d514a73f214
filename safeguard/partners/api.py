"""The keyed API for partner organisations' systems: the child-protection lookup as JSON
(``GET /api/v1/child-protection-status``) and as a FHIR search for ``Flag``
(``GET /api/v1/fhir/Flag``). Authenticated by an organisation's key
(``Authorization: Bearer <key>``), never by a browser session."""

import json
from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from safeguard.partners import selectors, services
from safeguard.partners.fhir import FHIR_JSON, search_bundle
from safeguard.partners.models import ApiKey, LookupWay, Setting
from safeguard.partners.selectors import Search, Status
from safeguard.people import identifiers


class ApiKeyAuth(HttpBearer):
    """An organisation's key. A missing, unknown or revoked key is refused with 401; a key
    over its rate limit with 429."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token: str) -> ApiKey | None:
        api_key = selectors.api_key_by_secret(token)
        if api_key is None:
            return None
        if selectors.calls_in_last_minute(api_key) >= api_key.rate_limit_per_minute:
            limit = api_key.rate_limit_per_minute
            raise HttpError(429, f"Rate limit reached: {limit} calls a minute")
        return api_key


router = Router(tags=["child protection lookup"], auth=ApiKeyAuth())


class Error(Schema):
    # A sentence; for a query the schema refuses (a malformed date), the list of what is wrong.
    detail: str | list[dict]


class StatusOut(Schema):
    answer: Literal["current_plan", "recent_plan", "no_plan", "several"] = Field(
        description="A child unknown to Safeguard answers no_plan, as a known child without a plan"
    )
    message: str
    child_protection_plan: bool = Field(description="On a child protection plan today")
    child_protection_plan_in_last_12_months: bool
    start_date: date | None = Field(description="The start of the current or most recent plan")
    looked_after: bool = Field(description="Looked after (in a period of care) today")
    looked_after_in_last_12_months: bool
    looked_after_start_date: date | None = Field(
        description="The start of the current or most recent period of care"
    )
    allocated_team: str | None
    authority: str
    daytime_phone: str
    out_of_hours_phone: str


class StatusQuery(Schema):
    nhs_number: str | None = Field(
        None, max_length=20, description="10 digits; or give the three below"
    )
    family_name: str | None = Field(None, max_length=100)
    given_name: str | None = Field(None, max_length=100)
    birth_date: date | None = None
    setting: Setting | None = Field(None, description="Where the child is being seen")
    clinician_name: str | None = Field(
        None, max_length=100, description="Who is asking, for the child's social worker"
    )


def _refuse_control_characters(query: StatusQuery) -> None:
    """Names are one line of text: a control character (a NUL, which PostgreSQL cannot store,
    a line break) is refused with 422, not passed on to the log or a notice."""
    for name in ("nhs_number", "family_name", "given_name", "clinician_name"):
        value = getattr(query, name) or ""
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise HttpError(422, f"{name} cannot contain control characters")


def _search(query: StatusQuery) -> Search:
    _refuse_control_characters(query)
    if query.nhs_number and query.nhs_number.strip():
        try:
            return Search(nhs_number=identifiers.clean_nhs_number(query.nhs_number))
        except ValidationError as error:
            raise HttpError(422, " ".join(error.messages)) from error
    if not (
        query.family_name and query.family_name.strip()
        and query.given_name and query.given_name.strip()
        and query.birth_date
    ):  # fmt: skip
        raise HttpError(422, "Give nhs_number, or family_name, given_name and birth_date")
    return Search(
        family_name=query.family_name, given_name=query.given_name, birth_date=query.birth_date
    )


def _lookup(request, query: StatusQuery, way: str) -> tuple[Status, Search]:
    search = _search(query)
    api_key = request.auth
    try:
        found = services.cp_lookup(
            by=api_key.account,
            search=search,
            way=way,
            setting=query.setting or "",
            api_key=api_key,
            clinician_name=query.clinician_name or "",
            request=request,
        )
    except PermissionDenied as error:
        raise HttpError(403, "This key may not look up children") from error
    return found.status, search


@router.get(
    "/child-protection-status",
    response={200: StatusOut, 401: Error, 403: Error, 422: Error, 429: Error},
    url_name="child-protection-status",
)
def child_protection_status(request, query: Query[StatusQuery]):
    """Whether a child has a child protection plan now or had one in the last 12 months, and
    whether they are looked after now or were in the last 12 months, with the start dates,
    the allocated team and the authority's numbers; nothing else. Every call
    is logged, and tells the child's social worker and their manager."""
    status, _ = _lookup(request, query, LookupWay.API)
    return {
        "answer": status.shown_answer,
        "message": status.message,
        "child_protection_plan": status.on_plan,
        "child_protection_plan_in_last_12_months": status.plan_in_last_12_months,
        "start_date": status.start_date,
        "looked_after": status.looked_after,
        "looked_after_in_last_12_months": status.looked_after_in_last_12_months,
        "looked_after_start_date": status.looked_after_start_date,
        "allocated_team": status.allocated_team or None,
        "authority": status.authority_name,
        "daytime_phone": status.daytime_phone,
        "out_of_hours_phone": status.out_of_hours_phone,
    }


@router.get(
    "/fhir/Flag",
    response={200: dict, 401: Error, 403: Error, 422: Error, 429: Error},
    url_name="fhir-flag-search",
    openapi_extra={
        "responses": {
            200: {
                "description": "A FHIR R4 searchset Bundle of Flag resources",
                "content": {FHIR_JSON: {"schema": {"type": "object"}}},
            }
        }
    },
)
def fhir_flag_search(request, query: Query[StatusQuery]):
    """The same answer as a FHIR R4 search for ``Flag``: a searchset Bundle with one Flag
    (active: a plan or looked after now; inactive: either in the last 12 months) or none."""
    status, search = _lookup(request, query, LookupWay.FHIR)
    return HttpResponse(
        json.dumps(search_bundle(status, search)), content_type=FHIR_JSON, status=200
    )
