from django.urls import path

from safeguard.referrals import views

app_name = "referrals"

urlpatterns = [
    path("front-door/", views.front_door, name="front-door"),
    path("people/<uuid:person_id>/contacts/new/", views.contact_new, name="contact-new"),
    path("contacts/<uuid:contact_id>/", views.contact_detail, name="contact-detail"),
    path("contacts/<uuid:contact_id>/decide/", views.contact_decide, name="contact-decide"),
    path("people/<uuid:person_id>/referrals/new/", views.referral_new, name="referral-new"),
    # A contact about several children of a family (decision 0065).
    path(
        "people/<uuid:person_id>/contacts/family/new/",
        views.contact_group_new,
        name="contact-group-new",
    ),
    path(
        "contact-groups/<uuid:group_id>/decide/",
        views.contact_group_decide,
        name="contact-group-decide",
    ),
]
