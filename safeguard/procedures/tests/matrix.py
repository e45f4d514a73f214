from safeguard.testing.matrix import SOCIAL_CARE_PAGE, row


# A procedure the service manager published to every social care role of the authority.
def procedure_for_all(world):
    from safeguard.procedures.services import procedure_publish

    procedure = procedure_publish(
        by=world.sm_dan, kind="procedure", title="Visits", body="See the child alone.", step="visit"
    )
    return {"procedure_id": procedure.pk}


TARGETS = {"procedure_for_all": procedure_for_all}

# Social care staff of the authority read it and acknowledge it; partners, administrators,
# inspectors and another authority's staff do not find it.
READ = row(302, 200, 200, 200, 200, 404, 404, 404, 404, 404, 404, 302, 404, 200, 404)
# An inspector posts nothing (decision 0042): 403 before the page is asked.
ACKNOWLEDGE = row(302, 302, 302, 302, 302, 404, 404, 404, 404, 404, 404, 302, 404, 302, 403)
# Only a service manager publishes, or publishes a new version.
PUBLISH = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
REVISE = row(302, 403, 403, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 403, 404)
# Team and service managers see who has not acknowledged.
REPORT = row(302, 403, 200, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 403, 404)

MATRIX = {
    "procedures:list": ("get", None, "", SOCIAL_CARE_PAGE),
    "procedures:publish": ("get", None, "", PUBLISH),
    "procedures:detail": ("get", "procedure_for_all", "", READ),
    "procedures:acknowledge": ("post", "procedure_for_all", "", ACKNOWLEDGE),
    "procedures:revise": ("get", "procedure_for_all", "", REVISE),
    "procedures:report": ("get", "procedure_for_all", "", REPORT),
    "procedures:report-csv": ("get", "procedure_for_all", "", REPORT),
}
