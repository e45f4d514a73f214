"""Configuration: Content-Security-Policy, the production deploy check, no-store, size limit."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


def policy(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def test_every_kind_of_page_carries_the_strict_policy(world, client):
    assert policy(client.get("/sign-in/")) == POLICY
    assert policy(client.get("/no-such-page/")) == POLICY
    client.force_login(world.sw_amy)
    for url in ["/", "/people/?name=smith", reverse("people:detail", args=[world.child_sam.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == POLICY, url
        # Nothing inline for the policy to block.
        content = response.content.decode()
        assert "<script>" not in content and "style=" not in content and " on" + "click=" not in content


def test_record_pages_are_never_cached(world, client):
    client.force_login(world.sw_amy)
    response = client.get(reverse("people:detail", args=[world.child_sam.pk]))
    assert response["Cache-Control"] == "no-store"


def test_the_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safeguard.settings",
        "SAFEGUARD_DEBUG": "0",
        "SAFEGUARD_ALLOWED_HOSTS": "safeguard.example.gov.uk",
        "SAFEGUARD_SECRET_KEY": secrets.token_urlsafe(64),
    }
    env.pop("SAFEGUARD_SECURE_COOKIES", None)
    env.pop("SAFEGUARD_HTTPS", None)
    command = [str(Path(sys.executable).parent / "safeguard"), "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_production_settings_fail_the_deploy_check_without_a_secret_key_of_their_own():
    """The gate is real: a weak key (or debug on) makes the same check fail."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safeguard.settings",
        "SAFEGUARD_DEBUG": "1",
        "SAFEGUARD_ALLOWED_HOSTS": "safeguard.example.gov.uk",
        "SAFEGUARD_SECRET_KEY": "short",
    }
    command = [str(Path(sys.executable).parent / "safeguard"), "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout
    assert "security.W018" in result.stderr + result.stdout


def test_each_database_connection_is_set_up_for_safeguard(db):
    """SQLite: foreign keys enforced. PostgreSQL: no JIT compilation, which spent seconds
    compiling the indicators' statements (docs/performance.md). (SQLite's write-ahead log
    cannot be seen here: the test database lives in memory.)"""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
        else:
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
