"""The partner survey in Chromium: the site lead invites a partner to the current survey and copies
its link; the partner answers on a phone without an account; the spent link is refused; the site's
results show one more answer and a new index. axe-core on the answer page and the results page."""

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, Page, expect

from inka.core.demo import demo_generate
from inka.network.models import SurveyWave
from tests.browser.test_shell import log_in, shot

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def current_wave() -> SurveyWave:
    with scopes_disabled():
        return SurveyWave.objects.get(site__code="ALT", year=timezone.localdate().year)


def figures(page: Page) -> tuple[int, str]:
    return int(page.locator("#survey-responded").inner_text()), page.locator("#survey-index").inner_text()


def test_a_partner_answers_through_its_link_and_the_site_index_updates(
    page: Page, browser: Browser, live_server, demo, check_axe
):
    wave = current_wave()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "leitung.alt")

    page.goto(f"{live_server.url}/partner/befragung/")
    expect(page.locator("svg[role=img]")).to_be_visible()
    assert check_axe(page) == []
    shot(page, "survey-1-list")
    page.locator(f"a[href='/partner/befragung/{wave.pk}/']").first.click()
    responded_before, index_before = figures(page)
    assert check_axe(page) == []
    shot(page, "survey-2-results-before")

    # Invite the first partner not invited yet; its link is shown once.
    invite = page.locator("#invite-form")
    invite.locator("input[name=partners]").first.check()
    invite.locator("button[type=submit]").click()
    link = page.locator("#neue-links input[readonly]").first.input_value()
    assert link.startswith(f"{live_server.url}/befragung/")
    expect(page.locator("#neue-links")).to_contain_text(link)
    shot(page, "survey-3-new-link")

    # The partner: another browser, no account, a phone.
    partner = browser.new_context(
        locale="de-DE", viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True
    )
    phone = partner.new_page()
    assert phone.goto(link).status == 200
    expect(phone.get_by_role("heading", level=1)).to_contain_text(str(wave.year))
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert check_axe(phone) == []
    shot(phone, "survey-4-answer-phone")
    questions = phone.locator("#survey-form fieldset")
    # Forgetting a question keeps the answers and marks it.
    for number in range(questions.count() - 1):
        questions.nth(number).locator("input[value='4']").check()
    phone.locator("#survey-form button[type=submit]").click()
    expect(phone.locator("fieldset.kern-fieldset--error")).to_have_count(1)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert check_axe(phone) == []
    shot(phone, "survey-5-answer-missing")
    phone.locator("fieldset.kern-fieldset--error input[value='na']").check()
    phone.locator("#survey-form textarea").fill("Gemeinsame Termine im Stadtteil absprechen.")
    phone.locator("#survey-form button[type=submit]").click()
    expect(phone.locator("#survey-form")).to_have_count(0)
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    shot(phone, "survey-6-thanks")
    # The link is spent.
    assert phone.goto(link).status == 410
    expect(phone.locator("#survey-form")).to_have_count(0)
    shot(phone, "survey-7-link-used")
    partner.close()

    page.goto(f"{live_server.url}/partner/befragung/{wave.pk}/")
    responded_after, index_after = figures(page)
    assert responded_after == responded_before + 1
    assert index_after != index_before
    assert check_axe(page) == []
    shot(page, "survey-8-results-after")
