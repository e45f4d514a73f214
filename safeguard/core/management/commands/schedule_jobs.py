"""``safeguard schedule-jobs [--list]``: queue the next run of every scheduled job in the
background-job worker (decision 0071), unless one is waiting already; each run then queues the
next. ``safeguard serve`` does this when it starts the worker, and ``make run`` too."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from safeguard.core import schedule
from safeguard.core.models import ScheduledJob


class Command(BaseCommand):
    help = (
        "Queue the next run of every scheduled job (the nightly rebuild of what is due, the "
        "data-quality check, the audit trail's verification, cleaning, reminders) in the "
        "background-job worker. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="Only list the jobs and their last and next runs."
        )

    def handle(self, *args, list=False, **options):
        queued = {} if list else schedule.schedule_all()
        rows = {row.name: row for row in ScheduledJob.objects.all()}
        for job in schedule.jobs():
            row = rows.get(job.name)
            when = row.next_run_at if row and row.next_run_at else None
            state = (
                "queued" if queued.get(job.name) else ("already queued" if when else "not queued")
            )
            last = "never run"
            if row and row.last_finished_at:
                how = "failed" if row.last_run_failed else "succeeded"
                last = f"last {how} {timezone.localtime(row.last_finished_at):%d %b %Y %H:%M}"
            next_ = f"next {timezone.localtime(when):%d %b %Y %H:%M}" if when else "no run waiting"
            self.stdout.write(f"{job.name:<20} {state:<15} {next_:<24} {last}  {job.title}")
