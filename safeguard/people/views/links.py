"""What links a person to others: addresses (and so households), relationships, and the
involvement of agencies and workers."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguard.audit.models import AccessPurpose
from safeguard.core import submission
from safeguard.core.submission import posted
from safeguard.people import selectors, services
from safeguard.people.forms import (
    AddressForm,
    InvolvementForm,
    PersonSearchForm,
    RelationshipForm,
)


@login_required
@require_http_methods(["GET", "POST"])
def address_add(request, person_id: UUID):
    person = selectors.person_for_edit(user=request.user, person_id=person_id, request=request)
    form = AddressForm(posted(request))
    if submission.submit(
        request,
        form,
        lambda d: services.residence_add(by=request.user, person=person, **d),
        success="Address added",
    ):
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/address_form.html", {"form": form, "person": person})


def _other_person(request):
    """The other person of a relationship, once chosen (``other`` in the query or form)."""
    other_id = request.POST.get("other") or request.GET.get("other")
    if not other_id:
        return None
    try:
        return selectors.access_person(
            user=request.user,
            person_id=UUID(str(other_id)),
            purpose=AccessPurpose.EDIT,
            request=request,
        )
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def relationship_add(request, person_id: UUID):
    person = selectors.person_for_edit(user=request.user, person_id=person_id, request=request)
    other = _other_person(request)
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
    form = RelationshipForm(posted(request), initial={"other": other.pk})

    def save(data):
        subject, obj = (person, other) if data["direction"] == "this_is" else (other, person)
        return services.relationship_add(
            by=request.user,
            person=subject,
            other=obj,
            kind=data["kind"],
            start_date=data["start_date"],
            parental_responsibility=data["parental_responsibility"],
        )

    if submission.submit(request, form, save, success="Relationship added"):
        return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/relationship_form.html", {"form": form, "person": person, "other": other}
    )


@login_required
@require_http_methods(["GET", "POST"])
def involvement_add(request, person_id: UUID):
    person = selectors.person_for_edit(user=request.user, person_id=person_id, request=request)
    form = InvolvementForm(posted(request), authority=person.authority)
    if submission.submit(
        request,
        form,
        lambda d: services.involvement_add(by=request.user, person=person, **d),
        success="Involvement added",
    ):
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/involvement_form.html", {"form": form, "person": person})
