"""``/health/``: 200 when the database answers and the worker takes jobs, 503 with what
failed otherwise; no sign-in, nothing sensitive."""

import json
import logging
from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safeguard.accounts.models import LocalAuthority
from safeguard.core.logs import JsonLinesFormatter

pytestmark = pytest.mark.django_db


def _job(**fields) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="safeguard.returns.tasks.run_job",
        backend_name="default",
        run_after=fields.pop("run_after", timezone.now()),
        **fields,
    )


def test_healthy_answers_200_without_signing_in(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["worker"]["status"] == "ok"
    assert body["checks"]["worker"]["last_finished_job_seconds_ago"] is None
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_age_of_the_last_finished_job_is_reported(client):
    _job(status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now() - timedelta(minutes=5))
    worker = client.get("/health/").json()["checks"]["worker"]
    assert 299 <= worker["last_finished_job_seconds_ago"] <= 330


def test_a_job_waiting_too_long_means_no_worker_and_answers_503(client, settings):
    settings.SAFEGUARD_HEALTH_QUEUE_MINUTES = 10
    _job(status=TaskResultStatus.READY, run_after=timezone.now() - timedelta(minutes=11))
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failed"
    assert body["checks"]["worker"]["status"] == "failed"
    assert "is a worker running?" in body["checks"]["worker"]["detail"]


def test_a_job_due_later_is_not_waiting(client):
    _job(status=TaskResultStatus.READY, run_after=timezone.now() + timedelta(hours=1))
    assert client.get("/health/").status_code == 200


def test_a_database_that_does_not_answer_is_503_and_says_nothing_more(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("could not connect to server at db-host-7.internal")

    monkeypatch.setattr(LocalAuthority.objects, "exists", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failed",
        "checks": {"database": {"status": "failed", "detail": "the database did not answer"}},
    }
    assert b"db-host-7" not in response.content


def test_json_lines_logs_are_one_object_a_line():
    record = logging.LogRecord(
        "safeguard.auth",
        logging.WARNING,
        __file__,
        1,
        "Locked out: %r\nfrom %s",
        ("amy", "10.0.0.9"),
        None,
    )
    record.request_id = "abc"
    line = JsonLinesFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "WARNING" and data["logger"] == "safeguard.auth"
    assert data["message"] == "Locked out: 'amy'\nfrom 10.0.0.9"
    assert data["request_id"] == "abc" and data["time"].endswith("+00:00")


def test_health_is_not_redirected_to_https_when_other_pages_are(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # made after the setting, so its middleware reads it
    assert client.get("/health/").status_code == 200
    assert client.get("/sign-in/").status_code == 301
