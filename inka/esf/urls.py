from django.urls import path

from inka.esf import report_views, views

app_name = "esf"

PARTICIPATION = "esf/teilnahmen/<int:pk>/"

urlpatterns: list = [
    # The report of a period: own site in full, or suppressed beyond the site's team
    path("esf/bericht/", report_views.report_page, name="report"),
    # Case work: the participation of a person at a site, its questionnaires and results
    path("faelle/<int:case_pk>/esf/", views.participation_start, name="participation_start"),
    path("esf/teilnahmen/", views.participation_list, name="participation_list"),
    path(PARTICIPATION, views.participation_detail, name="participation_detail"),
    path(f"{PARTICIPATION}stammblatt/", views.entry_edit, name="entry_edit"),
    path(f"{PARTICIPATION}austritt/", views.exit_edit, name="exit_edit"),
    path(f"{PARTICIPATION}verbleib/neu/", views.exit_event_create, name="exit_event_create"),
    path(
        f"{PARTICIPATION}verbleib/<int:item_pk>/entfernen/", views.exit_event_delete, name="exit_event_delete"
    ),
    path(f"{PARTICIPATION}bildung/neu/", views.education_start_create, name="education_start_create"),
    path(
        f"{PARTICIPATION}bildung/<int:item_pk>/entfernen/",
        views.education_start_delete,
        name="education_start_delete",
    ),
    path(f"{PARTICIPATION}qualifizierungen/neu/", views.qualification_create, name="qualification_create"),
    path(
        f"{PARTICIPATION}qualifizierungen/<int:item_pk>/entfernen/",
        views.qualification_delete,
        name="qualification_delete",
    ),
    path(f"{PARTICIPATION}keine-angabe/", views.no_answer_edit, name="no_answer_edit"),
    path(f"{PARTICIPATION}nachbefragung/", views.followup_edit, name="followup_edit"),
    path(
        f"{PARTICIPATION}ergebnisse/<int:outcome_pk>/uebernehmen/",
        views.job_outcome_adopt,
        name="job_outcome_adopt",
    ),
]
