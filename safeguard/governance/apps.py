from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safeguard.governance"
    label = "governance"
    verbose_name = "Improvement plans and governance"

    def ready(self):
        # The board packs' plans and highlight sections (boards sits below: decision 0084).
        from safeguard.governance import pack_sections

        pack_sections.register()

        # Evidence files no evidence names (a failed save, a dead process) go each night.
        from datetime import time

        from safeguard.core import schedule
        from safeguard.governance.services import evidence_orphans_clean

        schedule.register(
            schedule.Job(
                name="clean-evidence-files",
                title="Remove evidence files no plan action names",
                run=evidence_orphans_clean,
                at=time(3, 15),
            )
        )
