"""JSON access to people, through the same policy, selectors and access log as the pages."""

from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from safeguard.audit.models import AccessPurpose
from safeguard.core.limits import LINE
from safeguard.people import permissions, selectors
from safeguard.people.permissions import Action

router = Router(tags=["people"])


class IdentifiersOut(Schema):
    nhs_number: str | None
    upn: str | None
    la_child_id: str | None


class PersonOut(Schema):
    id: UUID
    given_names: str
    family_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    ethnicity: str
    identifiers: IdentifiersOut

    @staticmethod
    def resolve_identifiers(obj):
        return {"nhs_number": obj.nhs_number, "upn": obj.upn, "la_child_id": obj.la_child_id}


class SearchOut(Schema):
    count: int
    results: list[PersonOut]


@router.get("/", response=SearchOut, url_name="person-search")
def person_search(
    request,
    name: str = Query("", max_length=LINE),
    date_of_birth: date | None = None,
    nhs_number: str = Query("", max_length=20),
    local_id: str = Query("", max_length=40),
):
    """People the caller may see that match; each one returned is logged as accessed."""
    if not permissions.can(request.user, Action.SEARCH):
        raise HttpError(403, "You cannot search for people")
    if not (name.strip() or date_of_birth or nhs_number.strip() or local_id.strip()):
        raise HttpError(400, "Give a name, date_of_birth, nhs_number or local_id")
    try:
        results = selectors.person_search(
            user=request.user,
            name=name,
            date_of_birth=date_of_birth,
            nhs_number=nhs_number.strip(),
            local_id=local_id.strip(),
        )
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from error
    selectors.access_people(
        user=request.user, people=results, purpose=AccessPurpose.API, request=request
    )
    return {"count": len(results), "results": results}


@router.get("/{person_id}", response=PersonOut, url_name="person-detail")
def person_detail(request, person_id: UUID):
    """One person's identity and identifiers."""
    try:
        return selectors.access_person(
            user=request.user, person_id=person_id, purpose=AccessPurpose.API, request=request
        )
    except Http404 as error:
        raise HttpError(404, "Not found") from error
