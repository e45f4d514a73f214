"""Password rules (12 characters or more, not a common password) on every way in."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguard.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["short-pass1", "password1234", "123456789012"])
def test_short_common_or_numeric_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "at least 12 characters"), ("password1234", "too common")],
)
def test_createsuperuser_without_prompts_applies_the_rules(monkeypatch, password, message):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("createsuperuser", "--noinput", "--username", "root", "--email", "r@example.org")
    assert not User.objects.filter(username="root").exists()


def test_createsuperuser_accepts_a_good_password(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long unusual passphrase")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "r@example.org", verbosity=0)
    assert User.objects.get(username="root").check_password("a long unusual passphrase")
