"""Pages of volunteers: list, detail, add and edit (with the client they may be), hours for a session
or a month, everyone's hours after an event, and the certificate as PDF."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from inka.cases.tests.factories import make_person
from inka.community.models import Volunteer, VolunteerHours
from inka.community.tests.test_volunteers import make_project, make_session, make_volunteer
from inka.core.models import AccessLogEntry, AuditEntry

LIST = reverse("community:volunteer_list")
CREATE = reverse("community:volunteer_create")


def url(name, *args):
    return reverse(f"community:{name}", args=args)


@pytest.fixture
def actor(world):
    return world.user("caseworker")


@pytest.fixture
def festival(world, actor):
    """A past session of a project of site A."""
    return make_session(make_project(world.site_a, actor, "Stadtteilfest"), date(2024, 6, 8), "Sommerfest")


VALID = {
    "person": "",
    "first_name": "Renate",
    "last_name": "Vogel",
    "phone": "03447 123456",
    "email": "",
    "skills": "Backen, Russisch",
    "availability": "nachmittags",
    "since": "2024-03-01",
}


# List


def test_the_list_shows_the_sites_volunteers_with_their_hours_and_logs_the_read(
    world, login, actor, festival
):
    anna = make_volunteer(world.site_a, "Anna", "Adler")
    make_volunteer(world.site_b, "Carl", "Cramer")
    VolunteerHours.objects.create(volunteer=anna, session=festival, hours=Decimal("2.5"), recorded_by=actor)
    response = login(actor).get(LIST)
    html = response.content.decode()
    assert "Adler, Anna" in html
    assert "Cramer" not in html
    assert "2,5" in html
    log = AccessLogEntry.objects.get(action="volunteer.list")
    assert log.record_ids == [anna.pk]
    # Writers are offered the hours after the site's latest sessions.
    assert url("session_hours", festival.pk) in html
    assert url("session_hours", festival.pk) not in login(world.user("reader")).get(LIST).content.decode()


def test_the_list_filters_by_name_and_engagement(world, login, actor):
    make_volunteer(world.site_a, "Anna", "Adler")
    make_volunteer(world.site_a, "Bernd", "Berg", until=date(2024, 3, 1))
    client = login(actor)
    names = lambda response: [v.first_name for v in response.context["rows"]]  # noqa: E731
    assert names(client.get(LIST)) == ["Anna"]
    assert names(client.get(LIST, {"status": "ended"})) == ["Bernd"]
    assert names(client.get(LIST, {"status": "all", "q": "ber"})) == ["Bernd"]
    assert client.get(LIST, {"status": "castle"}).status_code == 400


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_does_not_grow_with_rows(
    world, login, actor, festival, rows, django_assert_max_num_queries
):
    for index in range(rows):
        volunteer = make_volunteer(
            world.site_a, f"Vorname{index:02}", "Test", person=make_person(world.site_a)
        )
        VolunteerHours.objects.create(
            volunteer=volunteer, session=festival, hours=Decimal(2), recorded_by=actor
        )
        VolunteerHours.objects.create(
            volunteer=volunteer, month=date(2024, 5, 1), hours=Decimal(3), recorded_by=actor
        )
    client = login(actor)
    with django_assert_max_num_queries(16):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["rows"]) == rows
    assert {v.total_hours for v in response.context["rows"]} == {Decimal(5)}


# Add and edit


def test_add_a_volunteer(world, login, actor):
    response = login(actor).post(CREATE, VALID)
    volunteer = Volunteer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == volunteer.get_absolute_url()
    assert (volunteer.site, volunteer.last_name, volunteer.since) == (world.site_a, "Vogel", date(2024, 3, 1))
    assert AuditEntry.objects.filter(action="inka.volunteer.created").count() == 1


def test_a_client_is_found_by_name_and_their_data_are_taken_over(world, login, actor):
    person = make_person(world.site_a, "Jürgen", "Müller", phone="0170 1234567")
    make_person(world.site_b, "Jürgen", "Mueller")
    client = login(actor)
    response = client.get(CREATE, {"q": "mueller"})
    assert response.context["results"] == [person]
    assert AccessLogEntry.objects.filter(action="person.search").count() == 1
    response = client.get(CREATE, {"person": person.pk})
    form = response.context["form"]
    assert (form["first_name"].value(), form["last_name"].value(), form["phone"].value()) == (
        "Jürgen",
        "Müller",
        "0170 1234567",
    )
    response = client.post(
        CREATE, {**VALID, "person": person.pk, "first_name": "Jürgen", "last_name": "Müller"}
    )
    assert response.status_code == 302
    assert Volunteer.objects.get().person == person


def test_a_person_of_another_site_cannot_be_linked(world, login, actor):
    stranger = make_person(world.site_b, "Sabine", "Kurz")
    client = login(actor)
    assert client.get(CREATE, {"person": stranger.pk}).context["person"] is None
    response = client.post(CREATE, {**VALID, "person": stranger.pk})
    assert response.status_code == 400
    assert "person" in response.context["form"].errors
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"last_name": ""}, "last_name"),
        ({"since": "kein Datum"}, "since"),
        ({"email": "keine-adresse"}, "email"),
    ],
)
def test_bad_input_on_adding_gives_400_and_writes_nothing(world, login, actor, changes, field):
    response = login(actor).post(CREATE, {**VALID, **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Volunteer.objects.exists()


def test_edit_ends_the_engagement_but_not_before_it_began(world, login, actor):
    volunteer = make_volunteer(world.site_a, since=date(2024, 3, 1))
    client = login(actor)
    response = client.post(url("volunteer_edit", volunteer.pk), {**VALID, "until": "2024-02-01"})
    assert response.status_code == 400
    assert "until" in response.context["form"].errors
    volunteer.refresh_from_db()
    assert volunteer.until is None
    response = client.post(url("volunteer_edit", volunteer.pk), {**VALID, "until": "2024-12-31"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.until == date(2024, 12, 31)


def test_other_sites_and_other_roles_do_not_reach_a_volunteer(world, login):
    volunteer = make_volunteer(world.site_a)
    assert login(world.user("other_caseworker")).get(url("volunteer_detail", volunteer.pk)).status_code == 404
    assert login(world.user("coordinator")).get(url("volunteer_detail", volunteer.pk)).status_code == 404
    assert login(world.user("steering")).get(url("volunteer_detail", volunteer.pk)).status_code == 403
    assert login(world.user("reader")).get(url("volunteer_edit", volunteer.pk)).status_code == 403
    assert login(world.user("reader")).get(url("volunteer_detail", volunteer.pk)).status_code == 200


# Detail and hours


def test_detail_shows_hours_totals_per_year_and_projects_and_logs_the_read(world, login, actor, festival):
    volunteer = make_volunteer(world.site_a)
    VolunteerHours.objects.create(
        volunteer=volunteer, session=festival, project=festival.project, hours=Decimal(4), recorded_by=actor
    )
    VolunteerHours.objects.create(
        volunteer=volunteer, month=date(2024, 5, 1), hours=Decimal(6), recorded_by=actor
    )
    response = login(actor).get(url("volunteer_detail", volunteer.pk))
    html = response.content.decode()
    assert response.context["summary"].total == Decimal(10)
    assert "Stadtteilfest" in html
    assert "Sommerfest" in html
    assert AccessLogEntry.objects.get(action="volunteer.view").record_ids == [volunteer.pk]


def test_record_hours_for_a_session_and_for_a_month(world, login, actor, festival):
    volunteer = make_volunteer(world.site_a)
    client = login(actor)
    create = url("volunteer_hours_create", volunteer.pk)
    assert client.get(create).status_code == 200
    response = client.post(
        create,
        {"kind": "session", "session-session": festival.pk, "session-hours": "3,5", "session-activity": ""},
    )
    assert response.status_code == 302
    response = client.post(
        create,
        {
            "kind": "month",
            "month-month": "2024-05",
            "month-hours": "12",
            "month-activity": "Hausaufgabenhilfe",
        },
    )
    assert response.status_code == 302
    entries = list(VolunteerHours.objects.order_by("pk").values_list("session", "month", "hours", "project"))
    assert entries == [
        (festival.pk, None, Decimal("3.5"), festival.project.pk),
        (None, date(2024, 5, 1), Decimal(12), None),
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "session", "session-session": "", "session-hours": "2"}, "session"),
        ({"kind": "session", "session-hours": "25"}, "hours"),
        ({"kind": "session", "session-hours": "0"}, "hours"),
        ({"kind": "session", "session-hours": "zwei"}, "hours"),
        ({"kind": "month", "month-month": "2999-01", "month-hours": "2"}, "month"),
        ({"kind": "month", "month-month": "2024-05", "month-hours": "745"}, "hours"),
        ({"kind": "month", "month-month": "Mai", "month-hours": "2"}, "month"),
    ],
)
def test_bad_hours_give_400_at_the_field_and_write_nothing(world, login, actor, festival, data, field):
    volunteer = make_volunteer(world.site_a)
    data = {"session-session": festival.pk, **data}
    response = login(actor).post(url("volunteer_hours_create", volunteer.pk), data)
    assert response.status_code == 400
    form = response.context["session_form" if data["kind"] == "session" else "month_form"]
    assert field in form.errors
    assert not VolunteerHours.objects.exists()


def test_a_session_of_another_site_is_not_offered(world, login, actor):
    volunteer = make_volunteer(world.site_a)
    other = make_session(make_project(world.site_b, world.user("other_caseworker")))
    response = login(actor).post(
        url("volunteer_hours_create", volunteer.pk),
        {"kind": "session", "session-session": other.pk, "session-hours": "2"},
    )
    assert response.status_code == 400
    assert "session" in response.context["session_form"].errors
    assert not VolunteerHours.objects.exists()


def test_delete_hours(world, login, actor):
    volunteer = make_volunteer(world.site_a)
    entry = VolunteerHours.objects.create(
        volunteer=volunteer, month=date(2024, 5, 1), hours=4, recorded_by=actor
    )
    other = make_volunteer(world.site_a, "Bernd")
    client = login(actor)
    assert client.post(url("volunteer_hours_delete", other.pk, entry.pk)).status_code == 404
    response = client.post(url("volunteer_hours_delete", volunteer.pk, entry.pk))
    assert response.status_code == 302
    assert not VolunteerHours.objects.exists()


# Everyone's hours after an event


def test_session_hours_prefills_and_replaces(world, login, actor, festival):
    anna = make_volunteer(world.site_a, "Anna")
    bernd = make_volunteer(world.site_a, "Bernd")
    VolunteerHours.objects.create(volunteer=anna, session=festival, hours=Decimal(2), recorded_by=actor)
    client = login(actor)
    page = client.get(url("session_hours", festival.pk))
    assert page.context["form"][f"volunteer_{anna.pk}"].value() == Decimal(2)
    assert AccessLogEntry.objects.get(action="volunteer.session_hours").record_ids == [anna.pk, bernd.pk]
    response = client.post(
        url("session_hours", festival.pk),
        {f"volunteer_{anna.pk}": "", f"volunteer_{bernd.pk}": "4,5", "activity": ""},
    )
    assert response.status_code == 302
    assert list(VolunteerHours.objects.values_list("volunteer", "hours")) == [(bernd.pk, Decimal("4.5"))]


def test_session_hours_refuses_too_many_hours_and_writes_nothing(world, login, actor, festival):
    anna = make_volunteer(world.site_a, "Anna")
    bernd = make_volunteer(world.site_a, "Bernd")
    response = login(actor).post(
        url("session_hours", festival.pk), {f"volunteer_{anna.pk}": "3", f"volunteer_{bernd.pk}": "30"}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [f"volunteer_{bernd.pk}"]
    assert not VolunteerHours.objects.exists()


# Certificate


def certificate_data(**changes):
    return {
        "period_from": "2024-01-01",
        "period_to": "2024-12-31",
        "include_activities": "on",
        "signed_by": "Petra Schneider",
        "signer_role": "Standortleitung",
        **changes,
    }


def test_certificate_form_is_prefilled(world, login, actor):
    volunteer = make_volunteer(world.site_a, since=date(2024, 2, 1))
    form = login(world.user("site_lead")).get(url("volunteer_certificate", volunteer.pk)).context["form"]
    assert form["period_from"].value() == date(2024, 2, 1)
    assert form["signed_by"].value() == world.user("site_lead").get_full_name()
    assert form["signer_role"].value() == "Standortleitung"


def test_certificate_is_a_tagged_pdf_with_name_and_total_hours(world, login, actor, festival):
    world.site_a.street, world.site_a.postcode = "Markt 1", "04600"
    world.site_a.save()
    volunteer = make_volunteer(world.site_a, "Renate", "Vogel")
    VolunteerHours.objects.create(
        volunteer=volunteer,
        session=festival,
        project=festival.project,
        hours=Decimal("4.5"),
        recorded_by=actor,
    )
    VolunteerHours.objects.create(
        volunteer=volunteer,
        month=date(2024, 5, 1),
        hours=Decimal(8),
        activity="Hausaufgabenhilfe",
        recorded_by=actor,
    )
    VolunteerHours.objects.create(
        volunteer=volunteer, month=date(2023, 5, 1), hours=Decimal(99), recorded_by=actor
    )
    response = login(actor).post(url("volunteer_certificate", volunteer.pk), certificate_data())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Vogel" not in response["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(response.content))
    root = pdf.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "de"
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Renate Vogel" in text
    assert "12,5 " in text
    with translation.override("de"):
        assert gettext("Certificate of volunteer engagement") in pdf.metadata.title
    assert "Hausaufgabenhilfe" in text
    assert "Sommerfest" in text
    assert "Markt 1" in text
    assert "Petra Schneider" in text
    entry = AuditEntry.objects.get(action="inka.volunteer.certificate_issued")
    assert entry.data == {"period_from": "2024-01-01", "period_to": "2024-12-31", "hours": "12.50"}
    assert AccessLogEntry.objects.filter(action="volunteer.certificate").exists()


def test_certificate_without_activities_leaves_the_projects_out(world, login, actor, festival):
    volunteer = make_volunteer(world.site_a)
    VolunteerHours.objects.create(
        volunteer=volunteer, session=festival, project=festival.project, hours=Decimal(3), recorded_by=actor
    )
    data = certificate_data()
    del data["include_activities"]
    response = login(actor).post(url("volunteer_certificate", volunteer.pk), data)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Stadtteilfest" not in text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_to": "2023-12-31"}, "period_to"),
        ({"period_from": "2020-01-01", "period_to": "2020-12-31"}, "period_from"),
        ({"signed_by": ""}, "signed_by"),
    ],
)
def test_bad_certificate_requests_give_400_and_no_entry(world, login, actor, festival, changes, field):
    volunteer = make_volunteer(world.site_a)
    VolunteerHours.objects.create(volunteer=volunteer, session=festival, hours=Decimal(3), recorded_by=actor)
    response = login(actor).post(url("volunteer_certificate", volunteer.pk), certificate_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not AuditEntry.objects.filter(action="inka.volunteer.certificate_issued").exists()
