"""The lookup's answer as a FHIR R4 ``Flag`` in a search ``Bundle`` (decision 0039).

``GET /api/v1/fhir/Flag?...`` is a FHIR search: a ``searchset`` Bundle holding one Flag when
the child has a plan or is looked after now (``status`` active), or had a plan or a period of
care in the last 12 months (inactive), and none otherwise (decision 0076). Its ``period``
starts with the plan, or with the period of care when there is no plan. The Flag says only what
the JSON answer says; its subject is the NHS number searched for, or the name given. No SNOMED
CT code is claimed: the meaning is in ``code.text``, and ``category`` is the FHIR flag category
"safety". The authority's numbers are a contained Organization's ``telecom``: rank 1 the
daytime number, rank 2 out of hours.
"""

from safeguard.partners.models import LookupAnswer
from safeguard.partners.selectors import Search, Status

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
FLAG_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/flag-category"
FHIR_JSON = "application/fhir+json"


def _subject(search: Search) -> dict:
    if search.by_nhs_number:
        return {"identifier": {"system": NHS_NUMBER_SYSTEM, "value": search.nhs_number}}
    return {"display": f"{search.given_name.strip()} {search.family_name.strip()}".strip()}


def _authority(status: Status) -> dict:
    telecom = []
    for rank, value in enumerate((status.daytime_phone, status.out_of_hours_phone), 1):
        if value:
            telecom.append({"system": "phone", "value": value, "use": "work", "rank": rank})
    organisation = {
        "resourceType": "Organization",
        "id": "authority",
        "name": f"{status.authority_name} children's services",
    }
    if telecom:
        organisation["telecom"] = telecom
    return organisation


def _text(status: Status) -> str:
    parts = [status.message]
    if status.allocated_team:
        parts.append(f"Allocated team: {status.allocated_team}.")
    if status.daytime_phone:
        parts.append(f"Daytime: {status.daytime_phone}.")
    if status.out_of_hours_phone:
        parts.append(f"Out of hours: {status.out_of_hours_phone}.")
    return " ".join(parts)


def flag(status: Status, search: Search) -> dict:
    """The Flag for a child with a plan, or looked after, now or in the last 12 months."""
    resource = {
        "resourceType": "Flag",
        "contained": [_authority(status)],
        "status": "active" if status.on_plan or status.looked_after else "inactive",
        "category": [
            {"coding": [{"system": FLAG_CATEGORY_SYSTEM, "code": "safety", "display": "Safety"}]}
        ],
        "code": {"text": _text(status)},
        "subject": _subject(search),
        "author": {"reference": "#authority"},
    }
    start = status.start_date or status.looked_after_start_date
    if start:
        resource["period"] = {"start": start.isoformat()}
    return resource


def search_bundle(status: Status, search: Search) -> dict:
    """The searchset Bundle: one Flag, or none (no plan and not looked after, nobody found,
    or several matched: then an OperationOutcome says so, as FHIR search does for a
    warning)."""
    entries = []
    if status.in_last_12_months:
        entries.append({"resource": flag(status, search), "search": {"mode": "match"}})
    elif status.shown_answer == LookupAnswer.SEVERAL:
        entries.append(
            {
                "resource": {
                    "resourceType": "OperationOutcome",
                    "issue": [
                        {
                            "severity": "warning",
                            "code": "multiple-matches",
                            "diagnostics": status.message,
                        }
                    ],
                },
                "search": {"mode": "outcome"},
            }
        )
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 1 if status.in_last_12_months else 0,
    }
    if entries:  # FHIR JSON never has an empty array
        bundle["entry"] = entries
    return bundle
