from django.urls import path

from inka.network.survey.urls import urlpatterns as survey_urlpatterns
from inka.network.views import directory, partners, picture, relations

app_name = "network"

urlpatterns = [
    path("partner/", partners.partner_list, name="partner_list"),
    path("partner/neu/", partners.partner_create, name="partner_create"),
    path("partner/<int:pk>/", partners.partner_detail, name="partner_detail"),
    path("partner/<int:pk>/bearbeiten/", partners.partner_edit, name="partner_edit"),
    path(
        "partner/<int:link_pk>/ansprechpersonen/neu/",
        partners.partner_contact_create,
        name="partner_contact_create",
    ),
    path(
        "partner/<int:link_pk>/ansprechpersonen/<int:pk>/bearbeiten/",
        partners.partner_contact_edit,
        name="partner_contact_edit",
    ),
    path(
        "partner/<int:link_pk>/ansprechpersonen/<int:pk>/loeschen/",
        partners.partner_contact_delete,
        name="partner_contact_delete",
    ),
    path("partner/angebote/", directory.service_list, name="service_list"),
    path("partner/<int:link_pk>/angebote/neu/", directory.service_create, name="service_create"),
    path("partner/<int:link_pk>/angebote/<int:pk>/bearbeiten/", directory.service_edit, name="service_edit"),
    path("partner/vereinbarungen/", relations.agreement_list, name="agreement_list"),
    path("partner/vereinbarungen/neu/", relations.agreement_create, name="agreement_create"),
    path("partner/vereinbarungen/<int:pk>/", relations.agreement_detail, name="agreement_detail"),
    path("partner/vereinbarungen/<int:pk>/bearbeiten/", relations.agreement_edit, name="agreement_edit"),
    path("partner/vereinbarungen/<int:pk>/verlaengern/", relations.agreement_renew, name="agreement_renew"),
    path("partner/aktivitaeten/", relations.activity_list, name="activity_list"),
    path("partner/aktivitaeten/neu/", relations.activity_create, name="activity_create"),
    path("partner/aktivitaeten/<int:pk>/bearbeiten/", relations.activity_edit, name="activity_edit"),
    path("partner/netzwerkbild/", picture.network_picture, name="network_picture"),
]
urlpatterns += survey_urlpatterns
