"""The period report pages: writing, submitting, reviewing and revising; who sees what; frozen figures."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from inka.cases.tests.factories import make_contact
from inka.monitoring import services
from inka.monitoring.document import Cell, Document, Table
from inka.monitoring.models import PeriodReport, ReportStatus

NARRATIVE = {
    "achievements": "Das Stadtteilfest war gut besucht.",
    "difficulties": "Eine Stelle war drei Monate unbesetzt.",
    "plans": "Sprechstunde im Familienzentrum.",
}
TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


def report(world, *, quarter=1, year=LAST_YEAR, status=ReportStatus.SUBMITTED, comment="Bitte ergänzen."):
    """A report of site A of last year in `status`, made through the services."""
    lead, coordinator = world.user("site_lead"), world.user("coordinator")
    found = services.report_start(actor=lead, site=world.site_a, year=year, quarter=quarter)
    if status == ReportStatus.DRAFT:
        return found
    services.report_save(actor=lead, report=found, **NARRATIVE)
    found = services.report_submit(actor=lead, report=found)
    if status == ReportStatus.ACCEPTED:
        found = services.report_accept(actor=coordinator, report=found)
    elif status == ReportStatus.RETURNED:
        found = services.report_return(actor=coordinator, report=found, comment=comment)
    return found


def table(document: Document, key: str) -> Table:
    return next(
        block
        for section in document.sections
        for block in section.blocks
        if isinstance(block, Table) and block.key == key
    )


def contacts_cell(document: Document) -> Cell:
    """The report's own period in the row of all counselling contacts."""
    row = next(row for row in table(document, "case_work").rows if row.url.endswith("#contacts-total"))
    return row.cells[0]


# Writing and submitting


def test_the_site_lead_starts_writes_and_submits_a_report(world, login):
    client = login(world.user("site_lead"))
    page = client.get(reverse("monitoring:report_list"))
    assert page.status_code == 200
    assert "start_form" in page.context and page.context["start_form"] is not None

    response = client.post(reverse("monitoring:report_create"), {"year": LAST_YEAR, "quarter": "3"})
    draft = PeriodReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "monitoring:report_edit", args=[draft.pk]
    )
    assert (draft.year, draft.quarter, draft.status) == (LAST_YEAR, 3, ReportStatus.DRAFT)

    response = client.post(reverse("monitoring:report_edit", args=[draft.pk]), {**NARRATIVE, "plans": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.achievements, draft.plans) == (NARRATIVE["achievements"], "")
    assert client.get(draft.get_absolute_url()).status_code == 200

    response = client.post(reverse("monitoring:report_submit", args=[draft.pk]), NARRATIVE)
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED and draft.plans == NARRATIVE["plans"]
    assert draft.figures["today"] == date(LAST_YEAR, 9, 30).isoformat()


def test_a_future_period_is_refused_at_its_field_and_nothing_is_written(world, login):
    client = login(world.user("site_lead"))
    response = client.post(reverse("monitoring:report_create"), {"year": TODAY.year + 1, "quarter": "1"})
    assert response.status_code == 400
    assert response.context["start_form"].errors["year"]
    response = client.post(reverse("monitoring:report_create"), {"year": "abc", "quarter": "9"})
    assert response.status_code == 400
    assert set(response.context["start_form"].errors) == {"year", "quarter"}
    assert not PeriodReport.objects.exists()


def test_an_incomplete_narrative_is_not_submitted_and_not_saved_either(world, login):
    draft = report(world, status=ReportStatus.DRAFT)
    client = login(world.user("site_lead"))
    response = client.post(
        reverse("monitoring:report_submit", args=[draft.pk]), {**NARRATIVE, "difficulties": " "}
    )
    assert response.status_code == 400
    message = _("Please write this part of the report before submitting it.")
    assert response.context["form"].errors["difficulties"] == [message]
    assert escape(message) in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.achievements, draft.figures) == (ReportStatus.DRAFT, "", {})


def test_only_the_site_lead_writes_and_only_a_draft(world, login):
    draft = report(world, status=ReportStatus.DRAFT)
    for persona in ("caseworker", "reader", "steering", "coordinator"):
        client = login(world.user(persona))
        assert client.get(reverse("monitoring:report_edit", args=[draft.pk])).status_code == 403
        assert client.post(reverse("monitoring:report_submit", args=[draft.pk]), NARRATIVE).status_code == 403
    assert login(world.user("other_caseworker")).get(draft.get_absolute_url()).status_code == 404
    submitted = report(world, quarter=2)
    response = login(world.user("site_lead")).get(reverse("monitoring:report_edit", args=[submitted.pk]))
    assert response.status_code == 302 and response["Location"] == submitted.get_absolute_url()


# Review and revision


def test_the_coordination_returns_with_a_comment_and_the_site_revises(world, login):
    submitted = report(world)
    coordination = login(world.user("coordinator"))
    page = coordination.get(submitted.get_absolute_url())
    assert page.status_code == 200 and page.context["review_form"] is not None

    url = reverse("monitoring:report_review", args=[submitted.pk])
    response = coordination.post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 400
    assert response.context["review_form"].errors["comment"]
    response = coordination.post(url, {"comment": "Gut."})  # neither return nor accept
    assert response.status_code == 400 and response.context["review_form"].non_field_errors()
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED

    response = coordination.post(url, {"decision": "return", "comment": "Bitte die Zahlen erläutern."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.review_comment) == (
        ReportStatus.RETURNED,
        "Bitte die Zahlen erläutern.",
    )

    lead = login(world.user("site_lead"))
    page = lead.get(submitted.get_absolute_url())
    assert "Bitte die Zahlen erläutern." in page.content.decode() and page.context["can_revise"]
    response = lead.post(reverse("monitoring:report_revise", args=[submitted.pk]))
    revision = PeriodReport.objects.get(version=2)
    assert response["Location"] == reverse("monitoring:report_edit", args=[revision.pk])
    assert "Bitte die Zahlen erläutern." in lead.get(response["Location"]).content.decode()
    lead.post(reverse("monitoring:report_submit", args=[revision.pk]), NARRATIVE)

    response = login(world.user("coordinator")).post(
        reverse("monitoring:report_review", args=[revision.pk]), {"decision": "accept", "comment": ""}
    )
    assert response.status_code == 302
    assert list(PeriodReport.objects.order_by("version").values_list("status", flat=True)) == [
        ReportStatus.RETURNED,
        ReportStatus.ACCEPTED,
    ]
    page = login(world.user("site_lead")).get(revision.get_absolute_url())
    assert [version.version for version in page.context["versions"]] == [1, 2]


def test_a_draft_is_not_reviewed(world, login):
    draft = report(world, status=ReportStatus.DRAFT)
    client = login(world.user("coordinator"))
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = client.post(reverse("monitoring:report_review", args=[draft.pk]), {"decision": "accept"})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


# Who sees what


def test_the_steering_group_sees_accepted_versions_only(world, login):
    submitted = report(world, quarter=1)
    accepted = report(world, quarter=2, status=ReportStatus.ACCEPTED)
    client = login(world.user("steering"))
    assert client.get(submitted.get_absolute_url()).status_code == 404
    page = client.get(accepted.get_absolute_url())
    assert page.status_code == 200
    assert page.context["review_form"] is None and not page.context["can_revise"]
    listed = client.get(reverse("monitoring:report_list")).context["page"].object_list
    assert [found.pk for found in listed] == [accepted.pk]
    revision = services.report_revise(actor=world.user("site_lead"), report=accepted)
    assert client.get(revision.get_absolute_url()).status_code == 404
    assert [version.pk for version in client.get(accepted.get_absolute_url()).context["versions"]] == [
        accepted.pk
    ]
    assert [
        found.pk for found in client.get(reverse("monitoring:report_list")).context["page"].object_list
    ] == [accepted.pk]


def test_the_team_sees_exact_figures_and_everyone_else_published_ones(world, login):
    make_contact(world.site_a, world.user("caseworker"), occurred_on=date(LAST_YEAR, 2, 3))
    accepted = report(world, status=ReportStatus.ACCEPTED)
    team = login(world.user("reader")).get(accepted.get_absolute_url()).context["document"]
    assert contacts_cell(team) == Cell(1)
    for persona in ("steering", "coordinator"):
        outside = login(world.user(persona)).get(accepted.get_absolute_url()).context["document"]
        assert contacts_cell(outside).hidden and contacts_cell(outside).value is None
        # Breakdowns are published for whole years only.
        assert not any(
            block.key.startswith("contacts.total.")
            for section in outside.sections
            for block in section.blocks
            if isinstance(block, Table)
        )
    assert any(
        block.key == "contacts.total.mode"
        for section in team.sections
        for block in section.blocks
        if isinstance(block, Table)
    )
    for persona in ("dpo", "admin"):
        assert login(world.user(persona)).get(accepted.get_absolute_url()).status_code == 403


def test_a_correction_after_submission_leaves_the_report_and_changes_the_live_figures(world, login):
    contact = make_contact(world.site_a, world.user("caseworker"), occurred_on=date(LAST_YEAR, 2, 3))
    submitted = report(world)
    draft = report(world, quarter=2, status=ReportStatus.DRAFT)
    client = login(world.user("site_lead"))
    assert contacts_cell(client.get(submitted.get_absolute_url()).context["document"]) == Cell(1)
    dashboard = reverse("monitoring:site_dashboard", args=[world.site_a.pk])
    before = client.get(dashboard)
    assert before.status_code == 200

    contact.occurred_on = date(LAST_YEAR, 5, 3)  # corrected: it took place in the second quarter
    contact.save()
    make_contact(world.site_a, world.user("caseworker"), occurred_on=date(LAST_YEAR, 5, 4))

    assert contacts_cell(client.get(submitted.get_absolute_url()).context["document"]) == Cell(1)
    assert contacts_cell(client.get(draft.get_absolute_url()).context["document"]) == Cell(
        2
    )  # a draft is live
    after = client.get(dashboard)
    assert before.context["document"] != after.context["document"]


# The list


def test_the_coordination_lists_submitted_reports_first_and_filters(world, login):
    accepted = report(world, quarter=1, status=ReportStatus.ACCEPTED)
    submitted = report(world, quarter=2)
    report(world, quarter=3, status=ReportStatus.DRAFT)
    client = login(world.user("coordinator"))
    page = client.get(reverse("monitoring:report_list"))
    assert [found.pk for found in page.context["page"].object_list] == [submitted.pk, accepted.pk]
    page = client.get(reverse("monitoring:report_list"), {"status": "accepted", "year": LAST_YEAR})
    assert [found.pk for found in page.context["page"].object_list] == [accepted.pk]
    response = client.get(reverse("monitoring:report_list"), {"status": "draft", "year": "1999"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"status", "year"}


@pytest.mark.parametrize("persona", ["site_lead", "coordinator"])
def test_the_list_needs_the_same_queries_for_one_report_and_twenty(
    world, login, persona, django_assert_max_num_queries
):
    def make(count: int) -> None:
        PeriodReport.objects.all().delete()
        PeriodReport.objects.bulk_create(
            PeriodReport(
                site=world.site_a,
                year=2024 - index // 4,
                quarter=index % 4 + 1,
                status=ReportStatus.SUBMITTED,
                submitted_at=timezone.now(),
                submitted_by=world.user("site_lead"),
            )
            for index in range(count)
        )

    client = login(world.user(persona))
    for count in (1, 20):
        make(count)
        with django_assert_max_num_queries(11):
            page = client.get(reverse("monitoring:report_list"))
        assert len(page.context["page"].object_list) == count


# The programme report


def test_the_programme_report_assembles_the_accepted_yearly_reports(world, login):
    year = TODAY.year - 1
    for day in range(5):
        make_contact(world.site_a, world.user("caseworker"), occurred_on=date(year, 3, day + 1))
    accepted = report(world, quarter=None, year=year, status=ReportStatus.ACCEPTED)
    client = login(world.user("coordinator"))
    page = client.get(reverse("monitoring:programme_report", args=[year]))
    assert page.status_code == 200
    document = page.context["document"]
    overview = table(document, "sites")
    assert [row.label for row in overview.rows] == [world.site_a.name]
    assert overview.rows[0].url == accepted.get_absolute_url()
    assert overview.rows[0].cells[0] == Cell(5)  # counselling contacts, published (5 ≥ k)
    assert world.site_b.name in page.content.decode()  # listed without an accepted report
    assert NARRATIVE["plans"] in page.content.decode()
    for persona in ("site_lead", "steering", "dpo"):
        assert (
            login(world.user(persona)).get(reverse("monitoring:programme_report", args=[year])).status_code
            == 403
        )
    client = login(world.user("coordinator"))
    assert client.get(reverse("monitoring:programme_report", args=[TODAY.year + 1])).status_code == 404


# Downloads


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv"),
        ("pdf", "application/pdf"),
    ],
)
def test_the_report_downloads_as_the_page_shows_it(world, login, fmt, content_type):
    accepted = report(world, status=ReportStatus.ACCEPTED)
    for persona in ("site_lead", "steering"):
        response = login(world.user(persona)).get(
            reverse("monitoring:report_export", args=[accepted.pk, fmt])
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
        assert accepted.period_key.lower() in response["Content-Disposition"]
    response = login(world.user("coordinator")).get(
        reverse("monitoring:programme_report_export", args=[LAST_YEAR, fmt])
    )
    assert response.status_code == 200 and response["Content-Type"].startswith(content_type)


def test_an_unknown_download_format_is_not_found(world, login):
    accepted = report(world, status=ReportStatus.ACCEPTED)
    client = login(world.user("site_lead"))
    assert client.get(reverse("monitoring:report_export", args=[accepted.pk, "docx"])).status_code == 404
