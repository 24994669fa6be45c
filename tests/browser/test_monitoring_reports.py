"""The quarterly report journey: the site lead looks at the dashboard, writes and submits the report;
the programme coordination returns it with a comment; the site lead revises and resubmits; the
coordination accepts it; the steering group member reads the accepted report. axe-core on every page."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from inka.core.demo import demo_generate
from inka.monitoring.demo import completed_quarters
from inka.monitoring.models import PeriodReport, ReportStatus
from inka.programme.models import Site
from tests.browser.test_shell import log_in, log_out, shot

ACHIEVEMENTS = "Die Sprechstunde im Stadtteilbüro wird gut angenommen."
DIFFICULTIES = "Eine Stelle war zwei Monate unbesetzt."
PLANS = "Eine zweite Sprechstunde im Familienzentrum."
COMMENT = "Bitte erläutern Sie, wie die unbesetzte Stelle aufgefangen wurde."
REVISED = "Die Kollegin aus Gera hat zwei Sprechstunden im Monat übernommen."


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def test_a_quarterly_report_from_writing_to_acceptance(page: Page, live_server, demo, check_axe):
    year, quarter = completed_quarters(timezone.localdate(), 1)[0]
    with scopes_disabled():
        site = Site.objects.get(code="ALT")
        assert not PeriodReport.objects.filter(site=site, year=year, quarter=quarter).exists()
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    def check(name: str) -> None:
        assert check_axe(page) == []
        shot(page, f"reports-{name}")

    # The site lead looks at the dashboard, then starts the report of the last quarter.
    log_in(page, base, "leitung.alt")
    assert page.goto(f"{base}{reverse('monitoring:site_dashboard', args=[site.pk])}").ok
    check("1-dashboard-lead")
    page.goto(f"{base}{reverse('monitoring:report_list')}")
    expect(page.locator("main table tbody tr").first).to_be_visible()  # the demo's earlier reports
    check("2-list-lead")
    page.locator('select[name="year"]').select_option(str(year))
    page.locator('select[name="quarter"]').select_option(str(quarter))
    page.locator("#neuer-bericht button[type=submit]").click()
    page.locator('[name="achievements"]').fill(ACHIEVEMENTS)
    page.locator('[name="difficulties"]').fill(DIFFICULTIES)
    check("3-write")
    # Submitting without plans is refused at the field, and nothing is lost.
    page.locator("button[formaction$='/einreichen/']").click()
    expect(page.locator('[name="achievements"]')).to_have_value(ACHIEVEMENTS)
    expect(page.locator(".kern-error").first).to_be_visible()
    check("4-missing-plans")
    page.locator('[name="plans"]').fill(PLANS)
    page.locator("button[formaction$='/einreichen/']").click()
    expect(page.locator("main")).to_contain_text(PLANS)
    with scopes_disabled():
        report = PeriodReport.objects.get(site=site, year=year, quarter=quarter)
    assert report.status == ReportStatus.SUBMITTED and report.figures
    check("5-submitted")
    log_out(page)

    # The coordination finds it first in the list and returns it with a comment.
    log_in(page, base, "koordination")
    page.goto(f"{base}{reverse('monitoring:report_list')}")
    check("6-list-coordination")
    page.locator(f'main table a[href="{report.get_absolute_url()}"]').click()
    expect(page.locator("#pruefung")).to_be_visible()
    check("7-review")
    page.locator('#pruefung button[value="return"]').click()  # without a comment: refused
    expect(page.locator("#pruefung .kern-error").first).to_be_visible()
    page.locator('[name="comment"]').fill(COMMENT)
    page.locator('#pruefung button[value="return"]').click()
    expect(page.locator("#kommentar")).to_contain_text(COMMENT)
    check("8-returned")
    log_out(page)

    # The site lead reads the comment, revises and submits again.
    log_in(page, base, "leitung.alt")
    page.goto(f"{base}{report.get_absolute_url()}")
    expect(page.locator("#kommentar")).to_contain_text(COMMENT)
    check("9-comment-lead")
    page.locator("form[action$='/ueberarbeiten/'] button").click()
    expect(page.locator("#kommentar")).to_contain_text(COMMENT)
    page.locator('[name="difficulties"]').fill(f"{DIFFICULTIES}\n\n{REVISED}")
    check("10-revise")
    page.locator("button[formaction$='/einreichen/']").click()
    expect(page.locator("main")).to_contain_text(REVISED)
    expect(page.locator("#versionen tbody tr")).to_have_count(2)
    with scopes_disabled():
        revision = PeriodReport.objects.get(site=site, year=year, quarter=quarter, version=2)
    assert revision.status == ReportStatus.SUBMITTED
    check("11-resubmitted")
    log_out(page)

    # The coordination accepts the new version.
    log_in(page, base, "koordination")
    page.goto(f"{base}{revision.get_absolute_url()}")
    page.locator('#pruefung button[value="accept"]').click()
    expect(page.locator("#pruefung")).to_have_count(0)
    with scopes_disabled():
        revision.refresh_from_db()
    assert revision.status == ReportStatus.ACCEPTED
    check("12-accepted")
    log_out(page)

    # The steering group member reads the accepted report, never the returned version.
    log_in(page, base, "steuerung.alt")
    page.goto(f"{base}{reverse('monitoring:report_list')}")
    expect(page.locator(f'main table a[href="{revision.get_absolute_url()}"]')).to_be_visible()
    check("13-list-steering")
    page.locator(f'main table a[href="{revision.get_absolute_url()}"]').click()
    expect(page.locator("main")).to_contain_text(REVISED)
    expect(page.locator("#pruefung")).to_have_count(0)
    check("14-report-steering")
    assert page.goto(f"{base}{report.get_absolute_url()}").status == 404
