from django.urls import path

from inka.employment import views

app_name = "employment"

CASE = "faelle/<int:case_pk>/arbeit/"

urlpatterns = [
    path(f"{CASE}hemmnisse/neu/", views.barrier_assessment_create, name="barrier_assessment_create"),
    path(f"{CASE}hemmnisse/<int:pk>/", views.barrier_assessment_edit, name="barrier_assessment_edit"),
    path(f"{CASE}perspektive/", views.career_plan_edit, name="career_plan_edit"),
    path(f"{CASE}bewerbungen/neu/", views.application_create, name="application_create"),
    path(f"{CASE}bewerbungen/<int:pk>/", views.application_edit, name="application_edit"),
    path(f"{CASE}ergebnisse/neu/", views.job_outcome_create, name="job_outcome_create"),
    path(f"{CASE}ergebnisse/<int:pk>/", views.job_outcome_edit, name="job_outcome_edit"),
]
