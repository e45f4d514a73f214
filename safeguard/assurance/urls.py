from django.urls import path

from safeguard.assurance import views

app_name = "assurance"

urlpatterns = [
    path("audits/", views.audit_list, name="audits"),
    path("audits/<uuid:audit_id>/", views.audit_detail, name="audit"),
    path("audits/<uuid:audit_id>/grade/", views.audit_grade, name="audit-grade"),
    path("audits/<uuid:audit_id>/moderate/", views.audit_moderate, name="audit-moderate"),
    path("audits/<uuid:audit_id>/respond/", views.audit_respond, name="audit-respond"),
    path("audits/<uuid:audit_id>/actions/", views.action_add, name="action-add"),
    path("audits/actions/<uuid:action_id>/done/", views.action_complete, name="action-done"),
    path("audits/mine/", views.mine, name="mine"),
    path("audits/programme/", views.programme, name="programme"),
    path("audits/programme/lines/", views.programme_line_add, name="programme-line-add"),
    path(
        "audits/programme/lines/<uuid:line_id>/end/",
        views.programme_line_end,
        name="programme-line-end",
    ),
    path("audits/programme/draw/", views.programme_draw, name="programme-draw"),
    path("audits/front-door/", views.dip_samples, name="dip-samples"),
    path("audits/front-door/<uuid:sample_id>/", views.dip_sample, name="dip-sample"),
    path("audits/front-door/decisions/<uuid:item_id>/check/", views.dip_check, name="dip-check"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/<uuid:inspection_id>/", views.inspection_detail, name="inspection"),
    path(
        "inspections/<uuid:inspection_id>/sample/",
        views.inspection_sample,
        name="inspection-sample",
    ),
    path(
        "inspections/<uuid:inspection_id>/reads/", views.inspection_reads, name="inspection-reads"
    ),
]
