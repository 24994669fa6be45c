from django.urls import path

from inka.privacy import views, views_records, views_retention

app_name = "privacy"

urlpatterns: list = [
    # Data-subject requests, export, rectification, contested values, restriction (S5)
    path("ersuchen/", views.request_list, name="request_list"),
    path("ersuchen/<int:pk>/", views.request_detail, name="request_detail"),
    path("ersuchen/<int:pk>/bearbeiten/", views.request_edit, name="request_edit"),
    path("ersuchen/<int:pk>/berichtigung/", views.request_rectify, name="request_rectify"),
    path("personen/<int:person_pk>/ersuchen/neu/", views.request_create, name="request_create"),
    path("personen/<int:pk>/", views.person_page, name="person"),
    path("personen/<int:pk>/verlauf/", views.person_history, name="person_history"),
    path("personen/<int:pk>/auskunft/<str:fmt>/", views.export, name="export"),
    path("personen/<int:person_pk>/bestreiten/", views.contest_create, name="contest_create"),
    path("bestritten/<int:pk>/klaeren/", views.contest_resolve, name="contest_resolve"),
    path("personen/<int:pk>/einschraenken/", views.restrict, name="restrict"),
    path("eingeschraenkt/", views.restricted_list, name="restricted_list"),
    path("eingeschraenkt/<int:pk>/", views.restricted_open, name="restricted_open"),
    path("eingeschraenkt/<int:pk>/aufheben/", views.restriction_lift, name="restriction_lift"),
    # Record of processing activities (Art. 30 GDPR), generated from the field registry (S7)
    path("verzeichnis/", views_records.records_of_processing, name="records_of_processing"),
    path("verzeichnis.pdf", views_records.records_of_processing_pdf, name="records_of_processing_pdf"),
    path("verzeichnis.json", views_records.records_of_processing_json, name="records_of_processing_json"),
    # Retention and anonymisation (S6): the dpo approves, the funding rounds carry the retention end
    path("aufbewahrung/", views_retention.retention_overview, name="retention"),
    path("aufbewahrung/freigeben/", views_retention.retention_approve, name="retention_approve"),
    path("aufbewahrung/foerderrunden/", views_retention.funding_rounds, name="funding_rounds"),
    path(
        "aufbewahrung/foerderrunden/<int:pk>/", views_retention.funding_round_edit, name="funding_round_edit"
    ),
]
