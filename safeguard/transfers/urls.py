from django.urls import path

from safeguard.transfers import views

app_name = "transfers"

urlpatterns = [
    path("cases/<uuid:case_id>/transfer/", views.transfer_request, name="request"),
    path("transfers/", views.transfer_list, name="list"),
    path("transfers/<uuid:transfer_id>/", views.transfer_detail, name="detail"),
    path("transfers/<uuid:transfer_id>/decide/", views.transfer_decide, name="decide"),
]
