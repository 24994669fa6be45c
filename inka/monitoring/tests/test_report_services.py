"""Period reports: which periods can be reported, the transitions, frozen figures and revisions."""

from datetime import date
from random import Random

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from faker import Faker

from inka.cases.tests.factories import make_contact
from inka.core.demo import DemoContext
from inka.core.models import AuditEntry
from inka.monitoring import demo, services
from inka.monitoring.figures import Figures, exact_figures
from inka.monitoring.models import PeriodReport, ReportStatus

AFTER_Q1 = date(2025, 4, 20)
NARRATIVE = {
    "achievements": "Das Stadtteilfest war gut besucht.",
    "difficulties": "Eine Stelle war drei Monate unbesetzt.",
    "plans": "Sprechstunde im Familienzentrum.",
}


def start(world, year=2025, quarter=1, today=AFTER_Q1):
    return services.report_start(
        actor=world.user("site_lead"), site=world.site_a, year=year, quarter=quarter, today=today
    )


def submitted(world, **fields):
    report = start(world, **fields)
    services.report_save(actor=world.user("site_lead"), report=report, **NARRATIVE)
    return services.report_submit(actor=world.user("site_lead"), report=report, today=AFTER_Q1)


def actions(report):
    return list(
        AuditEntry.objects.filter(object_id=str(report.pk), action__startswith="inka.monitoring.report.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


@pytest.mark.parametrize(
    ("year", "quarter", "today", "field"),
    [
        (2025, 2, date(2025, 5, 31), "quarter"),  # the quarter's last month has not begun
        (2025, None, date(2025, 11, 30), "year"),  # a year from December on
        (2026, 1, date(2025, 12, 31), "year"),  # a future year
        (2012, 4, date(2025, 1, 5), "quarter"),  # before the site began (March 2013)
        (2025, 5, date(2025, 12, 31), "quarter"),
    ],
)
def test_a_period_that_cannot_be_reported_is_refused_at_its_field(world, year, quarter, today, field):
    with pytest.raises(ValidationError) as error:
        start(world, year=year, quarter=quarter, today=today)
    assert list(messages_of(error)) == [field]
    assert not PeriodReport.objects.exists()


def test_a_quarter_can_be_reported_from_its_last_month_and_a_year_from_december(world):
    quarter = start(world, quarter=2, today=date(2025, 6, 1))
    year = start(world, quarter=None, today=date(2025, 12, 1))
    label = gettext("Quarter %(quarter)s/%(year)s") % {"quarter": 2, "year": 2025}
    assert (quarter.period_key, quarter.period_label, quarter.version) == ("2025-Q2", label, 1)
    assert (year.period_key, year.starts_on, year.ends_on) == ("2025", date(2025, 1, 1), date(2025, 12, 31))
    assert quarter.status == year.status == ReportStatus.DRAFT
    assert quarter.figures == {}
    assert actions(quarter) == ["inka.monitoring.report.started"]


def test_a_period_has_one_report(world):
    start(world)
    with pytest.raises(ValidationError) as error:
        start(world)
    assert "quarter" in messages_of(error)
    assert PeriodReport.objects.count() == 1


def test_the_draft_is_saved_and_audited(world):
    report = start(world)
    services.report_save(actor=world.user("site_lead"), report=report, achievements="  Viel erreicht.\r\n ")
    report.refresh_from_db()
    assert report.achievements == "Viel erreicht."
    entry = AuditEntry.objects.get(action="inka.monitoring.report.updated")
    assert entry.changes == {"achievements": ["", "Viel erreicht."]}
    assert entry.site_id == world.site_a.pk


def test_submitting_needs_every_part_of_the_narrative_and_changes_nothing_otherwise(world):
    report = start(world)
    services.report_save(actor=world.user("site_lead"), report=report, achievements="Gut.")
    with pytest.raises(ValidationError) as error:
        services.report_submit(actor=world.user("site_lead"), report=report, today=AFTER_Q1)
    assert set(messages_of(error)) == {"difficulties", "plans"}
    report.refresh_from_db()
    assert (report.status, report.figures, report.submitted_at) == (ReportStatus.DRAFT, {}, None)


def test_submitting_freezes_the_figures_of_the_period(world):
    caseworker = world.user("caseworker")
    make_contact(world.site_a, caseworker, occurred_on=date(2025, 2, 3))
    make_contact(world.site_a, caseworker, occurred_on=date(2024, 3, 3))  # the same quarter a year earlier
    make_contact(world.site_b, world.user("other_caseworker"), occurred_on=date(2025, 2, 3))
    report = submitted(world)
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == world.user("site_lead") and report.submitted_at is not None
    figures = Figures.from_json(report.figures)
    # Counted as of the end of the quarter, so the quarter and the one a year earlier are complete.
    assert figures.calendar.today == date(2025, 3, 31)
    assert figures.site_ids == (world.site_a.pk,)
    assert figures.number("contacts.total", world.site_a.pk, "2025-Q1") == 1
    assert figures.number("contacts.total", world.site_a.pk, "2024-Q1") == 1
    assert actions(report) == [
        "inka.monitoring.report.started",
        "inka.monitoring.report.updated",
        "inka.monitoring.report.submitted",
    ]


def test_a_correction_after_submission_does_not_change_the_submitted_figures(world):
    caseworker = world.user("caseworker")
    contact = make_contact(world.site_a, caseworker, occurred_on=date(2025, 2, 3))
    report = submitted(world)
    make_contact(world.site_a, caseworker, occurred_on=date(2025, 3, 10))
    contact.occurred_on = date(2025, 1, 5)
    contact.save()
    report.refresh_from_db()
    assert Figures.from_json(report.figures).number("contacts.total", world.site_a.pk, "2025-Q1") == 1
    live = exact_figures(site_ids=[world.site_a.pk], today=date(2025, 3, 31), codes=["contacts.total"])
    assert live.number("contacts.total", world.site_a.pk, "2025-Q1") == 2


def test_a_running_quarter_is_counted_up_to_today(world):
    report = start(world, quarter=2, today=date(2025, 6, 10))
    assert services.figures_day(report, date(2025, 6, 10)) == date(2025, 6, 10)
    assert services.figures_day(report, date(2025, 8, 1)) == date(2025, 6, 30)


def test_the_coordination_returns_with_a_comment_only(world):
    report = submitted(world)
    coordinator = world.user("coordinator")
    with pytest.raises(ValidationError) as error:
        services.report_return(actor=coordinator, report=report, comment="  ")
    assert list(messages_of(error)) == ["comment"]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    services.report_return(actor=coordinator, report=report, comment="Bitte die Zahlen erläutern.")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert (report.reviewed_by, report.review_comment) == (coordinator, "Bitte die Zahlen erläutern.")
    assert actions(report)[-1] == "inka.monitoring.report.returned"


def test_the_coordination_accepts_with_or_without_a_comment(world):
    report = submitted(world)
    services.report_accept(actor=world.user("coordinator"), report=report)
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (ReportStatus.ACCEPTED, "")
    assert actions(report)[-1] == "inka.monitoring.report.accepted"


@pytest.mark.parametrize(
    ("status", "service"),
    [
        (ReportStatus.DRAFT, "report_return"),
        (ReportStatus.DRAFT, "report_accept"),
        (ReportStatus.DRAFT, "report_revise"),
        (ReportStatus.SUBMITTED, "report_submit"),
        (ReportStatus.SUBMITTED, "report_save"),
        (ReportStatus.SUBMITTED, "report_revise"),
        (ReportStatus.RETURNED, "report_accept"),
        (ReportStatus.RETURNED, "report_save"),
        (ReportStatus.ACCEPTED, "report_return"),
        (ReportStatus.ACCEPTED, "report_submit"),
    ],
)
def test_only_legal_transitions_are_allowed(world, status, service):
    report = start(world)
    PeriodReport.objects.filter(pk=report.pk).update(status=status, **NARRATIVE)
    arguments = {"report_return": {"comment": "Bitte ergänzen."}, "report_save": {"plans": "Neu"}}
    with pytest.raises(ValidationError) as error:
        getattr(services, service)(actor=world.user("site_lead"), report=report, **arguments.get(service, {}))
    assert error.value.messages
    stored = PeriodReport.objects.get(pk=report.pk)
    assert (stored.status, stored.plans) == (status, NARRATIVE["plans"])
    assert PeriodReport.objects.count() == 1


def test_a_revision_is_a_new_version_and_the_old_one_stays(world):
    report = submitted(world)
    services.report_return(actor=world.user("coordinator"), report=report, comment="Bitte ergänzen.")
    revision = services.report_revise(actor=world.user("site_lead"), report=report)
    assert (revision.version, revision.status, revision.figures) == (2, ReportStatus.DRAFT, {})
    assert {name: getattr(revision, name) for name in NARRATIVE} == NARRATIVE
    old = PeriodReport.objects.get(pk=report.pk)
    assert (old.status, old.review_comment, old.figures) == (
        ReportStatus.RETURNED,
        "Bitte ergänzen.",
        report.figures,
    )
    with pytest.raises(ValidationError):  # only the latest version is revised
        services.report_revise(actor=world.user("site_lead"), report=old)
    services.report_submit(actor=world.user("site_lead"), report=revision, today=AFTER_Q1)
    services.report_accept(actor=world.user("coordinator"), report=revision)
    third = services.report_revise(actor=world.user("site_lead"), report=revision)
    assert third.version == 3
    assert actions(third) == ["inka.monitoring.report.revised"]


def test_a_period_has_at_most_one_version_in_progress(world):
    report = start(world)
    with pytest.raises(ValidationError):
        PeriodReport(site=world.site_a, year=2025, quarter=1, version=2).full_clean()
    yearly = start(world, quarter=None, today=date(2025, 12, 5))
    with pytest.raises(ValidationError):
        PeriodReport(site=world.site_a, year=2025, quarter=None, version=1).full_clean()
    assert report.pk != yearly.pk


def test_the_demo_writes_reviewed_and_waiting_reports_with_frozen_figures(world):
    ctx = DemoContext(seed=1, rng=Random(1), faker=Faker("de_DE"))
    ctx.sites = {"NORD": world.site_a, "SUED": world.site_b}
    ctx.users = {"koordination": world.user("coordinator")}
    make_contact(world.site_a, world.user("caseworker"), occurred_on=timezone.localdate().replace(day=1))
    demo.generate(ctx)
    reports = PeriodReport.objects.filter(site=world.site_a)
    latest = demo.completed_quarters(timezone.localdate(), 1)[0]
    assert reports.get(year=latest[0] - 1, quarter=None).status == ReportStatus.ACCEPTED
    assert reports.get(year=latest[0], quarter=latest[1]).status == ReportStatus.SUBMITTED
    assert all(report.figures["site_ids"] == [world.site_a.pk] for report in reports)
    assert all(report.submitted_at for report in reports)
    assert PeriodReport.objects.filter(site=world.site_b).count() == reports.count()
    demo.generate(ctx)  # a second run adds nothing
    assert PeriodReport.objects.count() == 2 * reports.count()
