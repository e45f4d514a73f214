"""The child's documents: the list, the upload form and the download. Every page reads the
child through ``selectors.access_documents`` or ``access_document`` (the policy asked, the
access logged)."""

from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguard.core import submission
from safeguard.core.downloads import safe_filename
from safeguard.core.submission import posted
from safeguard.documents import selectors, services, store
from safeguard.documents.forms import DocumentForm
from safeguard.documents.permissions import Action


@login_required
@require_http_methods(["GET"])
def document_list(request, person_id: UUID):
    child = selectors.access_documents(user=request.user, person_id=person_id, request=request)
    return render(
        request,
        "documents/list.html",
        {
            "child": child,
            "documents": selectors.documents_of(user=request.user, child=child),
            "may_upload": True,  # the viewing roles are the uploading roles (permissions.py)
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request, person_id: UUID):
    child = selectors.access_documents(
        user=request.user, person_id=person_id, request=request, action=Action.UPLOAD
    )
    reference = request.GET.get("step", "")
    found = selectors.find_step(child, reference) if reference else None
    if reference and found is None:
        raise Http404("No such step on this child's record")
    step = found[1] if found else None
    cases = [] if step is not None else selectors.cases_of(child)
    chosen = request.GET.get("case", "")
    form = DocumentForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        cases=cases,
        initial={"case": chosen if any(str(c.pk) == chosen for c in cases) else ""},
    )

    def save(data):
        return services.document_add(
            by=request.user,
            child=child,
            content=data["file"],
            title=data["title"],
            document_date=data["document_date"],
            category=data["category"],
            source=data["source"],
            source_detail=data["source_detail"],
            description=data["description"],
            case=data.get("case"),
            step=step,
        )

    if submission.submit(request, form, save, success="Document added"):
        return redirect("documents:list", person_id=child.pk)
    return render(
        request,
        "documents/upload.html",
        {
            "child": child,
            "form": form,
            "step_label": selectors.step_label(step) if step is not None else "",
            "limit": services.megabytes(settings.SAFEGUARD_DOCUMENT_MAX_BYTES),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def document_download(request, document_id: UUID):
    document = selectors.access_document(
        user=request.user, document_id=document_id, request=request
    )
    try:
        handle = store.open_file(document.file_key)
    except FileNotFoundError:
        raise Http404("The document's file is missing: tell your system administrator") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(document.download_name),
        content_type=document.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
