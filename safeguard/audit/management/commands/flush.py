"""``flush`` with the audit guard lifted for its own transaction (docs/decisions/0006).

Flushing empties every table, the audit tables included; it is how the test runner resets the
database between transactional tests. The append-only triggers would refuse it, so this one
command lifts the guard, only inside the transaction in which it empties the tables.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import transaction

from safeguard.audit import chain, checkpoints, guard


class Command(FlushCommand):
    help = FlushCommand.help + " The audit tables' append-only guard is lifted for it alone."

    def handle(self, **options):
        database = options["database"]
        with transaction.atomic(using=database), guard.lifted(using=database):
            result = super().handle(**options)
        # The chains were emptied on purpose (unless the flush was cancelled): earlier
        # checkpoints no longer apply.
        from safeguard.audit.models import AccessEvent, ChangeEvent

        emptied = not any(
            m._base_manager.using(database).exists() for m in (AccessEvent, ChangeEvent)
        )
        if emptied:
            heads = dict.fromkeys(checkpoints.TABLES, (0, chain.GENESIS))
            checkpoints.append("reset", heads, "flush")
        return result
