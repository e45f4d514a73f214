"""The audit programme's nightly draw (decision 0062), run by the background-job worker
(``safeguard db_worker``, which ``safeguard serve`` starts).

Each night the job draws, for every authority, the programme lines of the month not drawn yet:
on the first night of a month that is the whole month's draw, and a line added part way
through is drawn the night after. Lines a service manager drew by hand are left as they are.
Each run schedules the next, unless one is already waiting, so the draw runs once a night
however many workers there are; ``safeguard draw-audits --nightly`` schedules the first.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from safeguard.accounts.models import LocalAuthority
from safeguard.assurance import services
from safeguard.assurance.models import ProgrammeLine
from safeguard.timescales.tasks import next_night

logger = logging.getLogger(__name__)


def draw_every_authority(*, month: date, on: date | None = None) -> int:
    """The scheduled draw of ``month`` for every authority with a programme; how many audits
    were drawn."""
    drawn = 0
    authorities = LocalAuthority.objects.filter(
        pk__in=ProgrammeLine.objects.values("authority_id")
    ).order_by("dfe_la_code")
    for authority in authorities:
        result = services.programme_draw_scheduled(authority=authority, month=month, on=on)
        made = sum(len(audits) for audits in result.drawn.values())
        if result.drawn:
            logger.info(
                "Audit programme of %s for %s: %d audits drawn",
                authority.name, f"{month:%B %Y}", made,
            )  # fmt: skip
        drawn += made
    return drawn


def nightly_waiting() -> bool:
    """Whether a nightly draw is already waiting to run."""
    return DBTaskResult.objects.filter(
        task_path=draw_audit_programme_nightly.module_path, status="READY"
    ).exists()


def schedule_nightly(now: datetime | None = None) -> bool:
    """Schedule the next nightly draw unless one is waiting; True if one was scheduled."""
    if nightly_waiting():
        return False
    draw_audit_programme_nightly.using(run_after=next_night(now)).enqueue()
    return True


@task()
def draw_audit_programme_nightly() -> int:
    """Draw this month's programme lines not yet drawn, then schedule tomorrow's run."""
    try:
        return draw_every_authority(month=timezone.localdate())
    finally:
        schedule_nightly()
