"""The URL tree: each app mounts its own urls; the API is one NinjaAPI under /api/v1/."""

from django.urls import include, path

from safeguard.api import api

urlpatterns = [
    # First: the keyed API is resolved without trying every page's pattern (issue 17).
    path("api/v1/", api.urls),
    path("", include("safeguard.work.urls")),
    path("", include("safeguard.core.urls")),
    path("", include("safeguard.accounts.urls")),
    path("people/", include("safeguard.people.urls")),
    path("", include("safeguard.casework.urls")),
    path("", include("safeguard.documents.urls")),
    path("", include("safeguard.referrals.urls")),
    path("", include("safeguard.directory.referral_urls")),
    path("", include("safeguard.directory.urls")),
    path("", include("safeguard.earlyhelp.urls")),
    path("", include("safeguard.assessments.urls")),
    path("", include("safeguard.protection.urls")),
    path("", include("safeguard.partners.urls")),
    path("", include("safeguard.timescales.urls")),
    path("", include("safeguard.transfers.urls")),
    path("", include("safeguard.workforce.urls")),
    path("", include("safeguard.backlog.urls")),
    path("", include("safeguard.quality.urls")),
    path("", include("safeguard.supervision.urls")),
    path("", include("safeguard.assurance.urls")),
    path("", include("safeguard.boards.urls")),
    path("", include("safeguard.notices.urls")),
    path("", include("safeguard.procedures.urls")),
    path("", include("safeguard.privacy.urls")),
    path("", include("safeguard.performance.urls")),
    path("", include("safeguard.governance.urls")),
    path("", include("safeguard.returns.urls")),
    path("", include("safeguard.operations.urls")),
]

handler400 = "safeguard.core.views.bad_request"
handler403 = "safeguard.core.views.permission_denied"
handler404 = "safeguard.core.views.page_not_found"
handler500 = "safeguard.core.views.server_error"
