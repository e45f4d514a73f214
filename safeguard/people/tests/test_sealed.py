"""Sealed records and break-glass (docs/decisions/0005-sealed-records.md)."""

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.reauth import reauthenticate
from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.core.errors import ApplicationError
from safeguard.core.workdays import add_working_days
from safeguard.notices.models import Notice
from safeguard.people import permissions, selectors, services
from safeguard.people.models import BreakGlass, BreakGlassRefusal, Person, Seal, SealMember
from safeguard.people.permissions import Action
from safeguard.people.tests.sealing import SAM, authenticator, code, colleague, seal, seal_sam
from safeguard.testing.world import PASSWORD

REASON = "Urgent call from police about the child's safety tonight"


@pytest.fixture
def fay(world):
    return colleague(world)


@pytest.fixture
def sealed(world):
    return seal_sam(world)


def _break_glass(user, person, device, *, reason=REASON, now=None, offset=0, password=PASSWORD):
    return services.break_glass(
        by=user, person=person, reason=reason, password=password,
        otp_token=code(device, offset), now=now,
    )


# --- Sealing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seal_is_recorded_with_who_when_why_and_change_events(world, sealed):
    seal_ = Seal.objects.get(person=sealed)
    assert seal_.sealed_by == world.tm_carol and seal_.sealed_at and seal_.reason
    assert set(seal_.members.values_list("user__username", flat=True)) == {"carol", "amy"}
    targets = list(ChangeEvent.objects.filter(person_id=sealed.pk).values_list("target_type", flat=True))
    assert targets.count("people.seal") == 1 and targets.count("people.sealmember") == 2


@pytest.mark.django_db
def test_only_managers_of_social_care_may_seal(world):
    for user in (world.sw_amy, world.analyst_eve, world.police_pat, world.other_sw, world.admin_al):
        assert not permissions.can(user, Action.SEAL, world.child_sam)
        with pytest.raises(PermissionDenied):
            seal(world, world.child_sam, by=user)
    assert not Seal.objects.exists()
    assert permissions.can(world.sm_dan, Action.SEAL, world.child_sam)


@pytest.mark.django_db
def test_seal_needs_a_reason_and_names_only_social_care_staff(world):
    with pytest.raises(ApplicationError):
        services.person_seal(by=world.tm_carol, person=world.child_sam, reason="short")
    with pytest.raises(ApplicationError):
        services.person_seal(
            by=world.tm_carol, person=world.child_sam, reason="A relative of staff",
            members=[world.police_pat],
        )
    with pytest.raises(ApplicationError):
        services.person_seal(
            by=world.tm_carol, person=world.child_sam, reason="A relative of staff",
            members=[world.other_sw],
        )
    assert not Seal.objects.exists() and not SealMember.objects.exists()


@pytest.mark.django_db
def test_managing_the_list(world, sealed, fay):
    # Amy is named but not a manager: she may not change the list.
    with pytest.raises(PermissionDenied):
        services.seal_member_add(by=world.sw_amy, person=sealed, user=fay)
    services.seal_member_add(by=world.tm_carol, person=sealed, user=fay)
    assert permissions.can(fay, Action.VIEW, sealed)
    services.seal_member_remove(by=world.tm_carol, person=sealed, user=fay)
    assert not permissions.can(fay, Action.VIEW, sealed)
    # The last manager named cannot be removed.
    with pytest.raises(ApplicationError, match="manager must stay named"):
        services.seal_member_remove(by=world.tm_carol, person=sealed, user=world.tm_carol)
    # A service manager (not named) may manage the seal, without seeing the record.
    assert permissions.can(world.sm_dan, Action.MANAGE_SEAL, sealed)
    assert not permissions.can(world.sm_dan, Action.VIEW, sealed)
    services.person_unseal(by=world.sm_dan, person=sealed, reason="The staff member has left")
    assert permissions.can(fay, Action.VIEW, sealed)
    ended = ChangeEvent.objects.filter(person_id=sealed.pk, target_type="people.seal", verb="ended")
    assert ended.count() == 1


# --- Finding but not seeing -----------------------------------------------------------------


@pytest.mark.django_db
def test_colleague_not_named_can_find_but_not_see(world, sealed, fay, client):
    assert not permissions.can(fay, Action.VIEW, sealed)
    assert sealed not in permissions.visible_to(fay)
    assert sealed in permissions.restricted_to(fay)

    client.force_login(fay)
    response = client.get(reverse("people:search"), {"name": "Sam Smith"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 restricted record also matches" in body
    assert sealed.reference in body
    for secret in ("14 Mar", "2015", "9434765919", "943 476 5919", "T000001"):
        assert secret not in body
    # The match is logged, saying nothing was shown.
    event = AccessEvent.objects.get(user=fay, person_id=sealed.pk)
    assert event.purpose == "search" and "nothing of it was shown" in event.reason

    response = client.get(reverse("people:detail", args=[sealed.pk]))
    body = response.content.decode()
    assert response.status_code == 403
    assert "This record is restricted" in body and sealed.reference in body
    assert "Break glass and see the record" in body
    assert not SAM.search(body) and "9434765919" not in body
    # The restricted page logs no access: nothing of the record was returned.
    assert AccessEvent.objects.filter(user=fay, purpose="view").count() == 0


@pytest.mark.django_db
def test_relatives_pages_do_not_name_the_sealed_child(world, sealed, fay, client):
    # Mary (not sealed) is Sam's mother and lives with him: her page must not name him, in
    # the household, the relationships or the timeline.
    client.force_login(fay)
    response = client.get(reverse("people:detail", args=[world.mother_mary.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sally Smith" in body
    assert not SAM.search(body) and "14 Mar 2015" not in body
    client.force_login(world.sw_amy)
    assert "Sam Smith" in client.get(reverse("people:detail", args=[world.mother_mary.pk])).content.decode()


@pytest.mark.django_db
def test_relatives_page_counts_the_sealed_relative_and_logs_only_those_shown(
    world, sealed, fay, client
):
    """Mary's page, for Fay: Sally is named and logged once (she is both household and a
    relationship); Sam is left out of both, counted as one hidden relationship, and nothing
    about him is logged."""
    client.force_login(fay)
    response = client.get(reverse("people:detail", args=[world.mother_mary.pk]))
    assert [p.pk for p in response.context["household"]] == [world.child_sally.pk]
    assert [r["other"].pk for r in response.context["relationships"]] == [world.child_sally.pk]
    assert response.context["hidden_relationships"] == 1
    logged = list(AccessEvent.objects.filter(user=fay).values_list("person_id", "reason"))
    assert sorted(logged, key=str) == sorted(
        [(world.mother_mary.pk, ""), (world.child_sally.pk, f"Related to {world.mother_mary.pk}")],
        key=str,
    )


@pytest.mark.django_db
def test_creating_a_duplicate_of_a_sealed_record_is_warned(world, sealed, fay, client):
    client.force_login(fay)
    data = {
        "given_names": "Johnny", "family_name": "Smyth", "date_of_birth_day": "14",
        "date_of_birth_month": "3", "date_of_birth_year": "2015", "sex": "M", "ethnicity": "NOBT",
    }
    response = client.post(reverse("people:create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 restricted record with a similar family name" in body and sealed.reference in body
    assert "9434765919" not in body and not SAM.search(body)
    assert not Person.objects.filter(given_names="Johnny").exists()
    response = client.post(reverse("people:create"), {**data, "confirm_not_duplicate": "yes"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_named_colleague_sees_the_record(world, sealed, client):
    client.force_login(world.sw_amy)
    response = client.get(reverse("people:detail", args=[sealed.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert SAM.search(body) and "Restricted record" in body
    response = client.get(reverse("people:search"), {"name": "Sam Smith"})
    assert "restricted record" not in response.content.decode()
    assert SAM.search(response.content.decode())


@pytest.mark.django_db
def test_partners_and_other_authorities_neither_find_nor_see(world, sealed, client):
    # The police team is involved with Sam; sealing closes his record to them.
    for user in (world.police_pat, world.other_sw, world.health_hana):
        assert sealed not in permissions.visible_to(user)
        assert not permissions.restricted_to(user).exists()
        client.force_login(user)
        assert client.get(reverse("people:detail", args=[sealed.pk])).status_code == 404
        response = client.get(reverse("people:search"), {"name": "Sam Smith"})
        assert "restricted record" not in response.content.decode()
        assert not SAM.search(response.content.decode().replace('value="Sam Smith"', ""))
        assert client.get(reverse("api:person-detail", args=[sealed.pk])).status_code == 404


@pytest.mark.django_db
def test_access_people_shows_a_sealed_record_in_a_list_as_restricted(world, sealed, fay):
    """Issue 11, item 6: a list that meets a record its reader may not see shows that row as
    restricted (its neutral reference, nothing else) and goes on; it does not fail."""
    copy = Person.objects.get(pk=sealed.pk)
    tom = world.child_tom
    shown = selectors.access_people(user=fay, people=[copy, tom], purpose="list")
    assert shown == [copy, tom]
    assert copy.withheld and not tom.withheld
    assert str(copy) == f"Restricted record {sealed.reference}"
    assert (copy.date_of_birth, copy.nhs_number, copy.la_child_id, copy.given_names) == (
        None, None, None, "",
    )  # fmt: skip
    # Logged: the restricted row as listed with nothing shown, the other as usual.
    assert AccessEvent.objects.get(user=fay, person_id=sealed.pk).reason == (
        selectors.RESTRICTED_ROW_REASON
    )
    assert AccessEvent.objects.get(user=fay, person_id=tom.pk).reason == ""
    # A withheld copy can never be saved over the record.
    with pytest.raises(ValueError):
        copy.save()
    sealed.refresh_from_db()
    assert sealed.family_name == "Smith"
    # One record on its own is still refused.
    with pytest.raises(selectors.RecordRestricted):
        selectors.access_person(user=fay, person_id=sealed.pk, purpose="view")


# --- Break-glass ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_reauthenticate_needs_password_and_current_code(world):
    device = authenticator(world.sw_amy)
    assert not reauthenticate(world.sw_amy, password=PASSWORD, otp_token="")
    assert not reauthenticate(world.sw_amy, password="wrong password", otp_token=code(device))
    assert reauthenticate(world.sw_amy, password=PASSWORD, otp_token=code(device))
    # A code is used once.
    assert not reauthenticate(world.sw_amy, password=PASSWORD, otp_token=code(device))
    # An old code, or a wrong one, fails (and django-otp then throttles further tries).
    assert not reauthenticate(world.sw_amy, password=PASSWORD, otp_token=code(device, offset_steps=-10))
    assert not reauthenticate(world.sw_amy, password=PASSWORD, otp_token=code(device, offset_steps=1))


@pytest.mark.django_db
def test_break_glass_refused_without_reason_or_reauthentication(world, sealed, fay):
    device = authenticator(fay)
    with pytest.raises(ApplicationError, match="at least 20 characters"):
        _break_glass(fay, sealed, device, reason="I need to look")
    with pytest.raises(ApplicationError, match="password or security code is wrong"):
        _break_glass(fay, sealed, device, password="not my password")
    with pytest.raises(ApplicationError, match="password or security code is wrong"):
        services.break_glass(by=fay, person=sealed, reason=REASON, password=PASSWORD, otp_token="")
    # A user with no second factor cannot break glass at all.
    assert not BreakGlass.objects.exists()
    assert not permissions.can(fay, Action.VIEW, sealed)
    assert list(BreakGlassRefusal.objects.filter(user=fay).values_list("why", flat=True)) == [
        "re-authentication failed", "re-authentication failed", "reason too short",
    ]
    assert not Notice.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_refused_attempts_are_shown_to_reviewers(world, sealed, fay, client):
    device = authenticator(fay)
    with pytest.raises(ApplicationError):
        _break_glass(fay, sealed, device, password="not my password")
    client.force_login(world.tm_carol)
    body = client.get(reverse("people:break-glass-reviews")).content.decode()
    assert "Refused attempts" in body and "Fay Fox" in body and "Re-authentication failed" in body


@pytest.mark.django_db
def test_break_glass_grants_for_sixty_minutes_and_tells_owners_at_once(
    world, sealed, fay, django_capture_on_commit_callbacks
):
    device = authenticator(fay)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        use = _break_glass(fay, sealed, device, now=now)
    assert use.expires_at == now + timedelta(minutes=60)
    assert use.review_due == add_working_days(timezone.localtime(now).date(), 5)
    assert permissions.can(fay, Action.VIEW, sealed)

    # Notices at once: to the allocated worker (Amy), her manager (Carol, who also sealed it).
    recipients = set(Notice.objects.values_list("user__username", flat=True))
    assert recipients == {"amy", "carol"}
    notice = Notice.objects.get(user=world.sw_amy)
    assert sealed.reference in notice.subject and "Fay Fox" in notice.body
    assert notice.url == reverse("people:detail", args=[sealed.pk])
    carols = Notice.objects.get(user=world.tm_carol)
    assert carols.url == reverse("people:break-glass-review", args=[use.pk])
    assert not SAM.search(notice.body)
    # And by email, at once.
    assert sorted(m.to[0] for m in mail.outbox) == ["amy@example.test", "carol@example.test"]
    assert all(sealed.reference in m.subject for m in mail.outbox)
    assert all(not SAM.search(m.body) for m in mail.outbox)

    # Every access during the grant carries the reason.
    selectors.access_person(user=fay, person_id=sealed.pk, purpose="view")
    selectors.access_people(user=fay, people=[sealed, world.child_tom], purpose="list")
    events = AccessEvent.objects.filter(user=fay, person_id=sealed.pk)
    assert events.count() == 2
    assert all(e.reason.startswith("Break-glass: ") and REASON in e.reason for e in events)
    assert AccessEvent.objects.get(user=fay, person_id=world.child_tom.pk).reason == ""

    # 60 minutes later, the grant has ended.
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(minutes=59)):
        assert permissions.can(fay, Action.VIEW, sealed)
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(minutes=60)):
        assert not permissions.can(fay, Action.VIEW, sealed)
        assert sealed in permissions.restricted_to(fay)


@pytest.mark.django_db
def test_partners_and_other_authorities_never_break_glass(world, sealed):
    for user in (world.police_pat, world.health_hana, world.other_sw, world.admin_al):
        device = authenticator(user)
        assert not permissions.can(user, Action.BREAK_GLASS, sealed)
        with pytest.raises(ApplicationError, match="cannot use break-glass"):
            _break_glass(user, sealed, device)
        assert not permissions.can(user, Action.VIEW, sealed)
    assert not BreakGlass.objects.exists()
    assert BreakGlassRefusal.objects.count() == 4


@pytest.mark.django_db
def test_break_glass_through_the_page(world, sealed, fay, client):
    device = authenticator(fay)
    client.force_login(fay)
    url = reverse("people:break-glass", args=[sealed.pk])
    detail = reverse("people:detail", args=[sealed.pk])

    response = client.post(url, {"reason": REASON, "password": "wrong", "otp_token": code(device), "next": detail})
    assert response.status_code == 200
    assert "Your password or security code is wrong. Nothing was granted." in response.content.decode()
    assert client.get(detail).status_code == 403

    response = client.post(url, {"reason": "too short", "password": PASSWORD, "otp_token": code(device), "next": detail})
    assert "at least 20 characters" in response.content.decode()

    response = client.post(url, {"reason": REASON, "password": PASSWORD, "otp_token": code(device), "next": detail})
    assert response.status_code == 302 and response.url == detail
    response = client.get(detail)
    assert response.status_code == 200
    assert SAM.search(response.content.decode())
    assert "through break-glass until" in response.content.decode()
    # An outside "next" is not followed.
    assert BreakGlass.objects.filter(user=fay).count() == 1


@pytest.mark.django_db
def test_partner_cannot_reach_break_glass_page(world, sealed, client):
    client.force_login(world.police_pat)
    response = client.post(
        reverse("people:break-glass", args=[sealed.pk]),
        {"reason": REASON, "password": PASSWORD, "otp_token": "123456"},
    )
    assert response.status_code == 404
    assert not BreakGlass.objects.exists()


# --- The review queue -----------------------------------------------------------------------


@pytest.mark.django_db
def test_review_queue_lists_reviews_and_flags_overdue(world, sealed, fay, client):
    device = authenticator(fay)
    granted = timezone.make_aware(datetime(2025, 6, 2, 10, 0))  # a Monday
    use = _break_glass(fay, sealed, device, now=granted)
    assert use.review_due == date(2025, 6, 9)

    client.force_login(world.tm_carol)
    home = client.get(reverse("work:home")).content.decode()
    assert "1 awaiting review" in home and "1 overdue" in home  # today is long after 9 June 2025
    assert "1 unread" in home
    assert "Break-glass access to restricted record" in home  # the notice itself
    response = client.get(reverse("people:break-glass-reviews"))
    body = response.content.decode()
    assert response.status_code == 200
    assert sealed.reference in body and "Fay Fox" in body and "Overdue" in body
    assert not SAM.search(body)

    review_url = reverse("people:break-glass-review", args=[use.pk])
    assert "Urgent call from police" in client.get(review_url).content.decode()
    response = client.post(review_url, {"outcome": "justified", "note": ""})
    assert response.status_code == 200 and not BreakGlass.objects.get().reviewed_at
    response = client.post(review_url, {"outcome": "justified", "note": "Police call confirmed"})
    assert response.status_code == 302
    use.refresh_from_db()
    assert use.outcome == "justified" and use.reviewed_by == world.tm_carol
    assert ChangeEvent.objects.filter(target_type="people.breakglass", verb="updated").exists()
    assert "Nothing awaits review" in client.get(reverse("people:break-glass-reviews")).content.decode()
    # Not twice.
    with pytest.raises(ApplicationError):
        services.break_glass_review(by=world.sm_dan, use=use, outcome="not_justified", note="x")


@pytest.mark.django_db
def test_no_one_reviews_their_own_break_glass(world, sealed):
    device = authenticator(world.sm_dan)
    use = _break_glass(world.sm_dan, sealed, device)
    with pytest.raises(ApplicationError, match="Someone else"):
        services.break_glass_review(by=world.sm_dan, use=use, outcome="justified", note="Fine")
    with pytest.raises(PermissionDenied):
        services.break_glass_review(by=world.sw_amy, use=use, outcome="justified", note="Fine")
    services.break_glass_review(by=world.tm_carol, use=use, outcome="not_justified", note="No need")


@pytest.mark.django_db
def test_break_glass_does_not_follow_an_outside_next(world, sealed, client):
    device = authenticator(world.analyst_eve)
    client.force_login(world.analyst_eve)
    response = client.post(
        reverse("people:break-glass", args=[sealed.pk]),
        {"reason": REASON, "password": PASSWORD, "otp_token": code(device),
         "next": "https://elsewhere.example/steal"},
    )
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[sealed.pk])


# --- The seal page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_sealing_through_the_page(world, fay, client):
    client.force_login(world.tm_carol)
    url = reverse("people:seal", args=[world.child_sam.pk])
    response = client.get(url)
    assert response.status_code == 200
    # The allocated worker is offered ticked; the manager sealing is named anyway.
    assert response.context["seal_form"].initial["members"] == [world.sw_amy.pk]
    response = client.post(url, {"action": "seal", "reason": "", "members": [world.sw_amy.pk]})
    assert response.status_code == 200 and not Seal.objects.exists()
    response = client.post(
        url, {"action": "seal", "reason": "Child of a member of staff", "members": [world.sw_amy.pk]}
    )
    assert response.status_code == 302
    assert permissions.can(world.sw_amy, Action.VIEW, world.child_sam)
    assert not permissions.can(fay, Action.VIEW, world.child_sam)

    response = client.post(url, {"action": "add", "user": fay.pk})
    assert response.status_code == 302 and permissions.can(fay, Action.VIEW, world.child_sam)
    response = client.post(url, {"action": "remove", "user": fay.pk})
    assert response.status_code == 302 and not permissions.can(fay, Action.VIEW, world.child_sam)
    response = client.post(url, {"action": "remove", "user": world.tm_carol.pk})
    assert "manager must stay named" in response.content.decode()
    response = client.post(url, {"action": "unseal", "reason": "Staff member has left"})
    assert response.status_code == 302
    assert permissions.can(fay, Action.VIEW, world.child_sam)


@pytest.mark.django_db
def test_service_manager_manages_a_seal_without_seeing_the_record(world, sealed, client):
    client.force_login(world.sm_dan)
    response = client.get(reverse("people:seal", args=[sealed.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert sealed.reference in body and not SAM.search(body)
    assert "Amy Adeyemi" in body  # the named staff
