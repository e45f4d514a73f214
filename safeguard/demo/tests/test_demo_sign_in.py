"""What the demo prints is enough to sign in: password, and the second factor."""

import io
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.models import User
from safeguard.demo import generator
from safeguard.demo.generator.accounts import read_demo_totp_secret
from safeguard.demo.management.commands.demo import make_demo_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    path = tmp_path / "var" / "demo-accounts.txt"
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = path
    call_command("demo", children=60, seed=7, as_at="2026-06-30", stdout=io.StringIO())
    return path


def printed(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def code_from(secret: str) -> str:
    from base64 import b32decode

    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def test_the_demo_password_meets_the_password_rules():
    for _ in range(20):
        validate_password(make_demo_password())


def test_every_demo_account_has_an_authenticator_with_the_printed_secret(demo):
    text = printed("demo_accounts")
    secret = re.search(r"Two-factor secret for every demo account: ([A-Z2-7]+) ", text).group(1)
    assert secret == read_demo_totp_secret(demo)
    assert "otpauth://totp/Safeguard%3AKingsmere%20demo?secret=" + secret in text
    assert "demo_code sw1" in text
    assert TOTPDevice.objects.filter(confirmed=True).count() == User.objects.count()
    # The code computed from the printed secret is the one `demo_code` prints.
    assert printed("demo_code", "sw1").strip() == code_from(secret)


def test_the_printed_password_and_code_sign_in_through_the_pages(demo, client):
    password = generator.read_demo_password(demo)
    code = printed("demo_code", "tm1").strip()
    response = client.post("/sign-in/", {"username": "tm1", "password": password})
    assert response["Location"] == "/two-factor/"
    assert client.post("/two-factor/", {"code": code})["Location"] == "/"
    assert client.get("/").status_code == 200


def test_demo_code_refuses_accounts_that_are_not_demo_accounts(demo):
    user = User.objects.create_user("real.person", password="a long unusual passphrase")
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", "real.person")
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", "nobody")


def test_an_accounts_file_from_before_two_factor_says_what_to_expect(settings, tmp_path):
    path = tmp_path / "demo-accounts.txt"
    path.write_text("Password for every demo account: abcde-fghjk\n")
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = path
    assert "asks you to set up an authenticator app" in printed("demo_accounts")
