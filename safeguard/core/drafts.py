"""Drafts: keeping a form's typing safe until it is saved.

Every form that posts from a page's main content takes part (``static/js/drafts.mjs``; opt
out with ``data-no-draft``; forms with a password never take part). The script saves the
typing to ``core:draft-save`` and puts it back from ``core:draft-load``; a successful save of
the form (a redirect after POST) removes the draft (``DraftCleanupMiddleware``). A view may
also restore the draft on the server, so the page shows it without JavaScript, with
``form_with_draft`` and ``{% include "components/draft_status.html" %}``.
"""

from django.forms.utils import ErrorDict

from safeguard.core.models import Draft

MAX_DRAFT_BYTES = 100_000
# Never kept in a draft: tokens, and anything that looks like a secret.
_SKIP = ("csrfmiddlewaretoken", "_draft_key")


def _keep(name: str) -> bool:
    return name not in _SKIP and "password" not in name.lower() and "token" not in name.lower()


def clean_draft_data(querydict) -> dict:
    """The form fields worth keeping from a posted draft, as {name: [values]}."""
    data = {name: querydict.getlist(name) for name in querydict if _keep(name)}
    return data


def has_nul(data: dict) -> bool:
    """Whether a NUL byte is anywhere in a draft's names or values."""
    return any("\x00" in name or any("\x00" in v for v in values) for name, values in data.items())


def drafts_remove_stale(*, days: int) -> str:
    """The scheduled job ``clean-drafts``: remove drafts untouched for ``days`` days (typing
    left on a form nobody came back to). Recent drafts are kept."""
    from datetime import timedelta

    from django.utils import timezone

    removed, _ = Draft.objects.filter(updated_at__lt=timezone.now() - timedelta(days=days)).delete()
    return f"{removed} draft{'s' if removed != 1 else ''} untouched for {days} days removed"


def draft_save(*, user, key: str, data: dict) -> Draft:
    draft, _ = Draft.objects.update_or_create(user=user, key=key[:300], defaults={"data": data})
    return draft


def draft_discard(*, user, key: str) -> None:
    Draft.objects.filter(user=user, key=key[:300]).delete()


def draft_for(*, user, key: str) -> Draft | None:
    return Draft.objects.filter(user=user, key=key[:300]).first()


def form_with_draft(form_class, request, **kwargs):
    """The form for a GET: filled from the user's draft for this page, if there is one.

    The form is bound to the draft so that every field shows what was typed, but carries no
    errors: the user has not submitted it yet. Returns (form, draft or None).
    """
    draft = draft_for(user=request.user, key=request.path)
    if draft is None or not draft.data:
        return form_class(**kwargs), None
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, values in draft.data.items():
        data.setlist(name, [str(v) for v in values])
    form = form_class(data=data, **kwargs)
    form._errors = ErrorDict()  # shown as typed, not judged
    return form, draft


def discard_requested(request) -> bool:
    """Whether the user pressed "Discard draft"; if so the draft is gone and the caller
    should show the empty form again (redirect to ``request.path``)."""
    if request.method == "POST" and request.POST.get("_discard_draft"):
        draft_discard(user=request.user, key=request.path)
        return True
    return False
