"""The audit programme's nightly draw (decision 0062), run by the background-job worker
(``safeguard db_worker``, which ``safeguard serve`` starts).

Each night the job draws, for every authority, the programme lines of the month not drawn yet:
on the first night of a month that is the whole month's draw, and a line added part way
through is drawn the night after. Lines a service manager drew by hand are left as they are.
It is a scheduled job (``draw-audits``, ``core.schedule``, decision 0071): each run queues the
next, so the draw runs once a night however many workers there are; ``safeguard draw-audits
--nightly`` (or ``safeguard schedule-jobs``) queues the first.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.utils import timezone
from django_tasks import task

from safeguard.accounts.models import LocalAuthority
from safeguard.assurance import services
from safeguard.assurance.models import ProgrammeLine
from safeguard.core import schedule

logger = logging.getLogger(__name__)

JOB = "draw-audits"


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


def draw_tonight() -> str:
    """The scheduled job ``draw-audits``: this month's programme lines not drawn yet."""
    drawn = draw_every_authority(month=timezone.localdate())
    return f"{drawn} case-file audit{'s' if drawn != 1 else ''} drawn"


def next_night(now: datetime | None = None) -> datetime:
    """When the nightly draw next runs after ``now``."""
    return schedule.job(JOB).next_run(now)


def schedule_nightly(now: datetime | None = None) -> bool:
    """Queue the next nightly draw unless one is waiting; True if one was queued."""
    return schedule.schedule(JOB, now) is not None


@task()
def draw_audit_programme_nightly() -> str:
    """A run queued before the scheduled jobs of decision 0071: draws once, and leaves the next
    night to the scheduler."""
    return draw_tonight()
