"""URLs of referrals to services and the services' waiting times (issue 19 items 3 and 4)."""

from django.urls import path

from safeguard.directory import referral_views as views

app_name = "service_referrals"

urlpatterns = [
    path(
        "people/<uuid:person_id>/service-referrals/new/",
        views.referral_new,
        name="new",
    ),
    path("service-referrals/<uuid:referral_id>/", views.referral_detail, name="detail"),
    path("directory/waiting-times/", views.waiting_times, name="waiting-times"),
]
