"""Pages about people. Each view: parse input, get the record through the access function,
call one service or selector, render."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.audit import conflicts
from safeguard.audit.models import AccessPurpose
from safeguard.core import drafts
from safeguard.core.errors import ApplicationError
from safeguard.people import permissions, selectors, services
from safeguard.people.forms import (
    AddressForm,
    InvolvementForm,
    OtherNameForm,
    PersonEditForm,
    PersonForm,
    PersonSearchForm,
    RelationshipForm,
)
from safeguard.people.permissions import Action


def _form_error(form, error: ApplicationError) -> None:
    conflicts.form_error(form, error)


@login_required
@require_http_methods(["GET"])
def search(request):
    if not permissions.can(request.user, Action.SEARCH):
        raise PermissionDenied
    form = PersonSearchForm(request.GET or None)
    results, duplicates = [], {}
    searched = False
    if request.GET and form.is_valid():
        searched = True
        data = form.cleaned_data
        results = selectors.person_search(
            user=request.user,
            name=data["name"],
            date_of_birth=data["date_of_birth"],
            nhs_number=data["nhs_number"],
            local_id=data["local_id"],
        )
        selectors.access_people(
            user=request.user, people=results, purpose=AccessPurpose.SEARCH, request=request
        )
        duplicates = selectors.duplicate_groups(results)
    rows = [{"person": p, "duplicates": duplicates.get(p.pk, [])} for p in results]
    return render(
        request,
        "people/search.html",
        {
            "form": form,
            "rows": rows,
            "searched": searched,
            "can_create": permissions.can(request.user, Action.CREATE),
            "limit": selectors.SEARCH_LIMIT,
        },
    )


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
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            selectors.possible_duplicates_of(
                user=request.user,
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"] or data["expected_date_of_birth"],
            )
        )
        if duplicates and not request.POST.get("confirm_not_duplicate"):
            selectors.access_people(
                user=request.user, people=duplicates, purpose=AccessPurpose.SEARCH, request=request
            )
        else:
            try:
                person = services.person_create(by=request.user, **data)
            except ApplicationError as error:
                _form_error(form, error)
            else:
                drafts.draft_discard(user=request.user, key=request.path)
                messages.success(request, f"Record created for {person.full_name}")
                return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "duplicates": duplicates, "creating": True, "draft": draft},
    )


@login_required
@require_http_methods(["GET"])
def person_detail(request, person_id: UUID):
    person = selectors.access_person(
        user=request.user, person_id=person_id, purpose=AccessPurpose.VIEW, request=request
    )
    today = timezone.localdate()
    household = selectors.household_on(person, today)
    relationships = selectors.person_relationships(person)
    related = [row["other"] for row in relationships]
    # Related people are shown by name on this page, so their access is logged too.
    visible_ids = set(
        permissions.visible_to(request.user)
        .filter(pk__in=[p.pk for p in household + related])
        .values_list("pk", flat=True)
    )
    shown = [p for p in {p.pk: p for p in household + related}.values() if p.pk in visible_ids]
    selectors.access_people(
        user=request.user,
        people=shown,
        purpose=AccessPurpose.VIEW,
        request=request,
        reason=f"Related to {person.pk}",
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
    context = {
        "person": person,
        "today": today,
        "age": person.age_on(today),
        "is_child": person.is_child_on(today),
        "other_names": person.other_names.all(),
        "residences": selectors.person_residences(person),
        "household": [p for p in household if p.pk in visible_ids],
        "relationships": [r for r in relationships if r["other"].pk in visible_ids],
        "hidden_relationships": len([r for r in relationships if r["other"].pk not in visible_ids]),
        "involvements": selectors.person_involvements(person),
        "timeline": selectors.person_timeline(person),
        "history": selectors.person_history(person),
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
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.person_update(by=request.user, person=person, version=version, **data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Record updated")
            return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/person_form.html", {"form": form, "person": person, "creating": False}
    )


@login_required
@require_http_methods(["GET", "POST"])
def address_add(request, person_id: UUID):
    person = selectors.person_for_edit(user=request.user, person_id=person_id, request=request)
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.residence_add(by=request.user, person=person, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Address added")
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/address_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def name_add(request, person_id: UUID):
    person = selectors.person_for_edit(user=request.user, person_id=person_id, request=request)
    form = OtherNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_name_add(by=request.user, person=person, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Name added")
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/name_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def relationship_add(request, person_id: UUID):
    person = selectors.person_for_edit(user=request.user, person_id=person_id, request=request)
    other_id = request.POST.get("other") or request.GET.get("other")
    other = None
    if other_id:
        try:
            other = selectors.access_person(
                user=request.user,
                person_id=UUID(str(other_id)),
                purpose=AccessPurpose.EDIT,
                request=request,
            )
        except ValueError:
            other = None
    if other is None:
        # Step 1: find the other person.
        search_form = PersonSearchForm(request.GET if request.GET.get("name") else None)
        results = []
        if search_form.is_bound and search_form.is_valid():
            data = search_form.cleaned_data
            results = [
                p
                for p in selectors.person_search(
                    user=request.user,
                    name=data["name"],
                    date_of_birth=data["date_of_birth"],
                    nhs_number=data["nhs_number"],
                    local_id=data["local_id"],
                )
                if p.pk != person.pk
            ]
            selectors.access_people(
                user=request.user, people=results, purpose=AccessPurpose.SEARCH, request=request
            )
        return render(
            request,
            "people/relationship_find.html",
            {"person": person, "form": search_form, "results": results},
        )
    form = RelationshipForm(request.POST or None, initial={"other": other.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subject, obj = (person, other) if data["direction"] == "this_is" else (other, person)
        try:
            services.relationship_add(
                by=request.user,
                person=subject,
                other=obj,
                kind=data["kind"],
                start_date=data["start_date"],
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Relationship added")
            return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/relationship_form.html", {"form": form, "person": person, "other": other}
    )


@login_required
@require_http_methods(["GET", "POST"])
def involvement_add(request, person_id: UUID):
    person = selectors.person_for_edit(user=request.user, person_id=person_id, request=request)
    form = InvolvementForm(request.POST or None, authority=person.authority)
    if request.method == "POST" and form.is_valid():
        try:
            services.involvement_add(by=request.user, person=person, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Involvement added")
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/involvement_form.html", {"form": form, "person": person})
