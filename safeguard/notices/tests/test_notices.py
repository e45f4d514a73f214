import pytest
from django.core import mail
from django.urls import reverse

from safeguard.notices import selectors, services
from safeguard.notices.models import Notice


@pytest.mark.django_db
def test_notify_sends_one_notice_and_one_email_per_active_user(
    world, django_capture_on_commit_callbacks
):
    world.sw_amy.email = "amy@example.test"
    world.sw_amy.save()
    with django_capture_on_commit_callbacks(execute=True):
        notices = services.notify(
            users=[world.sw_amy, world.sw_amy, world.tm_carol, world.disabled_dee, None],
            subject="Something happened",
            body="Details",
            url="/notices/",
        )
    assert sorted(n.user.username for n in notices) == ["amy", "carol"]
    # Carol has no email address: in-app only.
    assert [m.to for m in mail.outbox] == [["amy@example.test"]]
    assert mail.outbox[0].subject == "Something happened"
    assert "/notices/" in mail.outbox[0].body


@pytest.mark.django_db
def test_no_email_leaves_until_the_action_that_sent_it_is_kept(world):
    """An action refused after its notice was made (here: the transaction undone) keeps no
    notice and sends no email."""
    from django.db import transaction

    world.sw_amy.email = "amy@example.test"
    world.sw_amy.save()
    mail.outbox.clear()

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        services.notify(users=[world.sw_amy], subject="Will not happen", body="Details")
        raise Refused
    assert not Notice.objects.filter(subject="Will not happen").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_mail_server_down_keeps_the_notice(world, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "safeguard.notices.tests.test_notices.BrokenBackend"
    world.sw_amy.email = "amy@example.test"
    world.sw_amy.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(users=[world.sw_amy], subject="Kept", body="Details")
    assert Notice.objects.filter(subject="Kept", user=world.sw_amy).exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server is down")


@pytest.mark.django_db
def test_list_shows_only_my_notices_and_marks_them_read(world, client):
    (mine,) = services.notify(users=[world.sw_amy], subject="For Amy", body="Hello Amy")
    services.notify(users=[world.sw_ben], subject="For Ben", body="Hello Ben")
    client.force_login(world.sw_amy)
    assert "1 unread" in client.get(reverse("work:home")).content.decode()
    body = client.get(reverse("notices:list")).content.decode()
    assert "For Amy" in body and "For Ben" not in body and "1 unread notice" in body

    response = client.post(reverse("notices:read", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert selectors.unread_count(user=world.sw_amy) == 0
    assert "unread" not in client.get(reverse("work:home")).content.decode()

    # Ben's notice cannot be marked by Amy.
    bens = Notice.objects.get(user=world.sw_ben)
    assert client.post(reverse("notices:read", args=[bens.pk])).status_code == 404
    bens.refresh_from_db()
    assert bens.read_at is None


@pytest.mark.django_db
def test_mark_all_read(world, client):
    services.notify(users=[world.sw_amy], subject="One", body="1")
    services.notify(users=[world.sw_amy], subject="Two", body="2")
    client.force_login(world.sw_amy)
    assert client.post(reverse("notices:read-all")).status_code == 302
    assert selectors.unread_count(user=world.sw_amy) == 0
