"""The boards pages (decision 0084): the bodies, a body's packs and challenge log, a pack
(a draft built live; a published one as frozen), its PDF, commentary, publishing and
correcting, and the questions' answers and closing. Board members read; they never post."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguard.boards import packs, permissions, selectors, services, suppression
from safeguard.boards.forms import (
    AnswerForm,
    BodyForm,
    ChallengeForm,
    CloseForm,
    CommentaryForm,
    CorrectionForm,
    EndBodyForm,
)
from safeguard.boards.permissions import Action
from safeguard.core.concurrency import seen_version, versioned
from safeguard.core.errors import ApplicationError
from safeguard.core.submission import posted, submit


@login_required
@require_GET
def bodies(request):
    return render(
        request,
        "boards/bodies.html",
        {
            "bodies": selectors.bodies_for(request.user),
            "may_set_up": permissions.can(request.user, Action.SET_UP),
        },
    )


@login_required
@require_GET
def body(request, body_id):
    found = selectors.access_body(user=request.user, body_id=body_id)
    listed = selectors.packs_of(user=request.user, body=found)
    may_change = permissions.can(request.user, Action.CHANGE, found)
    return render(
        request,
        "boards/body.html",
        {
            "body": found,
            "packs": listed,
            "superseded": selectors.superseded_ids(listed),
            "log": selectors.challenge_log(body=found, today=timezone.localdate()),
            "may_change": may_change,
            "history": selectors.body_history(found) if may_change or found.is_ended else None,
        },
    )


def _body_form(request, data, **kwargs) -> BodyForm:
    authority_id = request.user.agency.authority_id
    return BodyForm(
        data,
        sections=packs.sections(),
        members=selectors.possible_members(authority_id),
        officers=selectors.possible_officers(authority_id),
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def body_new(request):
    if not permissions.can(request.user, Action.SET_UP):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = _body_form(request, posted(request), initial={"pack_day": 10})
    made = submit(
        request,
        form,
        lambda d: services.body_create(by=request.user, **d),
        success="The body has been set up",
    )
    if made:
        return redirect("boards:body", body_id=made.pk)
    return render(request, "boards/body_form.html", {"form": form, "title": "Set up a body"})


@login_required
@require_http_methods(["GET", "POST"])
def body_change(request, body_id):
    found = selectors.access_body(user=request.user, body_id=body_id, action=Action.CHANGE)
    form = versioned(
        _body_form(request, posted(request), initial=BodyForm.initial_for(found)), found
    )

    def save(d):
        version = seen_version(d)
        return services.body_change(by=request.user, body=found, version=version, **d)

    if submit(request, form, save, success="The body's details have been changed"):
        return redirect("boards:body", body_id=found.pk)
    return render(
        request,
        "boards/body_form.html",
        {"form": form, "title": "Change the body", "body": found},
    )


@login_required
@require_http_methods(["GET", "POST"])
def body_end(request, body_id):
    found = selectors.access_body(user=request.user, body_id=body_id, action=Action.CHANGE)
    form = versioned(EndBodyForm(posted(request)), found)
    if submit(
        request,
        form,
        lambda d: services.body_end(by=request.user, body=found, version=seen_version(d)),
        success="The body has been stood down",
    ):
        return redirect("boards:body", body_id=found.pk)
    return render(request, "boards/body_end.html", {"form": form, "body": found})


@login_required
@require_GET
def pack(request, pack_id):
    found = selectors.access_pack(user=request.user, pack_id=pack_id)
    context = {"pack": found, "body": found.body, "rule": suppression.RULE}
    if found.is_published:
        context["content"] = found.html
        context["later"] = found.superseded_by if hasattr(found, "superseded_by") else None
        context["may_correct"] = permissions.can(request.user, Action.CORRECT, found)
    else:
        context["content"] = selectors.render_pack(found, selectors.build_pack(found))
        context["may_comment"] = permissions.can(request.user, Action.COMMENT, found)
        context["may_publish"] = permissions.can(request.user, Action.PUBLISH, found)
    return render(request, "boards/pack.html", context)


@login_required
@require_GET
def pack_pdf(request, pack_id):
    found = selectors.access_pack(user=request.user, pack_id=pack_id)
    if not found.is_published:
        from django.http import Http404

        raise Http404
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="pack-{found.period_start:%Y-%m}-edition-{found.edition}.pdf"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def commentary(request, pack_id):
    found = selectors.access_pack(user=request.user, pack_id=pack_id, action=Action.COMMENT)
    sections = packs.sections_of(found.body)
    form = CommentaryForm(
        posted(request), sections=sections, initial={"section": request.GET.get("section", "")}
    )
    if submit(
        request,
        form,
        lambda d: services.commentary_write(by=request.user, pack=found, **d),
        success="Commentary saved",
    ):
        return redirect("boards:pack", pack_id=found.pk)
    return render(request, "boards/commentary.html", {"pack": found, "form": form})


@login_required
@require_POST
def publish(request, pack_id):
    found = selectors.access_pack(user=request.user, pack_id=pack_id, action=Action.PUBLISH)
    from django.contrib import messages

    try:
        services.pack_publish(by=request.user, pack=found)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Pack published and sent to the members")
    return redirect("boards:pack", pack_id=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def correct(request, pack_id):
    found = selectors.access_pack(user=request.user, pack_id=pack_id, action=Action.CORRECT)
    form = CorrectionForm(posted(request))
    made = submit(
        request,
        form,
        lambda d: services.pack_correct(by=request.user, pack=found, **d),
        success="A new edition is drafted: publish it to supersede the old one",
    )
    if made:
        return redirect("boards:pack", pack_id=made.pk)
    return render(request, "boards/correct.html", {"pack": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def challenges(request, body_id):
    found = selectors.access_body(user=request.user, body_id=body_id)
    may_raise = permissions.can(request.user, Action.RAISE, found)
    form = None
    if may_raise:
        form = ChallengeForm(posted(request), officers=selectors.officers_to_answer(found))
        if submit(
            request,
            form,
            lambda d: services.challenge_raise(by=request.user, body=found, **d),
            success="Question recorded and sent to the officer",
        ):
            return redirect("boards:challenges", body_id=found.pk)
    elif request.method == "POST":
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    today = timezone.localdate()
    log = selectors.challenge_log(body=found, today=today)
    return render(
        request,
        "boards/challenges.html",
        {
            "body": found,
            "log": log,
            "today": today,
            "form": form,
            "may_close": {c.pk for c in log.rows if permissions.can(request.user, Action.CLOSE, c)},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_answer(request, challenge_id):
    found = selectors.access_challenge(
        user=request.user, challenge_id=challenge_id, action=Action.ANSWER
    )
    form = AnswerForm(posted(request))
    if submit(
        request,
        form,
        lambda d: services.challenge_answer(by=request.user, challenge=found, **d),
        success="Answer sent to the body",
    ):
        return redirect("boards:challenges", body_id=found.body_id)
    return render(request, "boards/answer.html", {"challenge": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def challenge_close(request, challenge_id):
    found = selectors.access_challenge(
        user=request.user, challenge_id=challenge_id, action=Action.CLOSE
    )
    form = CloseForm(posted(request))

    def save(d):
        return services.challenge_close(
            by=request.user,
            challenge=found,
            accepted=d["verdict"] == "accepted",
            further=d["further"],
            due_date=d["due_date"],
        )

    if submit(request, form, save, success="The body's view is recorded"):
        return redirect("boards:challenges", body_id=found.body_id)
    return render(request, "boards/close.html", {"challenge": found, "form": form})
