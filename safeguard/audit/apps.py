from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safeguard.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from safeguard.audit.conflicts import describe
        from safeguard.core.submission import register_conflict_describer

        # A stale save's side-by-side view reads the change history, which core cannot.
        register_conflict_describer(describe)

        from safeguard.accounts.signals import account_changed, organisation_changed
        from safeguard.audit.accounts import record_account_change, record_organisation_change

        # Changes to accounts are recorded like every other write (decision 0024), and so are
        # the agencies and teams staff belong to.
        account_changed.connect(record_account_change, dispatch_uid="audit-account-changed")
        organisation_changed.connect(
            record_organisation_change, dispatch_uid="audit-organisation-changed"
        )

        # The hash chains are verified, and a checkpoint written, each night (decision 0006).
        from datetime import time

        from safeguard.audit.integrity import verify_and_checkpoint
        from safeguard.core import schedule

        schedule.register(
            schedule.Job(
                name="verify-audit",
                title="Verify the audit trail and write a checkpoint",
                run=verify_and_checkpoint,
                at=time(4, 0),
            )
        )
