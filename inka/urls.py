from django.urls import include, path

from inka import views

urlpatterns = [
    path("", views.start, name="start"),
    path("", include("inka.accounts.urls")),
    path("", include("inka.programme.urls")),
    path("protokolle/", include("inka.core.urls")),
    path("", include("inka.network.urls")),
    path("", include("inka.cases.urls")),
    path("", include("inka.employment.urls")),
    path("", include("inka.esf.urls")),
    path("", include("inka.community.urls")),
    path("", include("inka.steering.urls")),
    path("kennzahlen/", include("inka.monitoring.urls")),
    path("datenschutz/", include("inka.privacy.urls")),
]
