"""ESF participation pages: the case section, the participation page and its forms, the site list."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.cases.tests.factories import assert_form_errors, make_case, make_person
from inka.core.models import AccessLogEntry, AuditEntry
from inka.employment.models import JobOutcome
from inka.esf import services
from inka.esf.models import EducationStart, ExitEvent, Participation, Qualification, Stay

ENTRY = date(2024, 2, 1)


def today():
    return timezone.localdate()


@pytest.fixture
def worker(world):
    return world.user("caseworker")


@pytest.fixture
def case(world, worker):
    return make_case(world.site_a, worker, make_person(world.site_a, gender="m", birth_date=date(1985, 3, 2)))


@pytest.fixture
def participation(worker, case):
    return services.participation_start(actor=worker, case=case, entry_date=ENTRY)


def page_url(participation, anchor=""):
    return reverse("esf:participation_detail", args=[participation.pk]) + anchor


ENTRY_FORM = {
    "gender": "M",
    "date_of_birth": "1985-03-02",
    "rural": "YES",
    "entry_date": "2024-02-01",
    "leaflet_acknowledged_on": "2024-02-01",
    "labour_status_at_entry": "UNEMPLOYED",
    "unemployed_since": "2022-11-01",
    "in_education_or_training_at_entry": "",
    "school_certificate": "MITTLERE_REIFE",
    "vocational_qualification": "NONE",
    "isced_level": "",
    "sensitive_asked_on": "2024-02-01",
    "disability": "REFUSED",
    "minority": "",
    "third_country_national": "NO",
    "foreign_background": "YES",
    "other_disadvantaged": "",
    "homeless_or_housing_exclusion": "NO",
    "household_jobless": "YES",
    "household_dependent_children": "NO",
    "household_single_adult": "NO",
}


# The case page's section


def test_the_case_section_offers_to_begin_and_then_shows_what_is_missing(world, login, worker, case):
    client = login(worker)
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'id="esf"' in html
    assert reverse("esf:participation_start", args=[case.pk]) in html
    response = client.post(reverse("esf:participation_start", args=[case.pk]), {"entry_date": "2024-02-01"})
    participation = Participation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("esf:entry_edit", args=[participation.pk])
    html = client.get(case.get_absolute_url()).content.decode()
    assert participation.participation_id in html
    assert _("labour market status at entry") in html  # what is missing
    assert reverse("esf:participation_start", args=[case.pk]) not in html  # a stay is open


def test_readers_see_the_section_without_the_start_form(world, login, case):
    html = login(world.user("reader")).get(case.get_absolute_url()).content.decode()
    assert 'id="esf"' in html
    assert reverse("esf:participation_start", args=[case.pk]) not in html


# Start and re-entry


def test_a_bad_entry_date_is_shown_at_the_field_and_nothing_is_written(login, worker, case):
    client = login(worker)
    url = reverse("esf:participation_start", args=[case.pk])
    assert_form_errors(client.post(url, {"entry_date": ""}), "entry_date")
    assert_form_errors(client.post(url, {"entry_date": "2023-12-01"}), "entry_date")  # before the case
    assert not Participation.objects.exists()


def test_starting_again_with_an_open_stay_is_refused_at_the_field(login, worker, case, participation):
    response = login(worker).post(
        reverse("esf:participation_start", args=[case.pk]), {"entry_date": "2024-03-01"}
    )
    assert_form_errors(response, "entry_date")
    assert Stay.objects.count() == 1


def test_a_re_entry_through_the_case(login, worker, case, participation):
    services.participation_exit(actor=worker, participation=participation, exit_date=date(2024, 3, 31))
    client = login(worker)
    url = reverse("esf:participation_start", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert participation.participation_id in page.content.decode()
    response = client.post(url, {"entry_date": "2024-05-02"})
    assert response["Location"] == page_url(participation)
    participation.refresh_from_db()
    assert (participation.entry_date, participation.exit_date) == (ENTRY, None)
    assert Stay.objects.count() == 2


# The participation page


def test_the_participation_page_shows_the_questionnaire_and_logs_the_read(
    world, login, worker, participation
):
    response = login(worker).get(page_url(participation))
    assert response.status_code == 200
    html = response.content.decode()
    assert participation.participation_id in html
    assert "Müller" in html
    assert _("ISCED level or school and vocational qualifications") in html
    (entry,) = AccessLogEntry.objects.all()
    assert (entry.action, entry.record_ids, entry.site_id) == (
        "esf.participation.view",
        [participation.pk],
        world.site_a.pk,
    )


def test_a_complete_participation_says_it_counts(login, worker, participation):
    services.participation_update_entry(
        actor=worker,
        participation=participation,
        labour_status_at_entry="EMPLOYED",
        school_certificate="ABITUR",
        vocational_qualification="APPRENTICESHIP",
        leaflet_acknowledged_on=ENTRY,
    )
    html = login(worker).get(page_url(participation)).content.decode()
    assert _("complete – counts in the ESF indicators") in html
    assert "ISCED 4" in html  # derived from the certificates


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_caseworker", 404),
        ("coordinator", 404),
        ("admin", 404),
        ("steering", 403),
        ("dpo", 403),
        ("reader", 200),
    ],
)
def test_the_page_by_role(world, login, participation, persona, status):
    response = login(world.user(persona)).get(page_url(participation))
    assert response.status_code == status
    if status != 200:
        assert "Müller" not in response.content.decode()


# The entry questionnaire


def test_the_entry_questionnaire_is_saved(login, worker, participation):
    client = login(worker)
    url = reverse("esf:entry_edit", args=[participation.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "kern-fieldset" in page.content.decode()
    response = client.post(url, ENTRY_FORM)
    assert response.status_code == 302
    assert response["Location"] == page_url(participation, "#stammblatt")
    participation.refresh_from_db()
    assert (participation.labour_status_at_entry, participation.unemployed_since) == (
        "UNEMPLOYED",
        date(2022, 11, 1),
    )
    assert (participation.disability, participation.minority, participation.rural) == ("REFUSED", "", "YES")
    assert participation.in_education_or_training_at_entry is None
    assert participation.isced_level is None  # derived: Mittlere Reife without vocational qualification = 2
    html = login(worker).get(page_url(participation)).content.decode()
    assert _("complete – counts in the ESF indicators") in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"labour_status_at_entry": "EMPLOYED"}, "unemployed_since"),  # unemployed_since only when unemployed
        (
            {"labour_status_at_entry": "UNEMPLOYED", "in_education_or_training_at_entry": "False"},
            "in_education_or_training_at_entry",
        ),
        ({"sensitive_asked_on": ""}, "sensitive_asked_on"),
        ({"entry_date": "kein Datum"}, "entry_date"),
        ({"disability": "MAYBE"}, "disability"),
        ({"leaflet_acknowledged_on": (today() + timedelta(days=2)).isoformat()}, "leaflet_acknowledged_on"),
    ],
)
def test_bad_entry_questionnaires_are_shown_at_the_field_and_nothing_is_written(
    login, worker, participation, changes, field
):
    response = login(worker).post(
        reverse("esf:entry_edit", args=[participation.pk]), {**ENTRY_FORM, **changes}
    )
    assert_form_errors(response, field)
    stored = Participation.objects.get()
    assert (stored.labour_status_at_entry, stored.disability) == ("", "")
    assert not AuditEntry.objects.filter(action="inka.esf.entry.updated").exists()


# Exit and results


def test_exit_results_and_removal(login, worker, participation):
    client = login(worker)
    back = page_url(participation, "#austritt")
    assert (
        client.post(reverse("esf:exit_edit", args=[participation.pk]), {"exit_date": "2024-03-31"})[
            "Location"
        ]
        == back
    )
    assert Participation.objects.get().exit_date == date(2024, 3, 31)
    response = client.post(
        reverse("esf:exit_event_create", args=[participation.pk]),
        {"occurred_on": "2024-04-10", "type": "JOB_SEARCHING"},
    )
    assert response["Location"] == back
    client.post(
        reverse("esf:education_start_create", args=[participation.pk]),
        {"started_on": "2024-04-12", "title": "BVB"},
    )
    client.post(
        reverse("esf:qualification_create", args=[participation.pk]),
        {"awarded_on": "2024-04-20", "title": "Staplerschein", "recognised": "False"},
    )
    event, start, qualification = (
        ExitEvent.objects.get(),
        EducationStart.objects.get(),
        Qualification.objects.get(),
    )
    assert (event.type, start.title, qualification.recognised) == ("JOB_SEARCHING", "BVB", False)
    html = client.get(page_url(participation)).content.decode()
    assert "Staplerschein" in html
    for name, item in [
        ("exit_event_delete", event),
        ("education_start_delete", start),
        ("qualification_delete", qualification),
    ]:
        assert client.post(reverse(f"esf:{name}", args=[participation.pk, item.pk]))["Location"] == back
    assert not (
        ExitEvent.objects.exists() or EducationStart.objects.exists() or Qualification.objects.exists()
    )


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("exit_edit", {"exit_date": "2024-01-31"}, "exit_date"),
        ("exit_edit", {"exit_date": ""}, "exit_date"),
        ("exit_event_create", {"occurred_on": "2024-01-20", "type": "EMPLOYED"}, "occurred_on"),
        ("exit_event_create", {"occurred_on": "2024-04-20", "type": "PENSION"}, "type"),
        ("education_start_create", {"started_on": "2024-01-20"}, "started_on"),
        ("qualification_create", {"awarded_on": "2024-04-20", "title": "", "recognised": "True"}, "title"),
    ],
)
def test_bad_results_are_shown_at_the_field_and_nothing_is_written(
    login, worker, participation, name, data, field
):
    response = login(worker).post(reverse(f"esf:{name}", args=[participation.pk]), data)
    assert_form_errors(response, field)
    assert Participation.objects.get().exit_date is None
    assert not (
        ExitEvent.objects.exists() or EducationStart.objects.exists() or Qualification.objects.exists()
    )


def test_no_answer_possible_needs_a_reason(login, worker, participation):
    services.participation_exit(actor=worker, participation=participation, exit_date=date(2024, 3, 31))
    client = login(worker)
    url = reverse("esf:no_answer_edit", args=[participation.pk])
    assert_form_errors(
        client.post(url, {"no_answer": "on", "exit_no_answer_reason": ""}), "exit_no_answer_reason"
    )
    response = client.post(url, {"no_answer": "on", "exit_no_answer_reason": "Nicht erreichbar, Post zurück"})
    assert response.status_code == 302
    assert Participation.objects.get().exit_no_answer_reason == "Nicht erreichbar, Post zurück"
    assert "Nicht erreichbar, Post zurück" in client.get(page_url(participation)).content.decode()


def test_a_job_outcome_is_adopted_with_one_click(world, login, worker, case, participation):
    job = JobOutcome.objects.create(
        case=case, kind="mini_job", starts_on=date(2024, 4, 2), employer_or_provider="Netto"
    )
    client = login(worker)
    html = client.get(page_url(participation)).content.decode()
    adopt = reverse("esf:job_outcome_adopt", args=[participation.pk, job.pk])
    assert adopt in html
    response = client.post(adopt)
    assert response["Location"] == page_url(participation, "#ergebnisse")
    event = ExitEvent.objects.get()
    assert (event.type, event.occurred_on, event.job_outcome) == ("EMPLOYED", date(2024, 4, 2), job)
    html = client.get(page_url(participation)).content.decode()
    assert adopt not in html
    assert _("adopted") in html
    client.post(adopt)  # a second click changes nothing
    assert ExitEvent.objects.count() == 1
    other = make_case(world.site_a, worker, make_person(world.site_a, "Olga", "Weiß"))
    stranger = JobOutcome.objects.create(case=other, kind="employment", starts_on=date(2024, 4, 2))
    assert (
        client.post(reverse("esf:job_outcome_adopt", args=[participation.pk, stranger.pk])).status_code == 404
    )


def test_readers_cannot_adopt_or_remove(world, login, worker, case, participation):
    job = JobOutcome.objects.create(case=case, kind="employment", starts_on=date(2024, 4, 2))
    event = services.exit_event_add(
        actor=worker, participation=participation, occurred_on=date(2024, 4, 3), type="EMPLOYED"
    )
    client = login(world.user("reader"))
    html = client.get(page_url(participation)).content.decode()
    assert reverse("esf:job_outcome_adopt", args=[participation.pk, job.pk]) not in html
    assert client.post(reverse("esf:job_outcome_adopt", args=[participation.pk, job.pk])).status_code == 403
    assert client.post(reverse("esf:exit_event_delete", args=[participation.pk, event.pk])).status_code == 403
    assert ExitEvent.objects.count() == 1


# The six-month follow-up


def test_the_follow_up_form(login, worker, participation):
    client = login(worker)
    url = reverse("esf:followup_edit", args=[participation.pk])
    assert_form_errors(
        client.post(url, {"followup_6m_status": "EMPLOYED", "followup_6m_recorded_on": "2024-10-01"}),
        "followup_6m_status",
    )
    services.participation_exit(actor=worker, participation=participation, exit_date=date(2024, 3, 31))
    page = client.get(url)
    assert "followup_6m_improved" not in page.context["form"].fields  # not employed at entry
    assert_form_errors(
        client.post(url, {"followup_6m_status": "EMPLOYED", "followup_6m_recorded_on": ""}),
        "followup_6m_recorded_on",
    )
    response = client.post(
        url, {"followup_6m_status": "NO_RESPONSE", "followup_6m_recorded_on": "2024-10-01"}
    )
    assert response["Location"] == page_url(participation, "#nachbefragung")
    assert Participation.objects.get().followup_6m_status == "NO_RESPONSE"


def test_people_employed_at_entry_are_asked_about_improvement(login, worker, participation):
    services.participation_update_entry(
        actor=worker, participation=participation, labour_status_at_entry="EMPLOYED"
    )
    services.participation_exit(actor=worker, participation=participation, exit_date=date(2024, 3, 31))
    client = login(worker)
    url = reverse("esf:followup_edit", args=[participation.pk])
    assert "followup_6m_improved" in client.get(url).context["form"].fields
    client.post(
        url,
        {
            "followup_6m_status": "EMPLOYED",
            "followup_6m_recorded_on": "2024-10-01",
            "followup_6m_improved": "True",
            "followup_6m_improvement": "PROMOTION",
        },
    )
    stored = Participation.objects.get()
    assert (stored.followup_6m_improved, stored.followup_6m_improvement) == (True, "PROMOTION")


# The site's list


def make_participations(world, worker, count, **fields):
    made = []
    for index in range(count):
        person = make_person(world.site_a, f"Vorname{index:02}", "Müller")
        case = make_case(world.site_a, worker, person)
        participation = services.participation_start(actor=worker, case=case, entry_date=ENTRY)
        if fields:
            services.participation_update_entry(actor=worker, participation=participation, **fields)
        made.append(participation)
    return made


COMPLETE = {
    "labour_status_at_entry": "EMPLOYED",
    "school_certificate": "ABITUR",
    "vocational_qualification": "NONE",
    "gender": "F",
    "date_of_birth": date(1990, 1, 1),
}
LIST = reverse("esf:participation_list")


def test_the_list_shows_incomplete_participations_by_default(world, login, worker):
    (incomplete,) = make_participations(world, worker, 1)
    (complete,) = make_participations(world, worker, 1, **COMPLETE)
    client = login(worker)
    response = client.get(LIST)
    assert [row.participation for row, _missing in response.context["rows"]] == [incomplete]
    html = response.content.decode()
    assert _("labour market status at entry") in html
    shown = {row.participation for row, _m in client.get(LIST, {"show": "all"}).context["rows"]}
    assert shown == {incomplete, complete}
    entry = AccessLogEntry.objects.filter(action="esf.participation.list").order_by("pk").last()
    assert sorted(entry.record_ids) == sorted([incomplete.pk, complete.pk])


def test_the_list_filters_due_follow_ups(world, login, worker):
    due, later = make_participations(world, worker, 2, **COMPLETE)
    services.participation_exit(actor=worker, participation=due, exit_date=today() - timedelta(days=190))
    services.participation_exit(actor=worker, participation=later, exit_date=today() - timedelta(days=30))
    response = login(worker).get(LIST, {"show": "followup"})
    assert [row.participation for row, _m in response.context["rows"]] == [due]


def test_the_list_is_for_the_sites_staff(world, login, worker):
    make_participations(world, worker, 1)
    assert login(world.user("other_caseworker")).get(LIST).context["rows"] == []
    for persona in ["coordinator", "steering", "dpo", "admin"]:
        assert login(world.user(persona)).get(LIST).status_code == 403
    assert login(world.user("reader")).get(LIST).status_code == 200


LIST_QUERIES = 15


@pytest.mark.parametrize("rows", [1, 20])
def test_the_list_query_count_does_not_grow_with_rows(
    world, login, worker, rows, django_assert_max_num_queries
):
    made = make_participations(world, worker, rows)
    for participation in made:
        services.exit_event_add(
            actor=worker, participation=participation, occurred_on=date(2024, 3, 1), type="EMPLOYED"
        )
        services.participation_exit(actor=worker, participation=participation, exit_date=date(2024, 3, 1))
    client = login(worker)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST, {"show": "all"})
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize(
    "name",
    [
        "participation_detail",
        "entry_edit",
        "exit_edit",
        "exit_event_create",
        "education_start_create",
        "qualification_create",
        "no_answer_edit",
        "followup_edit",
    ],
)
@pytest.mark.parametrize("persona", ["caseworker", "site_lead"])
def test_every_page_of_a_participation_writes_one_access_log_row(world, login, participation, name, persona):
    user = world.user(persona)
    assert login(user).get(reverse(f"esf:{name}", args=[participation.pk])).status_code == 200
    (entry,) = AccessLogEntry.objects.all()
    assert (entry.action, entry.record_ids, entry.actor_id, entry.role) == (
        "esf.participation.view",
        [participation.pk],
        user.pk,
        persona,
    )
