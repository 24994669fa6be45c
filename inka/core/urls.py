from django.urls import path

from inka.core import views

app_name = "core"

urlpatterns = [
    path("zugriffe/", views.access_log, name="access_log"),
    path("aenderungen/", views.audit_log, name="audit_log"),
    path("gesehene-personen/", views.breach_question, name="breach_question"),
]
