from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.cases.access import CaseAccess
from inka.cases.tests.factories import make_case, make_person
from inka.core.models import AccessLogEntry, AuditEntry
from inka.employment.models import (
    Application,
    Barrier,
    BarrierAssessment,
    BarrierRating,
    CareerPlan,
    JobOutcome,
)
from inka.employment.views import case_section_context

INTAKE, REVIEW = BarrierAssessment.Kind.INTAKE, BarrierAssessment.Kind.REVIEW


@pytest.fixture
def case(world):
    return make_case(world.site_a, world.user("caseworker"))


def intake(case, **ratings):
    assessment = BarrierAssessment.objects.create(
        case=case, assessed_on=date(2024, 1, 15), kind=INTAKE, assessed_by=case.caseworker
    )
    BarrierRating.objects.bulk_create(
        BarrierRating(assessment=assessment, barrier=barrier, severity=severity)
        for barrier, severity in (ratings or {"debts": 3}).items()
    )
    return assessment


def application(case):
    return Application.objects.create(
        case=case, employer="Netto", position="Verkäuferin", applied_on=date(2024, 2, 1)
    )


def job_outcome(case):
    return JobOutcome.objects.create(case=case, kind=JobOutcome.Kind.MINI_JOB, starts_on=date(2024, 3, 1))


def back_to_case(case):
    return case.get_absolute_url() + "#arbeit"


# Happy paths


def test_caseworker_records_the_intake_assessment(world, login, case):
    client = login(world.user("caseworker"))
    url = reverse("employment:barrier_assessment_create", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert case.reference in html
    assert "Müller" in html
    assert str(Barrier.ADDICTION.label) in html  # writers see the special categories
    assert not AccessLogEntry.objects.exists()  # the empty form shows no case content
    response = client.post(
        url,
        {"assessed_on": "2024-01-15", "barrier_debts": "3", "barrier_addiction": "2", "barrier_language": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == back_to_case(case)
    assessment = BarrierAssessment.objects.get()
    assert assessment.kind == INTAKE
    assert dict(assessment.ratings.values_list("barrier", "severity")) == {"debts": 3, "addiction": 2}
    assert AuditEntry.objects.filter(action="inka.barriers.assessed", data__case=case.pk).count() == 1


def test_the_next_assessment_is_a_review_that_starts_from_the_latest_ratings(world, login, case):
    intake(case, debts=3, language=2)
    client = login(world.user("site_lead"))
    url = reverse("employment:barrier_assessment_create", args=[case.pk])
    page = client.get(url)
    assert str(REVIEW.label) in page.content.decode()
    form = page.context["form"]
    assert (form["barrier_debts"].value(), form["barrier_language"].value()) == (3, 2)
    assert form["assessed_on"].value() == timezone.localdate()
    assert AccessLogEntry.objects.get().record_ids == [case.pk]  # the stored ratings were shown
    response = client.post(url, {"assessed_on": "2024-04-01", "barrier_debts": "1"})
    assert response.status_code == 302
    assert BarrierAssessment.objects.filter(kind=REVIEW).count() == 1


def test_caseworker_corrects_an_assessment_and_the_view_is_logged(world, login, case):
    assessment = intake(case, debts=3, health=2)
    client = login(world.user("caseworker"))
    url = reverse("employment:barrier_assessment_edit", args=[case.pk, assessment.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["barrier_health"].value() == 2
    log = AccessLogEntry.objects.get()
    assert (log.action, log.site_id, log.record_ids) == ("view", case.site_id, [case.pk])
    response = client.post(url, {"assessed_on": "2024-01-15", "barrier_debts": "2", "barrier_health": "2"})
    assert response.status_code == 302
    assert dict(assessment.ratings.values_list("barrier", "severity")) == {"debts": 2, "health": 2}
    assert AuditEntry.objects.get(action="inka.barriers.updated").changes == {"ratings.debts": [3, 2]}


def test_caseworker_writes_down_the_career_perspective(world, login, case):
    client = login(world.user("caseworker"))
    url = reverse("employment:career_plan_edit", args=[case.pk])
    assert client.get(url).status_code == 200
    assert not AccessLogEntry.objects.exists()
    data = {"target_occupation": "Koch", "perspective": "Großküche", "action_plan": "1. Lebenslauf"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == back_to_case(case)
    assert CareerPlan.objects.get(case=case).target_occupation == "Koch"
    assert "Großküche" in client.get(url).content.decode()
    assert AccessLogEntry.objects.count() == 1  # now the page shows stored content


def test_caseworker_adds_and_changes_an_application(world, login, case):
    client = login(world.user("caseworker"))
    url = reverse("employment:application_create", args=[case.pk])
    assert client.get(url).status_code == 200
    data = {"employer": "Netto", "position": "Verkäuferin", "applied_on": "2024-02-01", "outcome": "pending"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == back_to_case(case)
    added = Application.objects.get(case=case)
    edit = reverse("employment:application_edit", args=[case.pk, added.pk])
    assert client.get(edit).status_code == 200
    assert AccessLogEntry.objects.count() == 1
    assert client.post(edit, {**data, "outcome": "interview"}).status_code == 302
    added.refresh_from_db()
    assert added.outcome == Application.Outcome.INTERVIEW
    assert AuditEntry.objects.get(action="inka.application.updated").changes == {
        "outcome": ["pending", "interview"]
    }


def test_caseworker_records_and_changes_a_job_outcome(world, login, case):
    client = login(world.user("caseworker"))
    url = reverse("employment:job_outcome_create", args=[case.pk])
    assert client.get(url).status_code == 200
    data = {"kind": "employment", "starts_on": "2024-05-01", "employer_or_provider": "Netto"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == back_to_case(case)
    outcome = JobOutcome.objects.get(case=case)
    edit = reverse("employment:job_outcome_edit", args=[case.pk, outcome.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {**data, "ends_on": "2024-10-31"}).status_code == 302
    outcome.refresh_from_db()
    assert outcome.ends_on == date(2024, 10, 31)
    assert AuditEntry.objects.filter(action__startswith="inka.job_outcome.", data__case=case.pk).count() == 2


# Who may: other site 404, wrong role 403, anonymous to the login


def all_urls(case):
    assessment, added, outcome = intake(case), application(case), job_outcome(case)
    return [
        reverse("employment:barrier_assessment_create", args=[case.pk]),
        reverse("employment:barrier_assessment_edit", args=[case.pk, assessment.pk]),
        reverse("employment:career_plan_edit", args=[case.pk]),
        reverse("employment:application_create", args=[case.pk]),
        reverse("employment:application_edit", args=[case.pk, added.pk]),
        reverse("employment:job_outcome_create", args=[case.pk]),
        reverse("employment:job_outcome_edit", args=[case.pk, outcome.pk]),
    ]


def test_caseworker_of_another_site_gets_404_everywhere(world, login, case):
    client = login(world.user("other_caseworker"))
    for url in all_urls(case):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"assessed_on": "2024-01-15", "barrier_debts": "1"}).status_code == 404, url
    assert BarrierAssessment.objects.count() == 1


@pytest.mark.parametrize("persona", ["reader", "steering"])
def test_readers_and_the_steering_group_get_403_and_change_nothing(world, login, case, persona):
    client = login(world.user(persona))
    urls = all_urls(case)
    for url in urls:
        assert client.get(url).status_code == 403, url
    data = {"assessed_on": "2024-02-01", "barrier_debts": "1", "perspective": "x", "employer": "x"}
    for url in urls:
        assert client.post(url, data).status_code == 403, url
    assert BarrierAssessment.objects.count() == 1
    assert not CareerPlan.objects.exists()
    assert not AuditEntry.objects.exists()


def test_anonymous_users_are_sent_to_the_login(world, client, case):
    for url in all_urls(case):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_parts_of_another_case_are_not_found(world, login, case):
    other = make_case(world.site_a, case.caseworker, make_person(world.site_a, "Anna", "Schmidt"))
    client = login(world.user("caseworker"))
    foreign = [
        reverse("employment:barrier_assessment_edit", args=[case.pk, intake(other).pk]),
        reverse("employment:application_edit", args=[case.pk, application(other).pk]),
        reverse("employment:job_outcome_edit", args=[case.pk, job_outcome(other).pk]),
    ]
    for url in foreign:
        assert client.get(url).status_code == 404, url


# Bad input: 400, the error at the field, nothing written


@pytest.mark.parametrize(
    ("url_name", "data", "field", "message"),
    [
        (
            "employment:application_create",
            {
                "employer": "Netto",
                "position": "Verkäuferin",
                "applied_on": "{tomorrow}",
                "outcome": "pending",
            },
            "applied_on",
            "The date must not be in the future.",
        ),
        (
            "employment:application_create",
            {"employer": "", "position": "Verkäuferin", "applied_on": "2024-02-01", "outcome": "pending"},
            "employer",
            "This field is required.",
        ),
        (
            "employment:job_outcome_create",
            {"kind": "training", "starts_on": "2024-03-01", "ends_on": "2024-02-01"},
            "ends_on",
            "The end must not be before the start.",
        ),
        (
            "employment:job_outcome_create",
            {"kind": "employment", "starts_on": "{tomorrow}"},
            "starts_on",
            "The date must not be in the future.",
        ),
        (
            "employment:job_outcome_create",
            {"kind": "lottery", "starts_on": "2024-03-01"},
            "kind",
            "gültige Auswahl",
        ),
        (
            "employment:career_plan_edit",
            {"target_occupation": "Koch"},
            "perspective",
            "This field is required.",
        ),
        (
            "employment:barrier_assessment_create",
            {"assessed_on": "{tomorrow}", "barrier_debts": "2"},
            "assessed_on",
            "The date must not be in the future.",
        ),
        (
            "employment:barrier_assessment_create",
            {"assessed_on": "2024-01-15", "barrier_debts": "7"},
            "barrier_debts",
            "gültige Auswahl",
        ),
    ],
)
def test_bad_input_shows_the_error_at_the_field_and_writes_nothing(
    world, login, case, url_name, data, field, message
):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = {key: value.replace("{tomorrow}", tomorrow) for key, value in data.items()}
    response = login(world.user("caseworker")).post(reverse(url_name, args=[case.pk]), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert _(message) in " ".join(errors[field])
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert 'aria-invalid="true"' in html
    for model in (BarrierAssessment, CareerPlan, Application, JobOutcome):
        assert not model.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_assessment_without_any_rating_is_refused(world, login, case):
    response = login(world.user("caseworker")).post(
        reverse("employment:barrier_assessment_create", args=[case.pk]), {"assessed_on": "2024-01-15"}
    )
    assert response.status_code == 400
    assert _("Rate at least one placement barrier.") in response.context["form"].non_field_errors()
    assert not BarrierAssessment.objects.exists()


def test_a_closed_case_takes_nothing_and_the_form_says_so(world, login):
    case = make_case(world.site_a, world.user("caseworker"), status="closed", closed_on=date(2024, 6, 30))
    client = login(world.user("caseworker"))
    url = reverse("employment:application_create", args=[case.pk])
    assert _("The case is closed. Reopen it to add something.") in client.get(url).content.decode()
    data = {"employer": "Netto", "position": "Verkäuferin", "applied_on": "2024-02-01", "outcome": "pending"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert _("The case is closed. Reopen it to add something.") in response.context["form"].non_field_errors()
    assert not Application.objects.exists()


# The section on the case page


def render_section(case, *, can_write, can_see_special):
    """The section's partial as the case page renders it, with views.case_section_context."""
    access = CaseAccess(case.site_id, can_write=can_write, can_see_special=can_see_special)
    return render_to_string("employment/_case_section.html", case_section_context(case, access))


def case_with_everything(world):
    case = make_case(world.site_a, world.user("caseworker"))
    first = intake(case, debts=3, health=2, addiction=3, criminal_record=1)
    review = BarrierAssessment.objects.create(
        case=case, assessed_on=date(2024, 5, 1), kind=REVIEW, assessed_by=case.caseworker
    )
    BarrierRating.objects.bulk_create(
        BarrierRating(assessment=review, barrier=barrier, severity=severity)
        for barrier, severity in {"debts": 1, "health": 2, "addiction": 1}.items()
    )
    CareerPlan.objects.create(case=case, perspective="Großküche", target_occupation="Koch")
    application(case)
    job_outcome(case)
    return case, first


SPECIAL_WORDS = ["Sucht", "Gesundheit", "Vorstrafe", "addiction", "health", "criminal"]


def test_section_for_a_reader_holds_no_special_category_and_no_edit_links(world):
    case, _first = case_with_everything(world)
    html = render_section(case, can_write=False, can_see_special=False)
    for barrier in (Barrier.HEALTH, Barrier.ADDICTION, Barrier.CRIMINAL_RECORD):
        assert str(barrier.label) not in html
    for word in SPECIAL_WORDS:
        assert word.lower() not in html.lower()
    assert str(Barrier.DEBTS.label) in html
    assert "Großküche" in html and "Netto" in html
    assert "/arbeit/" not in html  # no add or edit links


def test_section_for_a_caseworker_shows_every_barrier_its_change_and_the_links(world):
    case, first = case_with_everything(world)
    html = render_section(case, can_write=True, can_see_special=True)
    assert str(Barrier.ADDICTION.label) in html
    assert str(Barrier.HEALTH.label) in html
    assert "3 → 1" in html  # debts: from severe to slight
    assert reverse("employment:barrier_assessment_edit", args=[case.pk, first.pk]) in html
    assert reverse("employment:application_create", args=[case.pk]) in html
    assert 'id="h-arbeit"' in html
    assert "<caption" in html


def test_section_of_a_closed_case_has_no_edit_links(world):
    case, _first = case_with_everything(world)
    case.status, case.closed_on = "closed", date(2024, 6, 30)
    html = render_section(case, can_write=True, can_see_special=True)
    assert "/arbeit/" not in html


def test_case_page_shows_a_reader_the_section_without_special_categories(world, login):
    case, _first = case_with_everything(world)
    response = login(world.user("reader")).get(case.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="arbeit"' in html
    assert str(Barrier.DEBTS.label) in html
    for barrier in (Barrier.HEALTH, Barrier.ADDICTION, Barrier.CRIMINAL_RECORD):
        assert f'<th scope="row">{barrier.label}</th>' not in html
    assert "Sucht" not in html
