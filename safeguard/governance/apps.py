from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safeguard.governance"
    label = "governance"
    verbose_name = "Improvement plans and governance"

    def ready(self):
        # The board packs' plans and highlight sections (boards sits below: decision 0084).
        from safeguard.governance import pack_sections

        pack_sections.register()
