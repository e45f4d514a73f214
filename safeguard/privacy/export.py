"""The subject access export: everything held about one person, and who looked at it.

The record is gathered by walking, read-only, from the person through every record that
points at them (cases, and every step, note, plan and chronology entry under each case) in
the lower apps' models. Other people named on the way are third parties: they are kept in
the export and MARKED for redaction (``"third_party": true, "redact": true`` in the JSON, a
visible marker in the HTML), for the officer answering the request to redact before release.
Staff named in their professional role are marked as professionals, not for redaction.
Free text may name third parties too: the export says so, and it must be read before release.

The person's documents (letters, reports, photographs: the documents app) are listed with
their metadata like every other record, and their files are in the ZIP, under
``documents/``, each named by its kind, date and id (decision 0047). Documents, like free
text, may name third parties: they must be read before release.
"""

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.audit.models import AccessEvent, AccessPurpose
from safeguard.core.downloads import safe_filename
from safeguard.documents import store
from safeguard.documents.models import Document
from safeguard.people.models import Person, Residence

# Bookkeeping fields that say nothing about the person.
SKIP_FIELDS = {"created_by", "updated_by", "version", "given_key", "family_key", "authority",
               "file_key"}  # fmt: skip
# Records of the authority's own handling of the request are not part of the record walked.
SKIP_MODELS = {"privacy.subjectaccessrequest"}
MAX_DEPTH = 4
# JSON fields that hold rows of people (name, role, agency) attending or in a group.
PEOPLE_ROWS = {"attendees", "members", "core_group_members"}

THIRD_PARTY_NOTE = (
    "Third parties are marked for redaction, not removed. Free text (notes, reasons, "
    "summaries) and the documents in the documents folder may name other people: read them "
    "before release."
)


def _user_ref(user) -> dict:
    return {
        "name": str(user),
        "role": user.get_role_display() if user.role else "",
        "professional": True,
        "third_party": True,
        "redact": False,
    }


def _person_ref(person: Person, subject_id, why: str = "") -> dict:
    if person.pk == subject_id:
        return {"person_id": str(person.pk), "name": person.full_name, "subject": True}
    return {
        "person_id": str(person.pk),
        "name": person.full_name,
        "third_party": True,
        "redact": True,
        **({"why": why} if why else {}),
    }


def _label(field) -> str:
    text = str(field.verbose_name)
    return text[:1].upper() + text[1:]


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    return value


class Walker:
    def __init__(self, subject: Person):
        self.subject = subject
        self.seen: set[tuple[str, str]] = set()
        self.third_parties: dict[str, dict] = {}

    def _mark(self, ref: dict) -> dict:
        if ref.get("third_party") and ref.get("redact"):
            self.third_parties.setdefault(
                ref["person_id"], {k: ref[k] for k in ("person_id", "name")}
            )
        return ref

    def field_value(self, obj, field):
        value = getattr(obj, field.name)
        if value is None:
            return None
        if isinstance(field, models.ForeignKey):
            if isinstance(value, Person):
                return self._mark(_person_ref(value, self.subject.pk))
            if value._meta.label_lower == settings.AUTH_USER_MODEL.lower():
                return _user_ref(value)
            return {"record": value._meta.label_lower, "id": str(value.pk), "text": str(value)}
        if isinstance(field, models.JSONField) and field.name in PEOPLE_ROWS:
            return self._people_rows(value)
        if field.choices and not isinstance(field, models.JSONField):
            label = dict(field.flatchoices).get(value, value)
            return {"code": value, "label": str(label)} if label != value else value
        return _plain(value) if not isinstance(value, (list, dict)) else value

    def _people_rows(self, value):
        rows = value if isinstance(value, list) else [value]
        out = []
        for row in rows:
            entry = dict(row) if isinstance(row, dict) else {"text": row}
            entry.update(third_party=True, redact=True)
            out.append(entry)
        return out

    def node(self, obj, depth: int = 0) -> dict:
        key = (obj._meta.label_lower, str(obj.pk))
        title = str(obj._meta.verbose_name).capitalize()
        if key in self.seen:
            return {"record": key[0], "id": key[1], "title": title, "shown_above": True}
        self.seen.add(key)
        fields, labels = {}, {}
        for field in obj._meta.concrete_fields:
            if field.name in SKIP_FIELDS or field.primary_key:
                continue
            if (
                isinstance(field, models.ForeignKey)
                and getattr(obj, field.attname) == self.subject.pk
            ):
                continue  # the subject themself
            fields[field.name] = self.field_value(obj, field)
            labels[field.name] = _label(field)
        for field in obj._meta.many_to_many:
            fields[field.name] = [str(v) for v in getattr(obj, field.name).all()]
            labels[field.name] = _label(field)
        children = {}
        if depth < MAX_DEPTH:
            for rel in obj._meta.related_objects:
                related = rel.related_model
                if rel.hidden or rel.many_to_many or related._meta.label_lower in SKIP_MODELS:
                    continue
                if not related.__module__.startswith("safeguard."):
                    continue
                if rel.one_to_one:
                    child = (
                        getattr(obj, rel.get_accessor_name(), None)
                        if hasattr(obj, rel.get_accessor_name())
                        else None
                    )
                    items = [child] if child is not None else []
                else:
                    items = list(getattr(obj, rel.get_accessor_name()).all())
                if items:
                    label = str(related._meta.verbose_name_plural).capitalize()
                    if rel.remote_field.name == "other":
                        label = f"{label} (to this person)"
                    children[label] = [self.node(i, depth + 1) for i in items]
        return {
            "record": key[0],
            "id": key[1],
            "title": title,
            # Records without a name of their own print as "Residence object (id)": no summary.
            "summary": "" if str(obj).endswith(f" object ({obj.pk})") else str(obj),
            "fields": fields,
            # Each field as the forms call it, for the readable report (no internal names).
            "labels": labels,
            "children": children,
        }

    def households(self) -> list[dict]:
        """For each address the person lived at, the other people who lived there."""
        out = []
        mine = Residence.objects.filter(person=self.subject).select_related("address")
        for res in mine:
            others = (
                Residence.objects.filter(address=res.address)
                .exclude(person=self.subject)
                .select_related("person")
            )
            people = [
                self._mark(_person_ref(o.person, self.subject.pk, "lived at the same address"))
                for o in others
            ]
            out.append({"address": str(res.address), "from": _plain(res.start_date),
                        "to": _plain(res.end_date), "others": people})  # fmt: skip
        return out


def access_history(person_id) -> list[dict]:
    events = AccessEvent.objects.filter(person_id=person_id).select_related("user")
    purposes, roles = dict(AccessPurpose.choices), dict(Role.choices)
    return [
        {
            "at": e.at.isoformat(),
            "who": str(e.user),
            "role": str(roles.get(e.role, e.role)),
            "purpose": purposes.get(e.purpose, e.purpose),
            "page": e.route,
            "reason": e.reason,
            "from": e.ip_address or "",
        }
        for e in events.order_by("at", "id")
    ]


def documents(person_id) -> list[dict]:
    """The person's documents: what is known of each and where its file is in the ZIP."""
    rows = (
        Document.objects.filter(child_id=person_id)
        .select_related("created_by")
        .order_by("document_date", "created_at")
    )
    return [
        {
            "id": str(d.pk),
            "title": d.title,
            "date": d.document_date.isoformat(),
            "kind": d.get_category_display(),
            "source": d.get_source_display() + (f" ({d.source_detail})" if d.source_detail else ""),
            "description": d.description,
            "attached_to": d.step_label,
            "added_by": _user_ref(d.created_by) if d.created_by else None,
            "added_at": d.created_at.isoformat(),
            "type": d.media_type,
            "size": d.size,
            "sha256": d.sha256,
            "file": f"documents/{safe_filename(d.download_name)}",
        }
        for d in rows
    ]


def gather(person: Person) -> dict:
    walker = Walker(person)
    record = walker.node(person)
    data = {
        "export": {
            "kind": "UK GDPR Article 15 subject access export",
            "made_at": timezone.now().isoformat(),
            "person_id": str(person.pk),
            "note": THIRD_PARTY_NOTE,
        },
        "person": record,
        "households": walker.households(),
        "access_history": access_history(person.pk),
        "documents": documents(person.pk),
    }
    data["third_parties"] = sorted(walker.third_parties.values(), key=lambda p: p["name"])
    return data


def withhold(data: dict, references: dict) -> dict:
    """Replace the name of every third party in ``references`` (person id to neutral
    reference) by that reference, everywhere in ``data``: a record the person exporting may
    not see (sealed) is named by its reference only. Changes ``data`` in place."""
    if not references:
        return data
    refs = {str(k): v for k, v in references.items()}

    def walk(value):
        if isinstance(value, dict):
            ref = refs.get(str(value.get("person_id", "")))
            if ref is not None and "name" in value:
                value["name"] = f"Restricted record {ref}"
                value["restricted"] = True
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return data


def third_party_ids(data: dict) -> list[UUID]:
    return [UUID(p["person_id"]) for p in data["third_parties"]]


def _document_files(data: dict) -> list[tuple[str, str]]:
    """(path in the ZIP, store key) of each document listed; a file missing from the store is
    marked so in ``data``, not left out silently."""
    listed = data.get("documents", [])
    keys = dict(
        Document.objects.filter(pk__in=[d["id"] for d in listed]).values_list("pk", "file_key")
    )
    found = []
    for entry in listed:
        key = keys.get(UUID(entry["id"]))
        if key and store.path_of(key).is_file():
            found.append((entry["file"], key))
        else:
            entry["file"] = None
            entry["file_missing"] = True
    return found


def to_zip(data: dict) -> bytes:
    """A ZIP of ``record.json`` (machine-readable), ``report.html`` (readable) and the
    person's documents under ``documents/``."""
    files = _document_files(data)
    html = render_to_string("privacy/export_report.html", {"data": data})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("report.html", html)
        for name, key in files:
            with store.open_file(key) as handle, archive.open(name, "w") as out:
                while chunk := handle.read(store.CHUNK):
                    out.write(chunk)
    return buffer.getvalue()
