from django.urls import path  # each view module adds its paths below

app_name = "monitoring"

urlpatterns: list = []

# Site dashboard, catalogue and data quality (views/site.py)
from inka.monitoring.views import site as site_views  # noqa: E402

urlpatterns += [
    path("", site_views.home, name="home"),
    path("standorte/<int:site_id>/", site_views.site_dashboard, name="site_dashboard"),
    path(
        "standorte/<int:site_id>/export.<str:fmt>",
        site_views.site_dashboard_export,
        name="site_dashboard_export",
    ),
    path("katalog/", site_views.catalogue, name="catalogue"),
    path("datenqualitaet/", site_views.quality_page, name="quality"),
]

# Period reports and the programme report (views/reports.py)
from inka.monitoring.views import reports as report_views  # noqa: E402

REPORT = "berichte/<int:pk>/"

urlpatterns += [
    path("berichte/", report_views.report_list, name="report_list"),
    path("berichte/neu/", report_views.report_create, name="report_create"),
    path(REPORT, report_views.report_detail, name="report_detail"),
    path(f"{REPORT}bearbeiten/", report_views.report_edit, name="report_edit"),
    path(f"{REPORT}einreichen/", report_views.report_submit, name="report_submit"),
    path(f"{REPORT}pruefen/", report_views.report_review, name="report_review"),
    path(f"{REPORT}ueberarbeiten/", report_views.report_revise, name="report_revise"),
    path(f"{REPORT}export.<str:fmt>", report_views.report_export, name="report_export"),
    path("programmbericht/<int:year>/", report_views.programme_report, name="programme_report"),
    path(
        "programmbericht/<int:year>/export.<str:fmt>",
        report_views.programme_report_export,
        name="programme_report_export",
    ),
]

# Programme dashboard for the coordination (views/programme.py)
from inka.monitoring.views import programme as programme_views  # noqa: E402

urlpatterns += [
    path("programm/", programme_views.programme_dashboard, name="programme_dashboard"),
    path(
        "programm/export.<str:fmt>",
        programme_views.programme_dashboard_export,
        name="programme_dashboard_export",
    ),
]
