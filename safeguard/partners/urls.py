from django.urls import path

from safeguard.partners import views

app_name = "partners"

urlpatterns = [
    path("lookup/", views.lookup, name="lookup"),
    path("refer/", views.refer, name="refer"),
    path("refer/sent/", views.referrals, name="referrals"),
    path("refer/<uuid:referral_id>/", views.referral, name="referral"),
    path(
        "front-door/partner-referrals/<uuid:referral_id>/record/",
        views.referral_record,
        name="referral-record",
    ),
    path(
        "people/<uuid:person_id>/information-requests/",
        views.child_requests,
        name="child-requests",
    ),
    path(
        "people/<uuid:person_id>/information-requests/new/",
        views.information_request_new,
        name="information-request-new",
    ),
    path(
        "people/<uuid:person_id>/information-sharing/",
        views.sharing_decisions,
        name="sharing-decisions",
    ),
    path("information-requests/", views.agency_requests, name="agency-requests"),
    path("information-requests/sent/", views.sent_requests, name="sent-requests"),
    path(
        "information-requests/response-times/",
        views.response_times,
        name="response-times",
    ),
    path(
        "information-requests/response-times.csv",
        views.response_times_csv,
        name="response-times-csv",
    ),
    path(
        "information-requests/<uuid:request_id>/",
        views.information_request,
        name="information-request",
    ),
    # Contributions to steps and plans (issue 17 item 5, decision 0069).
    path("cases/<uuid:case_id>/invitations/", views.case_invitations, name="case-invitations"),
    path("cases/<uuid:case_id>/invitations/new/", views.invitation_new, name="invitation-new"),
    path(
        "contributions/<uuid:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path(
        "conferences/<uuid:conference_id>/partner-attendance/",
        views.conference_attendance,
        name="conference-attendance",
    ),
    path("contributions/", views.contributions, name="contributions"),
    path("contributions/<uuid:invitation_id>/", views.contribution, name="contribution"),
    path("agency-actions/", views.agency_actions, name="agency-actions"),
    path("agency-actions/<uuid:action_id>/", views.agency_action, name="agency-action"),
    path("agency-actions/progress/<uuid:progress_id>/", views.progress, name="agency-progress"),
]
