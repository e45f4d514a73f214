"""Reading documents: every read goes through an access function that asks the policy and
logs the child's access (``people.selectors.access_person``) in the same transaction."""

from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.text import capfirst

from safeguard.audit.models import AccessPurpose
from safeguard.casework import permissions as case_permissions
from safeguard.casework.models import Case
from safeguard.documents import permissions
from safeguard.documents.models import Document
from safeguard.documents.permissions import Action
from safeguard.people import selectors as people
from safeguard.people.models import Person

NOT_YOURS = "Documents are for the staff working with the child"


def _turn_away(user, action: Action) -> None:
    """Before anything is read or logged: those without sight of case files find nothing
    (as ``casework.selectors.access_child``); social care staff who may not open documents
    are told so."""
    if not case_permissions.can(
        user, case_permissions.Action.VIEW, authority_id=user.authority_id
    ):
        raise Http404("No such case file")
    if not permissions.can(user, action, authority_id=user.authority_id):
        raise PermissionDenied(NOT_YOURS)


@transaction.atomic
def access_documents(*, user, person_id: UUID, request=None, action=Action.VIEW) -> Person:
    """The child, for their documents page (``VIEW``) or the upload form (``UPLOAD``): the
    policy is asked, then the child is read through ``access_person`` (a sealed child is the
    restricted page) and the access logged."""
    action = Action(action)
    _turn_away(user, action)
    child = people.access_person(
        user=user,
        person_id=person_id,
        purpose=AccessPurpose.VIEW if action == Action.VIEW else AccessPurpose.EDIT,
        request=request,
    )
    if not permissions.can(user, action, authority_id=child.authority_id):
        raise Http404("No such case file")
    return child


@transaction.atomic
def access_document(*, user, document_id: UUID, request=None) -> Document:
    """One document, to download: the child's access is logged, naming the document."""
    _turn_away(user, Action.VIEW)
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document")
    document.child = people.access_person(
        user=user,
        person_id=document.child_id,
        purpose=AccessPurpose.VIEW,
        request=request,
        reason=f"Downloaded document {document.pk}",
    )
    if not permissions.can(user, Action.VIEW, document):
        raise Http404("No such document")
    return document


def documents_of(*, user, child: Person) -> list[Document]:
    """The child's documents (the child already accessed), newest first: one query."""
    return list(
        permissions.visible_to(user)
        .filter(child=child)
        .select_related("created_by", "case")
        .order_by("-document_date", "-created_at")
    )


def cases_of(child: Person) -> list[Case]:
    """The child's cases, for attaching a document to one (the child already accessed)."""
    return list(Case.objects.filter(child=child).order_by("-referral_date"))


# --- Steps ----------------------------------------------------------------------------------

# The apps whose records are steps of the work a document may be attached to.
STEP_APPS = ("casework", "referrals", "earlyhelp", "assessments", "protection")


def _child_id_of(obj):
    """The child a step is about: its own ``child``, its case's child, or (one level up)
    the child of the record it belongs to (a core group's plan's case)."""
    for path in ("child_id", "case.child_id"):
        value = obj
        for part in path.split("."):
            value = getattr(value, part, None)
        if value is not None:
            return value
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.related_model is not None and field.many_to_one:
            parent = getattr(obj, field.name, None)
            if parent is not None and field.related_model._meta.app_label in STEP_APPS:
                found = getattr(parent, "child_id", None) or getattr(
                    getattr(parent, "case", None), "child_id", None
                )
                if found is not None:
                    return found
    return None


def step_label(obj) -> str:
    text = str(obj)
    name = capfirst(str(obj._meta.verbose_name))
    if text.endswith(f" object ({obj.pk})") or not text:
        return name
    return f"{name}: {text}"[:200]


def find_step(child: Person, reference: str):
    """The step named by ``reference`` (``"app_label.model:uuid"``, as the step pages link
    to the upload form), if it is a record of one of ``STEP_APPS`` about ``child``; else
    None. Returns ``(content type, record)``."""
    label, _, pk = (reference or "").partition(":")
    app_label, _, model = label.partition(".")
    if app_label not in STEP_APPS or not model:
        return None
    try:
        step_type = ContentType.objects.get_by_natural_key(app_label, model)
        record = step_type.get_object_for_this_type(pk=UUID(pk))
    except (ContentType.DoesNotExist, ValueError, TypeError, AttributeError, ValidationError):
        return None
    except step_type.model_class().DoesNotExist:
        return None
    if _child_id_of(record) != child.pk:
        return None
    return step_type, record
