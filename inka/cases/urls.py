from django.urls import path

from inka.cases.views import cases, contacts, documents, persons, plan, referrals, work

app_name = "cases"

urlpatterns = [
    path("arbeitsliste/", work.work_list, name="work_list"),
    # Anonymous contacts
    path("kontakte/", contacts.anonymous_contact_list, name="anonymous_contact_list"),
    path("kontakte/neu/", contacts.contact_quick, name="contact_quick"),
    path("kontakte/<int:pk>/bearbeiten/", contacts.anonymous_contact_edit, name="anonymous_contact_edit"),
    # Persons and consents
    path("personen/", persons.person_list, name="person_list"),
    path("personen/dubletten/", persons.person_duplicates, name="person_duplicates"),
    path("personen/<int:pk>/", persons.person_detail, name="person_detail"),
    path("personen/<int:pk>/bearbeiten/", persons.person_edit, name="person_edit"),
    path("personen/<int:person_pk>/einwilligungen/neu/", persons.consent_create, name="consent_create"),
    path(
        "personen/<int:person_pk>/einwilligungen/<int:pk>/widerruf/",
        persons.consent_withdraw,
        name="consent_withdraw",
    ),
    # Cases
    path("faelle/", cases.case_list, name="case_list"),
    path("faelle/neu/", cases.case_create, name="case_create"),
    path("faelle/<int:pk>/", cases.case_detail, name="case_detail"),
    path("faelle/<int:pk>/bearbeiten/", cases.case_edit, name="case_edit"),
    path("faelle/<int:pk>/abschliessen/", cases.case_close, name="case_close"),
    path("faelle/<int:pk>/wiedereroeffnen/", cases.case_reopen, name="case_reopen"),
    path("faelle/<int:pk>/verlauf/", cases.case_history, name="case_history"),
    path("faelle/<int:pk>/kontakte/", contacts.contact_list, name="contact_list"),
    path("faelle/<int:pk>/kontakte/neu/", contacts.contact_create, name="contact_create"),
    path("faelle/<int:case_pk>/kontakte/<int:pk>/", contacts.contact_edit, name="contact_edit"),
    path("faelle/<int:case_pk>/ziele/neu/", plan.goal_create, name="goal_create"),
    path("faelle/<int:case_pk>/ziele/<int:pk>/", plan.goal_edit, name="goal_edit"),
    path("faelle/<int:case_pk>/ziele/<int:goal_pk>/schritte/neu/", plan.step_create, name="step_create"),
    path("faelle/<int:case_pk>/schritte/<int:pk>/", plan.step_edit, name="step_edit"),
    path("faelle/<int:case_pk>/wiedervorlagen/neu/", plan.follow_up_create, name="follow_up_create"),
    path(
        "faelle/<int:case_pk>/wiedervorlagen/<int:pk>/erledigt/", plan.follow_up_done, name="follow_up_done"
    ),
    path("faelle/<int:case_pk>/vermittlungen/neu/", referrals.referral_create, name="referral_create"),
    path("faelle/<int:case_pk>/vermittlungen/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path(
        "faelle/<int:case_pk>/vermittlungen/<int:pk>/neuer-link/",
        referrals.referral_renew_link,
        name="referral_renew_link",
    ),
    path("faelle/<int:case_pk>/dokumente/neu/", documents.document_upload, name="document_upload"),
    path("faelle/<int:case_pk>/dokumente/<int:pk>/", documents.document_download, name="document_download"),
    # The partner's answer, without an account
    path("vermittlung/<str:token>/", referrals.referral_answer, name="referral_answer"),
]
