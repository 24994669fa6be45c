from django.urls import path

from inka.network.views import partners

app_name = "network"

urlpatterns = [
    path("partner/", partners.partner_list, name="partner_list"),
    path("partner/neu/", partners.partner_create, name="partner_create"),
    path("partner/<int:pk>/", partners.partner_detail, name="partner_detail"),
    path("partner/<int:pk>/bearbeiten/", partners.partner_edit, name="partner_edit"),
]
