"""The request size limit: one byte over is refused unread (413), nothing stored."""

import pytest
from django.apps import apps

from safeguard.core.models import Draft

pytestmark = pytest.mark.django_db

LIMIT = 4096


@pytest.fixture
def small_limit(settings):
    settings.SAFEGUARD_MAX_UPLOAD_BYTES = LIMIT
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT


def body_of(size: int, **fields) -> bytes:
    """A form body of exactly ``size`` bytes."""
    start = "&".join(f"{k}={v}" for k, v in fields.items()) + "&padding="
    return (start + "x" * (size - len(start))).encode()


def test_a_body_at_the_limit_is_accepted(small_limit, world, client):
    client.force_login(world.sw_amy)
    body = body_of(LIMIT, _draft_key="/people/new/", given_names="Ada")
    assert len(body) == LIMIT
    response = client.post("/drafts/save/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Draft.objects.get().data["given_names"] == ["Ada"]


def test_one_byte_over_the_limit_is_refused_with_a_clear_page_and_nothing_stored(small_limit, world, client):
    client.force_login(world.sw_amy)
    body = body_of(LIMIT + 1, _draft_key="/people/new/", given_names="Ada")
    response = client.post("/drafts/save/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    content = response.content.decode()
    assert "What you sent is too large" in content
    assert "4,096 bytes" in content
    assert "Nothing you sent has been saved" in content
    assert Draft.objects.count() == 0


def test_an_oversized_form_post_creates_no_record(small_limit, world, client):
    Person = apps.get_model("people", "Person")
    client.force_login(world.sw_amy)
    before = Person.objects.count()
    body = body_of(LIMIT + 1, given_names="Ada", family_name="Brackenfold")
    response = client.post("/people/new/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert Person.objects.count() == before


def test_an_oversized_file_upload_is_refused(small_limit, world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.sw_amy)
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"x" * LIMIT)
    response = client.post("/drafts/save/", {"_draft_key": "/people/new/", "file": upload})
    assert response.status_code == 413
    assert Draft.objects.count() == 0


def test_the_default_limit_is_10_megabytes():
    from safeguard import settings

    assert settings.SAFEGUARD_MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.SAFEGUARD_MAX_UPLOAD_BYTES


def test_the_refusal_sets_no_hop_by_hop_header(small_limit, world, client):
    """A WSGI application may not set ``Connection`` (PEP 3333): waitress answered 500."""
    from wsgiref.util import is_hop_by_hop

    body = body_of(LIMIT + 1, username="amy", password="x")
    response = client.post("/sign-in/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert not [name for name in response.headers if is_hop_by_hop(name)]
