from django.urls import path

from safeguard.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.person_create, name="create"),
    path("break-glass/", views.break_glass_reviews, name="break-glass-reviews"),
    path("break-glass/<uuid:use_id>/", views.break_glass_review, name="break-glass-review"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:person_id>/addresses/new/", views.address_add, name="address-add"),
    path("<uuid:person_id>/names/new/", views.name_add, name="name-add"),
    path("<uuid:person_id>/relationships/new/", views.relationship_add, name="relationship-add"),
    path("<uuid:person_id>/involvements/new/", views.involvement_add, name="involvement-add"),
    path("<uuid:person_id>/alerts/new/", views.alert_add, name="alert-add"),
    path("alerts/<uuid:alert_id>/end/", views.alert_end, name="alert-end"),
    path("<uuid:person_id>/family/", views.family, name="family"),
    path("<uuid:person_id>/seal/", views.seal, name="seal"),
    path("<uuid:person_id>/break-glass/", views.break_glass, name="break-glass"),
]
