from django.urls import path

from inka.network import views

app_name = "network"

urlpatterns = [
    path("partner/", views.partner_list, name="partner_list"),
    path("partner/neu/", views.partner_create, name="partner_create"),
    path("partner/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partner/<int:pk>/bearbeiten/", views.partner_edit, name="partner_edit"),
]
