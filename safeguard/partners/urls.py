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
]
