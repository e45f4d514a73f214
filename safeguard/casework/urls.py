from django.urls import path

from safeguard.casework import views

app_name = "casework"

urlpatterns = [
    path("cases/<uuid:case_id>/", views.case_detail, name="case-detail"),
    path("cases/<uuid:case_id>/allocate/", views.case_allocate, name="allocate"),
    path("cases/<uuid:case_id>/visits/new/", views.visit_new, name="visit-new"),
    path("cases/<uuid:case_id>/direct-work/new/", views.direct_work_new, name="direct-work-new"),
    path("cases/<uuid:case_id>/notes/new/", views.note_new, name="note-new"),
    path("cases/<uuid:case_id>/decisions/new/", views.decision_new, name="decision-new"),
    path(
        "cases/<uuid:case_id>/unallocated-reviews/new/",
        views.unallocated_review_new,
        name="unallocated-review-new",
    ),
    path("cases/<uuid:case_id>/cin-plans/new/", views.cin_plan_new, name="cin-plan-new"),
    path("cin-plans/<uuid:plan_id>/end/", views.cin_plan_end, name="cin-plan-end"),
    path("cases/<uuid:case_id>/looked-after/new/", views.looked_after_new, name="looked-after-new"),
    path("looked-after/<uuid:period_id>/end/", views.looked_after_end, name="looked-after-end"),
    path("cases/<uuid:case_id>/summary/", views.case_summary_edit, name="summary-edit"),
    path(
        "cases/<uuid:case_id>/summary/history/",
        views.case_summary_history,
        name="summary-history",
    ),
    path("cases/<uuid:case_id>/close/", views.case_close, name="close"),
    path("cases/<uuid:case_id>/priority/", views.case_priority, name="priority"),
    path("authorisations/", views.authorisation_queue, name="authorisations"),
    path(
        "authorisations/settings/",
        views.authorisation_settings,
        name="authorisation-settings",
    ),
    path(
        "authorisations/<uuid:request_id>/",
        views.authorisation_detail,
        name="authorisation",
    ),
    path("people/<uuid:person_id>/chronology/", views.chronology, name="chronology"),
    path(
        "people/<uuid:person_id>/chronology/new/",
        views.chronology_entry_new,
        name="chronology-entry-new",
    ),
    path("people/<uuid:person_id>/chronology.pdf", views.chronology_pdf, name="chronology-pdf"),
    # The children of a family together: statuses and one chronology (decision 0065).
    path(
        "people/<uuid:person_id>/family/children/",
        views.family_children,
        name="family-children",
    ),
    path(
        "chronology/<uuid:entry_id>/annotate/",
        views.chronology_annotate,
        name="chronology-annotate",
    ),
    path("cover/teams/<int:team_id>/", views.team_cover, name="team-cover"),
    path("cover/teams/<int:team_id>/absences/new/", views.absence_new, name="absence-new"),
    path(
        "cover/teams/<int:team_id>/absences/<uuid:absence_id>/end/",
        views.absence_end,
        name="absence-end",
    ),
    path("cover/teams/<int:team_id>/duty/new/", views.duty_new, name="duty-new"),
]
