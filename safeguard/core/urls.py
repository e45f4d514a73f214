from django.urls import path

from safeguard.core import views

app_name = "core"

urlpatterns = [
    path("drafts/save/", views.draft_save, name="draft-save"),
    path("drafts/load/", views.draft_load, name="draft-load"),
    path("drafts/discard/", views.draft_discard, name="draft-discard"),
]
