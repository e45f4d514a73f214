from safeguard.testing.matrix import row


def _service(world):
    from safeguard.directory.services import service_add

    return service_add(
        by=world.sm_dan, name="Northbank Family Hub", organisation="Testshire Council",
        kind="early_help", description="Parenting groups and one-to-one family support.",
        how_to_refer="Email the hub with the family's consent.", min_age=0, max_age=18,
    )  # fmt: skip


def service_target(world):
    return {"service_id": _service(world).pk}


def editor_target(world):
    from safeguard.directory.services import editor_appoint

    return {"editor_id": editor_appoint(by=world.sm_dan, user=world.voluntary_val).pk}


TARGETS = {"directory_service": service_target, "directory_editor": editor_target}

# Every member of staff of the authority's agencies reads the directory, partners included;
# unscheduled-care clinicians, administrators and inspectors do not use it. Another
# authority's staff read their own directory.
SEARCH = row(302, 200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 302, 200, 200, 403)
# One entry: another authority's staff do not find it.
READ = row(302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 302, 404, 200, 404)
# Keeping the directory: directory editors and service managers (none of the world's
# partners is an editor until appointed).
EDIT = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
EDIT_ENTRY = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 404, 404, 302, 404, 403, 404)
# A POST: the editor is sent back to the entry; an inspector is refused before the page.
CHECK = row(302, 403, 403, 302, 403, 403, 403, 403, 403, 404, 404, 302, 404, 403, 403)
# Appointing editors: service managers and system administrators.
APPOINT = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 403, 200, 302, 403, 403, 403)
END_APPOINTMENT = row(302, 404, 404, 302, 404, 404, 404, 404, 404, 404, 302, 302, 404, 404, 403)

MATRIX = {
    "directory:search": ("get", None, "", SEARCH),
    "directory:service": ("get", "directory_service", "", READ),
    "directory:service-new": ("get", None, "", EDIT),
    "directory:service-change": ("get", "directory_service", "", EDIT_ENTRY),
    "directory:service-check": ("post", "directory_service", "", CHECK),
    "directory:service-end": ("get", "directory_service", "", EDIT_ENTRY),
    "directory:export": ("get", None, "", EDIT),
    "directory:import": ("get", None, "", EDIT),
    "directory:editors": ("get", None, "", APPOINT),
    "directory:editor-end": ("post", "directory_editor", "", END_APPOINTMENT),
}
