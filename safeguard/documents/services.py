"""Adding a document to a child's record.

The file is read in chunks to a temporary file (refused once over the size limit), its kind
is found from its content (``filetypes.identify``), then it is moved into place under a
random key and the record saved with its change event. A refusal at any point leaves no file
and no record; if the record's transaction fails, the placed file is removed (and
``store.orphans_remove`` catches what an outer transaction's failure leaves).
"""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from safeguard.audit.services import save_new
from safeguard.casework.models import Case
from safeguard.casework.services import check_date
from safeguard.core.errors import ApplicationError
from safeguard.documents import filetypes, permissions, selectors, store
from safeguard.documents.models import Category, Document, Source
from safeguard.documents.permissions import Action
from safeguard.people import permissions as people_permissions


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    if value < 1:
        return f"{size:,} bytes"
    return f"{value:.1f}".removesuffix(".0") + " MB"  # 9.5 MB, never rounded up to 10


def _chunks(content):
    if isinstance(content, bytes):
        yield content
        return
    if hasattr(content, "seek"):
        content.seek(0)
    yield from content.chunks() if hasattr(content, "chunks") else iter(content)


def _check(*, by, child, title, document_date, category, source, case, step) -> None:
    if not permissions.can(by, Action.UPLOAD, authority_id=child.authority_id) or not (
        people_permissions.can(by, people_permissions.Action.VIEW, child)
    ):
        raise PermissionDenied("You cannot add documents to this child's record")
    if not (title or "").strip():
        raise ApplicationError("Enter a title", field="title")
    check_date(document_date, label="date of the document", field="document_date")
    if category not in Category.values:
        raise ApplicationError("Choose what kind of document it is", field="category")
    if source not in Source.values:
        raise ApplicationError("Choose who the document is from", field="source")
    if case is not None and case.child_id != child.pk:
        raise ApplicationError("Choose one of this child's cases", field="case")
    if step is not None and selectors._child_id_of(step) != child.pk:
        raise ApplicationError("The step is not on this child's record")


def receive_checked(content) -> tuple[store.Incoming, filetypes.Kind]:
    """Receive ``content`` (an upload, or bytes) whole into a temporary file and read its kind
    from its content: refused, on the field ``file`` and with nothing left behind, when it is
    over ``SAFEGUARD_DOCUMENT_MAX_BYTES``, empty or of a kind not accepted. The caller places
    the file (or discards it). Governance's evidence files are received the same way."""
    limit = settings.SAFEGUARD_DOCUMENT_MAX_BYTES
    try:
        incoming = store.receive(_chunks(content), limit=limit)
    except store.TooLarge:
        raise ApplicationError(
            f"The file is larger than {megabytes(limit)}: choose a smaller file", field="file"
        ) from None
    try:
        if incoming.size == 0:
            raise ApplicationError("The file is empty", field="file")
        kind = filetypes.identify(incoming.head, incoming.path)
    except BaseException:
        incoming.discard()
        raise
    return incoming, kind


def document_add(
    *,
    by,
    child,
    content,
    title: str,
    document_date: date,
    category: str,
    source: str,
    source_detail: str = "",
    description: str = "",
    case: Case | None = None,
    step=None,
) -> Document:
    """Add the file ``content`` (an upload, or bytes) to ``child``'s record, optionally on
    one of their cases and one step of the work (``step``: the record itself)."""
    _check(
        by=by, child=child, title=title, document_date=document_date, category=category,
        source=source, case=case, step=step,
    )  # fmt: skip
    if case is None and step is not None:
        found = getattr(step, "case", None)
        case = found if isinstance(found, Case) else None
    incoming, kind = receive_checked(content)
    key = store.place(incoming)
    try:
        return _save(
            by=by, child=child, case=case, step=step, kind=kind, key=key, size=incoming.size,
            sha256=incoming.sha256, title=title.strip(), document_date=document_date,
            category=category, source=source, source_detail=source_detail.strip(),
            description=description.strip(),
        )  # fmt: skip
    except BaseException:
        store.remove(key)
        raise


@transaction.atomic
def _save(*, by, child, case, step, kind, key, size, sha256, **fields) -> Document:
    document = Document(
        authority_id=child.authority_id,
        child=child,
        case=case,
        step_type=ContentType.objects.get_for_model(step) if step is not None else None,
        step_id=step.pk if step is not None else None,
        step_label=selectors.step_label(step) if step is not None else "",
        extension=kind.extension,
        media_type=kind.media_type,
        size=size,
        sha256=sha256,
        file_key=key,
        **fields,
    )
    save_new(document, by=by, person_id=child.pk)
    return document


def orphans_clean() -> str:
    """The scheduled job ``clean-documents``: orphans older than an hour removed."""
    removed = orphans_remove(older_than_seconds=3600)
    return f"{len(removed)} orphaned file{'s' if len(removed) != 1 else ''} removed"


def orphans_remove(*, older_than_seconds: int = 3600) -> list[str]:
    """Remove stored files no document names (``safeguard clean-documents``)."""
    keys = Document.objects.values_list("file_key", flat=True)
    return store.orphans_remove(keys.iterator(), older_than_seconds=older_than_seconds)
