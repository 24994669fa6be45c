from django.urls import path

from inka.community.views import activations, outreach, projects, volunteers

app_name = "community"

urlpatterns = [
    # Community projects, their sessions and attendance; resident activation
    path("gemeinwesen/projekte/", projects.project_list, name="project_list"),
    path("gemeinwesen/projekte/neu/", projects.project_create, name="project_create"),
    path("gemeinwesen/projekte/<int:pk>/", projects.project_detail, name="project_detail"),
    path("gemeinwesen/projekte/<int:pk>/bearbeiten/", projects.project_edit, name="project_edit"),
    path(
        "gemeinwesen/projekte/<int:project_pk>/termine/neu/", projects.session_create, name="session_create"
    ),
    path("gemeinwesen/termine/<int:pk>/bearbeiten/", projects.session_edit, name="session_edit"),
    path("gemeinwesen/termine/<int:pk>/teilnahme/", projects.session_attendance, name="session_attendance"),
    path("gemeinwesen/aktivierung/", activations.activation_list, name="activation_list"),
    path("gemeinwesen/aktivierung/neu/", activations.activation_create, name="activation_create"),
    path("gemeinwesen/aktivierung/<int:pk>/bearbeiten/", activations.activation_edit, name="activation_edit"),
]

# Volunteers and their hours; outreach rounds
urlpatterns += [
    path("gemeinwesen/ehrenamtliche/", volunteers.volunteer_list, name="volunteer_list"),
    path("gemeinwesen/ehrenamtliche/neu/", volunteers.volunteer_create, name="volunteer_create"),
    path("gemeinwesen/ehrenamtliche/<int:pk>/", volunteers.volunteer_detail, name="volunteer_detail"),
    path("gemeinwesen/ehrenamtliche/<int:pk>/bearbeiten/", volunteers.volunteer_edit, name="volunteer_edit"),
    path(
        "gemeinwesen/ehrenamtliche/<int:pk>/stunden/neu/",
        volunteers.volunteer_hours_create,
        name="volunteer_hours_create",
    ),
    path(
        "gemeinwesen/ehrenamtliche/<int:volunteer_pk>/stunden/<int:pk>/loeschen/",
        volunteers.volunteer_hours_delete,
        name="volunteer_hours_delete",
    ),
    path(
        "gemeinwesen/ehrenamtliche/<int:pk>/nachweis/",
        volunteers.volunteer_certificate,
        name="volunteer_certificate",
    ),
    path("gemeinwesen/termine/<int:pk>/ehrenamt/", volunteers.session_hours, name="session_hours"),
    path("gemeinwesen/rundgaenge/", outreach.outreach_list, name="outreach_list"),
    path("gemeinwesen/rundgaenge/neu/", outreach.outreach_create, name="outreach_create"),
    path("gemeinwesen/rundgaenge/<int:pk>/bearbeiten/", outreach.outreach_edit, name="outreach_edit"),
]
