"""The partner survey's URLs, included in the `network` namespace (inka/network/urls.py)."""

from django.urls import path

from inka.network.survey import views

urlpatterns = [
    path("partner/befragung/", views.survey_list, name="survey_list"),
    path("partner/befragung/neu/", views.survey_wave_create, name="survey_wave_create"),
    path("partner/befragung/<int:pk>/", views.survey_wave_detail, name="survey_wave_detail"),
    path("partner/befragung/<int:pk>/einladen/", views.survey_invite, name="survey_invite"),
    path(
        "partner/befragung/einladung/<int:pk>/neuer-link/",
        views.survey_invitation_renew,
        name="survey_invitation_renew",
    ),
    # The partner's page: public, the one-time link is the key.
    path("befragung/<str:token>/", views.survey_answer, name="survey_answer"),
]
