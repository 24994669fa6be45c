from django.urls import path

from inka.accounts import views

app_name = "accounts"

urlpatterns = [
    path("anmelden/", views.login, name="login"),
    path("abmelden/", views.logout, name="logout"),
    path("anmelden/zweiter-faktor/", views.second_factor, name="second_factor"),
    path("anmelden/zweiter-faktor/einrichten/", views.second_factor_enrol, name="second_factor_enrol"),
    path("konto/sicherheit/", views.security, name="security"),
    path("konto/sicherheit/neue-codes/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("konto/sicherheit/ueberall-abmelden/", views.logout_everywhere, name="logout_everywhere"),
    path("passwort/aendern/", views.password_change, name="password_change"),
    path("passwort/geaendert/", views.password_change_done, name="password_change_done"),
    path("passwort/vergessen/", views.password_reset, name="password_reset"),
    path("passwort/vergessen/gesendet/", views.password_reset_done, name="password_reset_done"),
    path("passwort/neu/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("passwort/neu/fertig/", views.password_reset_complete, name="password_reset_complete"),
    path("standort-wechseln/", views.site_switch, name="site_switch"),
    path("team/", views.my_team, name="my_team"),
    path("standorte/<int:site_pk>/team/", views.team, name="team"),
    path("standorte/<int:site_pk>/team/neu/", views.member_invite, name="member_invite"),
    path("standorte/<int:site_pk>/team/<int:pk>/", views.member_edit, name="member_edit"),
    path("standorte/<int:site_pk>/team/<int:pk>/einladen/", views.member_reinvite, name="member_reinvite"),
    path("konten/", views.user_list, name="user_list"),
    path("konten/<int:pk>/aktiv/", views.user_toggle_active, name="user_toggle_active"),
    path("konten/<int:pk>/sitzungen-beenden/", views.user_end_sessions, name="user_end_sessions"),
    path(
        "konten/<int:pk>/zweiter-faktor-zuruecksetzen/",
        views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
]
