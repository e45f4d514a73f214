"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py). The API's
keyed calls are not session pages: ``test_api.py`` checks their keys."""

from safeguard.testing.matrix import WHO, row

# The lookup: the unscheduled-care clinician only.
LOOKUP = row(302, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 302, 403, 403, 403)

MATRIX = {
    "partners:lookup": ("get", None, "", LOOKUP),
    # A browser session is no key: everyone, signed in or not, gets 401.
    "api:child-protection-status": ("get", None, "?nhs_number=9434765919", [401] * len(WHO)),
    "api:fhir-flag-search": ("get", None, "?nhs_number=9434765919", [401] * len(WHO)),
}
