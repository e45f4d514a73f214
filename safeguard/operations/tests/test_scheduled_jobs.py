"""Scheduled work inside Safeguard (decision 0071): each registered job queued once however
often it is scheduled, run by the worker's task with its outcome recorded, the next run queued
after success and failure alike, and a failure or a late job shown on the administration page,
by ``check-setup`` and by ``/health/``."""

import io
import shutil
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safeguard.core import schedule
from safeguard.core.models import Draft, ScheduledJob
from safeguard.core.tasks import run_scheduled_job
from safeguard.operations.checks import setup_problems
from safeguard.operations.health import health
from safeguard.operations.jobs import job_states

pytestmark = pytest.mark.django_db

EXPECTED = {
    "rebuild-due", "draw-audits", "check-quality", "clean-drafts", "clean-documents",
    "clean-return-files", "verify-audit", "retention-reminders", "remind-partner-reports",
    "draft-board-packs", "clean-evidence-files",
}  # fmt: skip


def _waiting(name: str) -> int:
    return DBTaskResult.objects.filter(
        task_path=run_scheduled_job.module_path,
        status=TaskResultStatus.READY,
        args_kwargs__args=[name],
    ).count()


@pytest.fixture
def failing(monkeypatch):
    """A job that fails, registered for the test only."""
    jobs = dict(schedule._JOBS)
    monkeypatch.setattr(schedule, "_JOBS", jobs)

    def broken():
        raise RuntimeError("the disk is full")

    schedule.register(schedule.Job(name="test-broken", title="Always fails", run=broken))
    return "test-broken"


def test_the_apps_register_the_nights_work():
    assert {job.name for job in schedule.jobs()} == EXPECTED


def test_a_job_is_queued_once_however_often_it_is_scheduled(world):
    first = schedule.schedule_all()
    assert all(first.values())
    assert schedule.schedule_all() == dict.fromkeys(EXPECTED)
    call_command("schedule_jobs", stdout=io.StringIO())
    call_command("rebuild_due", nightly=True, stdout=io.StringIO())
    for name in EXPECTED:
        assert _waiting(name) == 1, name
    row = ScheduledJob.objects.get(name="rebuild-due")
    assert timezone.localtime(row.next_run_at).time() == time(2, 0)


def test_a_run_records_its_outcome_and_queues_the_next(world):
    Draft.objects.create(user=world.sw_amy, key="/old/", data={"a": ["b"]})
    Draft.objects.filter(key="/old/").update(updated_at=timezone.now() - timedelta(days=40))
    Draft.objects.create(user=world.sw_amy, key="/new/", data={"a": ["b"]})
    schedule.schedule("clean-drafts")
    # The worker claims the queued run (it is running, no longer waiting), then runs it.
    DBTaskResult.objects.filter(args_kwargs__args=["clean-drafts"]).update(
        status=TaskResultStatus.RUNNING
    )
    assert run_scheduled_job.call("clean-drafts") == "1 draft untouched for 30 days removed"
    assert list(Draft.objects.values_list("key", flat=True)) == ["/new/"]
    row = ScheduledJob.objects.get(name="clean-drafts")
    assert row.last_succeeded_at and not row.last_run_failed
    assert row.last_outcome == "1 draft untouched for 30 days removed"
    # The run queued tomorrow's: one waiting.
    assert _waiting("clean-drafts") == 1
    assert ScheduledJob.objects.get(name="clean-drafts").next_run_at > timezone.now()


def test_a_failure_is_recorded_shown_and_the_next_night_still_queued(world, failing, client):
    schedule.schedule(failing)
    DBTaskResult.objects.filter(args_kwargs__args=[failing]).update(status=TaskResultStatus.RUNNING)
    with pytest.raises(RuntimeError):
        run_scheduled_job.call(failing)
    row = ScheduledJob.objects.get(name=failing)
    assert row.last_run_failed and row.last_outcome == "RuntimeError: the disk is full"
    assert _waiting(failing) == 1
    state = next(s for s in job_states() if s.job.name == failing)
    assert state.status == "failed"

    answer = health()
    assert answer["status"] == "degraded"
    assert answer["checks"]["scheduled_jobs"]["failed"] == [failing]
    assert client.get(reverse("operations:health")).status_code == 200
    assert any(failing in problem.what for problem in setup_problems())
    client.force_login(world.admin_al)
    page = client.get(reverse("operations:jobs")).content.decode()
    assert "the disk is full" in page and "Failed" in page


def test_a_job_that_has_not_succeeded_for_a_night_is_late(world):
    schedule.schedule_all()
    ScheduledJob.objects.filter(name="check-quality").update(
        first_queued_at=timezone.now() - timedelta(days=3),
        last_succeeded_at=timezone.now() - timedelta(hours=27),
    )
    ScheduledJob.objects.filter(name="verify-audit").update(
        first_queued_at=timezone.now() - timedelta(hours=5)
    )
    late = {state.job.name for state in job_states() if state.status == "late"}
    assert late == {"check-quality"}
    assert health()["checks"]["scheduled_jobs"]["late"] == ["check-quality"]


def test_jobs_never_scheduled_stand_between_the_installation_and_live_use(world):
    assert any("never been scheduled" in problem.what for problem in setup_problems())
    schedule.schedule_all()
    assert not any(
        "never been scheduled" in p.what or "scheduled job" in p.what for p in setup_problems()
    )


@pytest.mark.parametrize(
    ("now", "every", "expected"),
    [
        (datetime(2026, 12, 7, 1, 0), schedule.DAILY, datetime(2026, 12, 7, 2, 0)),
        (datetime(2026, 12, 7, 2, 0), schedule.DAILY, datetime(2026, 12, 8, 2, 0)),
        (datetime(2026, 12, 7, 1, 0), schedule.MONTHLY, datetime(2027, 1, 1, 2, 0)),
        (datetime(2027, 1, 1, 1, 0), schedule.MONTHLY, datetime(2027, 1, 1, 2, 0)),
        (datetime(2027, 1, 31, 3, 0), schedule.MONTHLY, datetime(2027, 2, 1, 2, 0)),
    ],
)
def test_the_next_run(now, every, expected):
    job = schedule.Job(name="x", title="x", run=lambda: "", every=every)
    assert job.next_run(timezone.make_aware(now)) == timezone.make_aware(expected)


def test_every_job_runs_on_a_small_borough(world, settings, tmp_path):
    """Each registered job's work, run as the worker runs it: nothing is wired to a missing
    name, and each says what it did."""
    settings.SAFEGUARD_RETURNS_DIR = tmp_path / "returns"
    settings.SAFEGUARD_DOCUMENTS_DIR = tmp_path / "documents"
    for job in schedule.jobs():
        outcome = job.run()
        assert isinstance(outcome, str) and outcome, job.name


def test_old_return_files_are_removed_and_the_job_says_so(world, settings, tmp_path):
    from safeguard.returns.models import JobKind, JobStatus, ReturnJob

    settings.SAFEGUARD_RETURNS_DIR = tmp_path
    jobs = []
    for days in (40, 5):
        job = ReturnJob.objects.create(
            kind=JobKind.CIN_EXPORT, authority=world.authority, started_by=world.analyst_eve,
            status=JobStatus.DONE, finished_at=timezone.now() - timedelta(days=days),
            result_file="cin.xml", result_name="cin.xml", summary="Exported.",
        )  # fmt: skip
        job.folder.mkdir(parents=True)
        (job.folder / "cin.xml").write_text("<x/>")
        jobs.append(job)
    assert run_scheduled_job.call("clean-return-files") == "1 finished job's files removed"
    old, recent = (ReturnJob.objects.get(pk=job.pk) for job in jobs)
    assert not old.folder.exists() and old.result_file == ""
    assert old.summary == "Exported. The file was removed 30 days after the job finished."
    assert recent.folder.exists() and recent.result_file == "cin.xml"
    assert run_scheduled_job.call("clean-return-files") == "0 finished jobs' files removed"
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_service_managers_are_reminded_of_records_due_for_review(world):
    from safeguard.casework.models import Case
    from safeguard.notices.models import Notice
    from safeguard.people.models import Person
    from safeguard.privacy import retention

    adult = Person.objects.create(
        authority=world.authority,
        given_names="Ola",
        family_name="Long",
        date_of_birth=date(1990, 2, 2),
    )
    # A child in need case closed in 2005: kept three years past the 18th birthday (2011).
    Case.objects.create(
        child=adult, authority=world.authority, referral_date=date(2005, 3, 1),
        referral_source="6", closure_date=date(2005, 9, 1), closure_reason="RC7",
    )  # fmt: skip
    assert retention.report(authority_id=world.authority.pk, as_at=timezone.localdate()).due
    outcome = run_scheduled_job.call("retention-reminders")
    assert outcome.startswith(f"{world.authority.name}: 1 due for review")
    notice = Notice.objects.get(user=world.sm_dan)
    assert notice.subject == "1 record due for retention review"
    assert "Ola" not in notice.body and notice.url == reverse("privacy:retention-report")
    assert not Notice.objects.exclude(user=world.sm_dan).exists()
