from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "safeguard.boards"
    label = "boards"
    verbose_name = "Boards and packs"

    def ready(self):
        # The pack's own sections (decision 0084); a higher app registers more from its own
        # ``ready()`` with ``boards.packs.register_section``.
        from safeguard.boards import sections

        sections.register_own()

        # The packs due are drafted each night, after the figures' nightly work.
        from datetime import time

        from safeguard.boards.services import draft_due_packs
        from safeguard.core import schedule

        schedule.register(
            schedule.Job(
                name="draft-board-packs",
                title="Draft the board packs due and tell their officers",
                run=draft_due_packs,
                at=time(5, 0),
            )
        )
