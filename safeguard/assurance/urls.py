from django.urls import path

from safeguard.assurance import views

app_name = "assurance"

urlpatterns = [
    path("audits/", views.audit_list, name="audits"),
    path("audits/<uuid:audit_id>/", views.audit_detail, name="audit"),
    path("audits/<uuid:audit_id>/grade/", views.audit_grade, name="audit-grade"),
    path("audits/<uuid:audit_id>/moderate/", views.audit_moderate, name="audit-moderate"),
]
