"""The directory in the Open Referral UK data standard (decision 0079): the JSON of the ORUK
API's paged list of full services (``GET /services``: ``totalElements``, ``content`` and the
page fields), each service as ``GET /services/{id}`` gives it, with its organization,
contacts and phones, service_at_locations (location, physical_addresses), eligibilitys (with
taxonomys), service_areas, service_taxonomys and holiday_schedules.

Safeguard's own codes travel as taxonomy terms under named vocabularies, so that another
directory reads them as the standard's taxonomy and Safeguard reads them back exactly:

- ``safeguard-service-kind``: the kind of service (``ServiceKind``), in service_taxonomys;
- ``safeguard-need``: the needs it meets (``Need``), in service_taxonomys;
- ``safeguard-threshold-level``: the levels of the authority's continuum of need it serves,
  by number, in the eligibility's taxonomys.

``export`` builds the document; ``parse`` reads one back into entry values, checking every
field and refusing the whole file with every reason (record and field) if anything is wrong.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date

from safeguard.core.errors import ApplicationError
from safeguard.directory.codes import Need, ServiceKind

KIND_VOCABULARY = "safeguard-service-kind"
NEED_VOCABULARY = "safeguard-need"
LEVEL_VOCABULARY = "safeguard-threshold-level"
# Ids of the parts of a service (contacts, locations...) derived from the service's id, so
# that the same directory always exports the same file.
_PART = uuid.UUID("5d6c2f0e-8a53-4f4e-9d38-0079d1ec7019")
REFERRALS_CONTACT = "Referrals"
ENQUIRIES_CONTACT = "Enquiries"
_WAIT = re.compile(r"^(\d+) weeks?(?:; (.*))?$", re.DOTALL)

# The words of each field of an entry, for the import's preview.
_LABELS = {
    "name": "name", "organisation": "provided by", "kind": "kind", "description": "what it offers",
    "min_age": "youngest age", "max_age": "oldest age", "areas": "postcode districts",
    "levels": "threshold levels", "needs": "needs", "eligibility_notes": "other eligibility",
    "how_to_refer": "how to refer", "referral_email": "referral email",
    "accepting_referrals": "taking referrals", "waiting_weeks": "usual wait",
    "capacity_notes": "capacity", "phone": "phone", "email": "email", "website": "website",
    "address": "address", "postcode": "postcode", "last_checked": "last checked",
    "ended_on": "ended on", "ended_reason": "why it ended",
}  # fmt: skip


def label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " "))


class FileRefused(ApplicationError):
    """An Open Referral UK file that cannot be imported, with every reason."""

    def __init__(self, reasons: list[str]):
        super().__init__(
            f"The file was not imported: {len(reasons)} problem"
            f"{'s' if len(reasons) != 1 else ''} to put right. Nothing has been changed."
        )
        self.reasons = reasons


def _part_id(service_id, part: str) -> str:
    return str(uuid.uuid5(_PART, f"{service_id}/{part}"))


def _term(vocabulary: str, code, name: str) -> dict:
    return {
        "id": f"{vocabulary}:{code}",
        "name": name,
        "vocabulary": vocabulary,
        "parent": None,
    }


def service_document(service, level_names: dict[int, str]) -> dict:
    """One entry as an Open Referral UK full service."""
    sid = str(service.oruk_id)
    contacts = []
    if service.phone:
        contacts.append({
            "id": _part_id(sid, "contact/enquiries"), "name": ENQUIRIES_CONTACT, "title": None,
            "email": None,
            "phones": [{"id": _part_id(sid, "phone/enquiries"), "number": service.phone,
                        "language": "English"}],
        })  # fmt: skip
    if service.referral_email:
        contacts.append({
            "id": _part_id(sid, "contact/referrals"), "name": REFERRALS_CONTACT,
            "title": REFERRALS_CONTACT, "email": service.referral_email, "phones": [],
        })  # fmt: skip
    locations = []
    if service.address or service.postcode:
        locations.append({
            "id": _part_id(sid, "service_at_location"),
            "location": {
                "id": _part_id(sid, "location"), "name": service.name, "description": None,
                "latitude": None, "longitude": None,
                "physical_addresses": [{
                    "id": _part_id(sid, "physical_address"), "address_1": service.address,
                    "city": None, "state_province": None, "postal_code": service.postcode,
                    "country": "GB",
                }],
            },
        })  # fmt: skip
    eligibilitys = []
    if (
        service.min_age is not None
        or service.max_age is not None
        or service.levels
        or service.eligibility_notes
    ):
        eligibilitys.append({
            "id": _part_id(sid, "eligibility"),
            "eligibility": service.eligibility_notes or None,
            "minimum_age": service.min_age, "maximum_age": service.max_age,
            "taxonomys": [
                _term(LEVEL_VOCABULARY, n, level_names.get(n, f"Level {n}"))
                for n in service.levels
            ],
        })  # fmt: skip
    taxonomies = [_term(KIND_VOCABULARY, service.kind, ServiceKind(service.kind).label)]
    taxonomies += [_term(NEED_VOCABULARY, n, Need(n).label) for n in service.needs]
    wait = []
    if service.waiting_weeks is not None:
        wait.append(f"{service.waiting_weeks} week{'s' if service.waiting_weeks != 1 else ''}")
    if service.capacity_notes:
        wait.append(service.capacity_notes)
    if service.ended_on is not None:
        status = "inactive"
    elif not service.accepting_referrals:
        status = "temporarily closed"
    else:
        status = "active"
    return {
        "id": sid,
        "organization": {
            "id": str(uuid.uuid5(_PART, f"organization/{service.organisation}")),
            "name": service.organisation, "description": None, "url": None, "logo": None,
        },
        "name": service.name,
        "description": service.description,
        "url": service.website or None,
        "email": service.email or None,
        "status": status,
        "application_process": service.how_to_refer,
        "wait_time": "; ".join(wait) or None,
        "fees": None,
        "accreditations": None,
        "deliverable_type": None,
        "attending_type": None,
        "attending_access": "referral",
        "assured_date": service.last_checked.isoformat(),
        "contacts": contacts,
        "eligibilitys": eligibilitys,
        "service_areas": [
            {"id": _part_id(sid, f"service_area/{area}"), "service_area": area,
             "extent": None, "uri": None}
            for area in service.areas
        ],
        "service_at_locations": locations,
        "service_taxonomys": [
            {"id": _part_id(sid, f"service_taxonomy/{term['id']}"), "taxonomy": term}
            for term in taxonomies
        ],
        "holiday_schedules": [
            {"id": _part_id(sid, "holiday_schedule/ended"), "closed": True,
             "opens_at": None, "closes_at": None,
             "start_date": service.ended_on.isoformat(), "end_date": None,
             "description": service.ended_reason or None}
        ] if service.ended_on is not None else [],
        "cost_options": [], "fundings": [], "languages": [], "regular_schedules": [],
        "reviews": [],
    }  # fmt: skip


def export(services, level_names: dict[int, str]) -> dict:
    """The directory as one page of the ORUK API's ``GET /services``, every service in it."""
    content = [service_document(s, level_names) for s in services]
    return {
        "totalElements": len(content),
        "totalPages": 1,
        "number": 1,
        "size": len(content),
        "first": True,
        "last": True,
        "empty": not content,
        "content": content,
    }


def dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- Reading a file ------------------------------------------------------------------------


@dataclass
class Record:
    oruk_id: uuid.UUID
    values: dict


class _Reader:
    """Reads one service, collecting every problem as "Service N (name), field: message"."""

    def __init__(self, number: int, raw: dict, problems: list[str]):
        self.raw, self.problems = raw, problems
        name = raw.get("name") if isinstance(raw.get("name"), str) else ""
        self.where = f"Service {number}" + (f" ({name})" if name else "")

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{self.where}, {path}: {message}")

    def text(self, value, path: str, *, required=False, limit=None) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(path, "must be text")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(path, "is required")
        if limit and len(value) > limit:
            self.problem(path, f"is longer than {limit} characters")
        return value

    def whole(self, value, path: str, *, low=0, high=None) -> int | None:
        if value is None or value == "":
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < low
            or (high is not None and value > high)
        ):
            self.problem(
                path, f"must be a whole number from {low}" + (f" to {high}" if high else "")
            )
            return None
        return value

    def day(self, value, path: str, *, required=False) -> date | None:
        if value in (None, ""):
            if required:
                self.problem(path, "is required (a date like 2026-03-31)")
            return None
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            self.problem(path, f"{value!r} is not a date like 2026-03-31")
            return None

    def items(self, key: str) -> list:
        value = self.raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, "must be a list")
            return []
        good = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                good.append((i, item))
            else:
                self.problem(f"{key}[{i}]", "must be an object")
        return good


def _terms(reader: _Reader, items, path: str, vocabulary: str) -> list[str]:
    codes = []
    for i, term in items:
        if not isinstance(term, dict):
            reader.problem(f"{path}[{i}]", "must be a taxonomy object")
            continue
        if term.get("vocabulary") != vocabulary:
            continue
        term_id = str(term.get("id") or "")
        prefix = f"{vocabulary}:"
        if not term_id.startswith(prefix):
            reader.problem(f"{path}[{i}].id", f"must be {prefix}<code>")
            continue
        codes.append(term_id[len(prefix) :])
    return codes


def _service(reader: _Reader, level_numbers: set[int]) -> Record | None:
    raw = reader.raw
    sid = None
    try:
        sid = uuid.UUID(str(raw.get("id")))
    except ValueError:
        reader.problem("id", "must be the service's id, a UUID")
    organisation = raw.get("organization")
    if not isinstance(organisation, dict):
        reader.problem("organization", "is required, with the organization's name")
        organisation = {}
    values = {
        "name": reader.text(raw.get("name"), "name", required=True, limit=200),
        "organisation": reader.text(
            organisation.get("name"), "organization.name", required=True, limit=200
        ),
        "description": reader.text(raw.get("description"), "description", required=True),
        "how_to_refer": reader.text(
            raw.get("application_process"), "application_process", required=True
        ),
        "website": reader.text(raw.get("url"), "url", limit=200),
        "email": reader.text(raw.get("email"), "email", limit=254),
        "last_checked": reader.day(raw.get("assured_date"), "assured_date", required=True),
    }
    status = raw.get("status") or "active"
    if status not in ("active", "inactive", "temporarily closed", "defunct"):
        reader.problem("status", f"{status!r} is not active, inactive or temporarily closed")
    values["accepting_referrals"] = status == "active"
    # Wait and capacity
    wait = reader.text(raw.get("wait_time"), "wait_time")
    match = _WAIT.match(wait)
    values["waiting_weeks"] = int(match.group(1)) if match else None
    values["capacity_notes"] = (match.group(2) or "") if match else wait
    if values["waiting_weeks"] is not None and values["waiting_weeks"] > 104:
        reader.problem("wait_time", "a wait of more than 104 weeks")
    if len(values["capacity_notes"]) > 300:
        reader.problem("wait_time", "is longer than 300 characters")
    # Contacts
    values["phone"], values["referral_email"] = "", ""
    for i, contact in reader.items("contacts"):
        if contact.get("title") == REFERRALS_CONTACT or contact.get("name") == REFERRALS_CONTACT:
            values["referral_email"] = reader.text(
                contact.get("email"), f"contacts[{i}].email", limit=254
            )
            continue
        phones = contact.get("phones") or []
        if not isinstance(phones, list):
            reader.problem(f"contacts[{i}].phones", "must be a list")
            continue
        for j, phone in enumerate(phones):
            number = phone.get("number") if isinstance(phone, dict) else None
            number = reader.text(number, f"contacts[{i}].phones[{j}].number", limit=30)
            if number and not values["phone"]:
                values["phone"] = number
    # Location
    values["address"], values["postcode"] = "", ""
    for i, at in reader.items("service_at_locations")[:1]:
        location = at.get("location") if isinstance(at.get("location"), dict) else {}
        addresses = location.get("physical_addresses") or []
        if addresses and isinstance(addresses[0], dict):
            path = f"service_at_locations[{i}].location.physical_addresses[0]"
            values["address"] = reader.text(
                addresses[0].get("address_1"), f"{path}.address_1", limit=300
            )
            values["postcode"] = reader.text(
                addresses[0].get("postal_code"), f"{path}.postal_code", limit=8
            ).upper()
    # Eligibility
    values.update(min_age=None, max_age=None, eligibility_notes="", levels=[])
    for i, item in reader.items("eligibilitys")[:1]:
        values["min_age"] = reader.whole(
            item.get("minimum_age"), f"eligibilitys[{i}].minimum_age", high=25
        )
        values["max_age"] = reader.whole(
            item.get("maximum_age"), f"eligibilitys[{i}].maximum_age", high=25
        )
        values["eligibility_notes"] = reader.text(
            item.get("eligibility"), f"eligibilitys[{i}].eligibility"
        )
        taxonomys = item.get("taxonomys") or []
        path = f"eligibilitys[{i}].taxonomys"
        for code in _terms(reader, list(enumerate(taxonomys)), path, LEVEL_VOCABULARY):
            if not code.isdigit() or int(code) not in level_numbers:
                reader.problem(path, f"level {code} is not a level of the authority's threshold")
            else:
                values["levels"].append(int(code))
    if (
        values["min_age"] is not None
        and values["max_age"] is not None
        and values["min_age"] > values["max_age"]
    ):
        reader.problem("eligibilitys[0].maximum_age", "is below the minimum age")
    # Areas
    values["areas"] = []
    for i, area in reader.items("service_areas"):
        district = reader.text(area.get("service_area"), f"service_areas[{i}].service_area")
        if district and not re.match(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$", district.upper()):
            reader.problem(
                f"service_areas[{i}].service_area", f"{district!r} is not a postcode district"
            )
        elif district:
            values["areas"].append(district.upper())
    # Kind and needs
    terms = []
    for i, link in reader.items("service_taxonomys"):
        terms.append((i, link.get("taxonomy")))
    kinds = _terms(reader, terms, "service_taxonomys", KIND_VOCABULARY)
    if len(kinds) != 1 or kinds[0] not in ServiceKind.values:
        reader.problem(
            "service_taxonomys",
            f"needs exactly one term of the vocabulary {KIND_VOCABULARY}, one of: "
            + ", ".join(ServiceKind.values),
        )
        values["kind"] = ""
    else:
        values["kind"] = kinds[0]
    values["needs"] = []
    for code in _terms(reader, terms, "service_taxonomys", NEED_VOCABULARY):
        if code not in Need.values:
            reader.problem("service_taxonomys", f"{code!r} is not a need the directory lists")
        else:
            values["needs"].append(code)
    # The end
    values["ended_on"], values["ended_reason"] = None, ""
    for i, schedule in reader.items("holiday_schedules"):
        if schedule.get("closed") and schedule.get("end_date") in (None, ""):
            values["ended_on"] = reader.day(
                schedule.get("start_date"), f"holiday_schedules[{i}].start_date", required=True
            )
            values["ended_reason"] = reader.text(
                schedule.get("description"), f"holiday_schedules[{i}].description", limit=300
            )
    if status == "inactive" and values["ended_on"] is None:
        reader.problem(
            "holiday_schedules", "an inactive service needs the day it closed (closed, start_date)"
        )
    values["areas"] = sorted(set(values["areas"]))
    values["levels"] = sorted(set(values["levels"]))
    values["needs"] = sorted(set(values["needs"]))
    if sid is None:
        return None
    return Record(oruk_id=sid, values=values)


def parse(text: str, *, level_numbers: set[int]) -> list[Record]:
    """The services of an Open Referral UK file (the paged ``GET /services`` document, or a
    bare list of full services), or ``FileRefused`` with every problem found."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileRefused(
            [f"Line {error.lineno}, column {error.colno}: not JSON ({error.msg})"]
        ) from error
    if isinstance(document, dict) and isinstance(document.get("content"), list):
        services = document["content"]
    elif isinstance(document, list):
        services = document
    else:
        raise FileRefused(
            ['The file is not an Open Referral UK list of services (no "content" list)']
        )
    problems: list[str] = []
    records, ids, names = [], {}, {}
    for number, raw in enumerate(services, start=1):
        if not isinstance(raw, dict):
            problems.append(f"Service {number}: must be an object")
            continue
        reader = _Reader(number, raw, problems)
        record = _service(reader, level_numbers)
        if record is None:
            continue
        if record.oruk_id in ids:
            reader.problem("id", f"the same id as service {ids[record.oruk_id]}")
        ids.setdefault(record.oruk_id, number)
        key = (record.values["name"], record.values["organisation"])
        if key in names:
            reader.problem("name", f"the same name and organization as service {names[key]}")
        names.setdefault(key, number)
        records.append(record)
    if problems:
        raise FileRefused(problems)
    return records
