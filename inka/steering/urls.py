from django.urls import path

from inka.steering.views import action_items, groups, meetings

app_name = "steering"

urlpatterns = [
    path("steuerungsgruppe/", groups.group_home, name="group_home"),
    path("steuerungsgruppe/einrichten/", groups.group_create, name="group_create"),
    path("steuerungsgruppe/<int:pk>/", groups.group_detail, name="group_detail"),
    path("steuerungsgruppe/<int:pk>/bearbeiten/", groups.group_edit, name="group_edit"),
    path("steuerungsgruppe/<int:group_pk>/mitglieder/neu/", groups.member_create, name="member_create"),
    path("steuerungsgruppe/mitglieder/<int:pk>/bearbeiten/", groups.member_edit, name="member_edit"),
    path("steuerungsgruppe/<int:group_pk>/sitzungen/neu/", meetings.meeting_create, name="meeting_create"),
    path("steuerungsgruppe/sitzungen/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("steuerungsgruppe/sitzungen/<int:pk>/bearbeiten/", meetings.meeting_edit, name="meeting_edit"),
    path("steuerungsgruppe/sitzungen/<int:pk>/protokoll/", meetings.meeting_minutes, name="meeting_minutes"),
    path(
        "steuerungsgruppe/sitzungen/<int:pk>/protokoll.pdf",
        meetings.meeting_minutes_pdf,
        name="meeting_minutes_pdf",
    ),
    path("steuerungsgruppe/<int:group_pk>/aufgaben/", action_items.action_item_list, name="action_item_list"),
    path("steuerungsgruppe/aufgaben/<int:pk>/", action_items.action_item_edit, name="action_item_edit"),
]
