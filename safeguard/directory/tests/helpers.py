"""Directory entries made for tests (the directory's own services are task A's pages)."""

from datetime import date

from safeguard.directory.codes import ServiceKind
from safeguard.directory.models import Service


def make_service(world, name="Family Support Hub", **fields) -> Service:
    values = {
        "authority": world.authority,
        "name": name,
        "organisation": "Testshire Council",
        "kind": ServiceKind.EARLY_HELP,
        "description": "Practical help at home for families",
        "how_to_refer": "Use Safeguard",
        "last_checked": date.today(),
    }
    values |= fields
    return Service.objects.create(**values)
