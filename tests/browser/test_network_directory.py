"""The partner network in Chromium: a caseworker searches the services directory from a referral and
comes back with the service chosen; the agreement to renew is on the work list; axe-core on every
page, desktop and phone."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from inka.cases.models import Case, Consent
from inka.core.demo import demo_generate
from inka.network.models import Agreement, SitePartner
from tests.browser.test_shell import log_in, shot


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def open_case_at_alt() -> Case:
    with scopes_disabled():
        case = (
            Case.objects.filter(
                site__code="ALT",
                status=Case.Status.OPEN,
                person__consents__purpose=Consent.Purpose.COUNSELLING,
                person__consents__withdrawn_on=None,
            )
            .order_by("pk")
            .first()
        )
    assert case is not None
    return case


def test_a_service_from_the_directory_lands_in_the_referral_form(page: Page, live_server, demo, check_axe):
    case = open_case_at_alt()
    log_in(page, live_server.url, "lotse.alt")
    page.goto(live_server.url + reverse("cases:referral_create", args=[case.pk]))
    assert check_axe(page) == []
    page.locator(f'a[href="{reverse("network:service_list")}?referral={case.pk}"]').click()
    expect(page.locator("article.kern-card").first).to_be_visible()
    assert check_axe(page) == []
    page.locator("#id_q").fill("Schuldnerberatung")
    page.locator("#id_q").press("Enter")
    expect(page.locator("article.kern-card").first).to_be_visible()
    shot(page, "network-directory-referral")
    refer = page.locator(f'a[href^="{reverse("cases:referral_create", args=[case.pk])}?service="]').first
    service_pk = refer.get_attribute("href").rsplit("=", 1)[1]
    refer.click()
    expect(page.locator("#id_service")).to_have_value(service_pk)
    assert page.locator("#id_partner").input_value() != ""
    assert check_axe(page) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_network_pages_pass_axe_on_desktop_and_phone(page: Page, live_server, demo, check_axe, width):
    page.set_viewport_size({"width": width, "height": 900})
    with scopes_disabled():
        link = SitePartner.objects.filter(site__code="ALT", partner__services__isnull=False).first()
        agreement = Agreement.objects.filter(site__code="ALT").first()
    log_in(page, live_server.url, "lotse.alt")
    for name, url in [
        ("directory", reverse("network:service_list")),
        ("partner", reverse("network:partner_detail", args=[link.pk])),
        ("service-form", reverse("network:service_create", args=[link.pk])),
        ("agreements", reverse("network:agreement_list")),
        ("agreement", reverse("network:agreement_detail", args=[agreement.pk])),
        ("renew", reverse("network:agreement_renew", args=[agreement.pk])),
        ("activities", reverse("network:activity_list")),
        ("activity-form", reverse("network:activity_create")),
    ]:
        page.goto(live_server.url + url)
        expect(page.locator(".subnav")).to_be_visible()
        assert check_axe(page) == [], name
        shot(page, f"network-{name}-{width}")


def test_the_agreement_to_renew_is_on_the_work_list_of_lotse_alt(page: Page, live_server, demo):
    log_in(page, live_server.url, "lotse.alt")
    page.goto(live_server.url + reverse("cases:work_list"))
    section = page.locator("section#vereinbarungen")
    expect(section.locator("a[href^='/partner/vereinbarungen/']").first).to_be_visible()
    shot(page, "network-work-list")
