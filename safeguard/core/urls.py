from django.urls import path

from safeguard.core import views

app_name = "core"

urlpatterns = [
    path("drafts/save/", views.draft_save, name="draft-save"),
]
