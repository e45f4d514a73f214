"""A person's record: creating it, the person page, and changing identity and names."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.audit.models import AccessPurpose
from safeguard.audit.services import one_access_append
from safeguard.core import drafts, submission
from safeguard.core.concurrency import seen_version
from safeguard.core.submission import posted
from safeguard.people import permissions, selectors, services
from safeguard.people.forms import OtherNameForm, PersonEditForm, PersonForm
from safeguard.people.permissions import Action


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    if not permissions.can(request.user, Action.CREATE):
        raise PermissionDenied
    if drafts.discard_requested(request):
        return redirect(request.path)
    draft = None
    if request.method == "POST":
        form = PersonForm(request.POST)
    else:
        form, draft = drafts.form_with_draft(PersonForm, request)
    duplicates, restricted = [], []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            selectors.possible_duplicates_of(
                user=request.user,
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"] or data["expected_date_of_birth"],
            )
        )
        restricted = selectors.restricted_duplicates_of(
            user=request.user,
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"] or data["expected_date_of_birth"],
        )
        if (duplicates or restricted) and not request.POST.get("confirm_not_duplicate"):
            selectors.access_people(
                user=request.user, people=duplicates, purpose=AccessPurpose.SEARCH, request=request
            )
        elif person := submission.submit(
            request,
            form,
            lambda d: services.person_create(by=request.user, **d),
            success=lambda person: f"Record created for {person.full_name}",
        ):
            drafts.draft_discard(user=request.user, key=request.path)
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "duplicates": duplicates,
            "restricted_duplicates": restricted,
            "creating": True,
            "draft": draft,
        },
    )


@login_required
@require_http_methods(["GET"])
@one_access_append()
def person_detail(request, person_id: UUID):
    person = selectors.access_person(
        user=request.user, person_id=person_id, purpose=AccessPurpose.VIEW, request=request
    )
    today = timezone.localdate()
    selectors.load_person_page(person)
    residences, neighbours = selectors.residences_around(person)
    involvements = list(selectors.person_involvements(person))
    # Related people are shown by name on this page, so their access is logged too.
    relatives = selectors.relatives_shown(
        user=request.user,
        person=person,
        on=today,
        request=request,
        residences=residences,
        others=neighbours,
    )
    duplicates = list(
        selectors.possible_duplicates_of(
            user=request.user,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth or person.expected_date_of_birth,
            exclude_id=person.pk,
        )
    )
    selectors.access_people(
        user=request.user,
        people=duplicates,
        purpose=AccessPurpose.SEARCH,
        request=request,
        reason=f"Possible duplicate of {person.pk}",
    )
    # Alert flags (decision 0048): the person's own, and those of the relatives shown beside
    # them, for those who may see alerts (children's social care).
    sees_alerts = permissions.can(request.user, Action.SEE_ALERTS, person)
    own_alerts, relative_alerts = (
        selectors.alerts_for_page(
            person, relatives.visible_ids | {p.pk for p in relatives.household}
        )
        if sees_alerts
        else ([], {})
    )
    context = {
        "person": person,
        "today": today,
        "sees_alerts": sees_alerts,
        "own_alerts": own_alerts,
        "relative_alerts": relative_alerts,
        "can_raise_alert": permissions.can(request.user, Action.RAISE_ALERT, person)
        and not person.is_child_on(today),
        "age": person.age_on(today),
        "is_child": person.is_child_on(today),
        "other_names": person.other_names.all(),
        "residences": residences,
        "household": relatives.household,
        "relationships": relatives.relationships,
        "hidden_relationships": relatives.hidden_relationships,
        "involvements": involvements,
        "timeline": selectors.person_timeline(
            person,
            visible_ids=relatives.visible_ids,
            residences=residences,
            involvements=involvements,
            relationships=relatives.relationships,
        ),
        "history": selectors.person_history(user=request.user, person=person),
        "duplicates": duplicates,
        "can_edit": permissions.can(request.user, Action.EDIT, person),
    }
    return render(request, "people/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id: UUID):
    person = selectors.person_for_edit(user=request.user, person_id=person_id, request=request)
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    initial["version"] = person.version
    form = PersonEditForm(posted(request), initial=initial)

    def save(data):
        data = dict(data)  # the form keeps its version, for a conflict's side-by-side view
        version = seen_version(data)
        return services.person_update(by=request.user, person=person, version=version, **data)

    if submission.submit(request, form, save, success="Record updated"):
        return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/person_form.html", {"form": form, "person": person, "creating": False}
    )


@login_required
@require_http_methods(["GET", "POST"])
def name_add(request, person_id: UUID):
    person = selectors.person_for_edit(user=request.user, person_id=person_id, request=request)
    form = OtherNameForm(posted(request))
    if submission.submit(
        request,
        form,
        lambda d: services.person_name_add(by=request.user, person=person, **d),
        success="Name added",
    ):
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/name_form.html", {"form": form, "person": person})
