"""Pages about people. Each view: parse input, get the record through the access function,
call one service or selector, render."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.audit.models import AccessPurpose
from safeguard.core import drafts, submission
from safeguard.core.client_ip import client_ip
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
    submission.form_error(form, error)


@login_required
@require_http_methods(["GET"])
def search(request):
    if not permissions.can(request.user, Action.SEARCH):
        raise PermissionDenied
    form = PersonSearchForm(request.GET or None)
    results, duplicates, restricted = [], {}, []
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
        restricted = selectors.restricted_matches(user=request.user, request=request, **data)
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
            "restricted": restricted,
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
        "timeline": selectors.person_timeline(person, visible_ids=visible_ids),
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


# --- Sealed records and break-glass ---------------------------------------------------------


def restricted(request, person):
    """The "This record is restricted" page, shown instead of any page about a sealed record
    the user may know of but not see (``people.middleware``). Nothing of the record is shown:
    only its neutral reference and, for social care staff, the break-glass form."""
    from django.conf import settings

    from safeguard.people.forms import BreakGlassForm

    can_break = permissions.can(request.user, Action.BREAK_GLASS, person)
    form = BreakGlassForm(initial={"next": request.get_full_path()}) if can_break else None
    return render(
        request,
        "people/restricted.html",
        {
            "reference": person.reference,
            "person_id": person.pk,
            "form": form,
            "minutes": settings.SAFEGUARD_BREAK_GLASS_MINUTES,
        },
        status=403,
    )


def _safe_next(request, url: str | None, fallback: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request, person_id: UUID):
    from django.conf import settings
    from django.urls import reverse

    from safeguard.people.forms import BreakGlassForm

    person = selectors.person_for_break_glass(user=request.user, person_id=person_id)
    if person is None:
        # Already visible (named, or a grant still running): nothing to break.
        return redirect("people:detail", person_id=person_id)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            use = services.break_glass(
                by=request.user,
                person=person,
                reason=data["reason"],
                password=data["password"],
                otp_token=data["otp_token"],
                ip_address=client_ip(request),
                request=request,
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            until = timezone.localtime(use.expires_at)
            messages.success(
                request,
                f"Break-glass access granted until {until:%H:%M}. The record's owners have "
                "been told and a manager will review your reason.",
            )
            fallback = reverse("people:detail", kwargs={"person_id": person.pk})
            return redirect(_safe_next(request, data.get("next"), fallback))
    return render(
        request,
        "people/restricted.html",
        {
            "reference": person.reference,
            "person_id": person.pk,
            "form": form,
            "minutes": settings.SAFEGUARD_BREAK_GLASS_MINUTES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def seal(request, person_id: UUID):
    """Seal a record, or (once sealed) manage who may see it and lift the seal."""
    from safeguard.people.forms import SealForm, SealMemberForm, UnsealForm

    person, can_view = selectors.person_for_seal(
        user=request.user, person_id=person_id, request=request
    )
    current = permissions.open_seal(person)
    candidates = services.seal_member_candidates(person)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    posted = request.POST if request.method == "POST" else None
    seal_form = unseal_form = member_form = None
    if current is None:
        owners = [u.pk for u in services.record_owners(person) if u.pk != request.user.pk]
        seal_form = SealForm(
            posted, candidates=candidates.exclude(pk=request.user.pk), initial={"members": owners}
        )
    else:
        named = current.members.values("user_id")
        unseal_form = UnsealForm(posted if action == "unseal" else None)
        member_form = SealMemberForm(
            posted if action == "add" else None, candidates=candidates.exclude(pk__in=named)
        )
    try:
        if current is None and posted is not None and seal_form.is_valid():
            data = seal_form.cleaned_data
            services.person_seal(
                by=request.user, person=person, reason=data["reason"], members=data["members"]
            )
            messages.success(request, "The record is sealed")
            return redirect("people:seal", person_id=person.pk)
        if current is not None and action == "unseal" and unseal_form.is_valid():
            services.person_unseal(
                by=request.user, person=person, reason=unseal_form.cleaned_data["reason"]
            )
            messages.success(request, "The seal is lifted")
            return redirect("people:detail", person_id=person.pk)
        if current is not None and action == "add" and member_form.is_valid():
            services.seal_member_add(
                by=request.user, person=person, user=member_form.cleaned_data["user"]
            )
            messages.success(request, f"{member_form.cleaned_data['user']} may now see the record")
            return redirect("people:seal", person_id=person.pk)
        if current is not None and action == "remove":
            user = candidates.model.objects.filter(
                pk__in=current.members.values("user_id"), pk=request.POST.get("user") or 0
            ).first()
            if user is None:
                raise ApplicationError("Choose someone who is named")
            services.seal_member_remove(by=request.user, person=person, user=user)
            messages.success(request, f"{user} is no longer named")
            return redirect("people:seal", person_id=person.pk)
    except ApplicationError as error:
        form = {"unseal": unseal_form, "add": member_form}.get(action, seal_form)
        if form is not None:
            _form_error(form, error)
        else:
            messages.error(request, error.message)
    members = current.members.select_related("user").order_by("user__last_name") if current else []
    return render(
        request,
        "people/seal.html",
        {
            "person": person,
            "can_view": can_view,
            "seal": current,
            "members": members,
            "seal_form": seal_form,
            "unseal_form": unseal_form,
            "member_form": member_form,
        },
    )


@login_required
@require_http_methods(["GET"])
def break_glass_reviews(request):
    if not permissions.can_review_break_glass(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    awaiting = list(selectors.break_glass_awaiting_review(user=request.user))
    return render(
        request,
        "people/break_glass_reviews.html",
        {
            "awaiting": awaiting,
            "overdue": sum(1 for u in awaiting if u.is_overdue_on(today)),
            "reviewed": selectors.break_glass_reviewed(user=request.user),
            "refusals": selectors.break_glass_refusals(user=request.user),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_review(request, use_id: UUID):
    from safeguard.people.forms import BreakGlassReviewForm

    if not permissions.can_review_break_glass(request.user):
        raise PermissionDenied
    use = selectors.break_glass_for_review(user=request.user, use_id=use_id)
    form = BreakGlassReviewForm(request.POST or None) if use.reviewed_at is None else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.break_glass_review(by=request.user, use=use, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Review recorded")
            return redirect("people:break-glass-reviews")
    return render(
        request,
        "people/break_glass_review.html",
        {"use": use, "form": form, "today": timezone.localdate()},
    )
