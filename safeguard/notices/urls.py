from django.urls import path

from safeguard.notices import views

app_name = "notices"

urlpatterns = [
    path("notices/", views.notice_list, name="list"),
    path("notices/<int:notice_id>/read/", views.notice_read, name="read"),
    path("notices/read-all/", views.notice_read_all, name="read-all"),
]
