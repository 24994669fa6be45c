"""The steering group journey: the site lead plans a meeting and records its minutes with a decision
and an action item for the caseworker, who finds it on the work list; the steering group member reads
the group, its meetings and the way to the site's figures, and nothing else; axe-core on every page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from inka.core.demo import demo_generate
from inka.steering.models import Meeting, Member, SteeringGroup
from tests.browser.test_shell import log_in, log_out, shot

AGENDA = ["Begrüßung und Bestätigung des Protokolls", "Spielplatz am Nordplatz"]
DECISION = "Der Spielplatz am Nordplatz wird im Frühjahr erneuert."
ACTION = "Angebote für neue Spielgeräte einholen"


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def test_a_meeting_from_agenda_to_work_list_and_the_steering_members_view(
    page: Page, live_server, demo, check_axe
):
    today = timezone.localdate()
    with scopes_disabled():
        group = SteeringGroup.objects.get(site__code="ALT")
        lotse = Member.objects.get(group=group, user__email="lotse.alt@inka.example")
        other_site_meeting = Meeting.objects.exclude(group=group).first()
    assert other_site_meeting is not None
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # The site lead plans today's meeting with two agenda items.
    log_in(page, base, "leitung.alt")
    page.goto(f"{base}{reverse('steering:group_home')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(group.name)
    assert check_axe(page) == []
    shot(page, "steering-1-group-lead")
    page.locator(f'a[href="{reverse("steering:meeting_create", args=[group.pk])}"]').first.click()
    page.locator('[name="held_on"]').fill(today.isoformat())
    page.locator('[name="starts_at"]').fill("16:00")
    page.locator('[name="place"]').fill("Stadtteilbüro Nord")
    page.locator('[name="agenda"]').fill("\n".join(f"{n}. {title}" for n, title in enumerate(AGENDA, 1)))
    assert check_axe(page) == []
    shot(page, "steering-2-plan")
    page.locator("main form button[type=submit]").click()
    agenda = page.locator("#tagesordnung li")
    expect(agenda).to_have_text(AGENDA)
    assert check_axe(page) == []
    shot(page, "steering-3-planned")

    # Minutes with a decision and an action item for the caseworker.
    page.locator('a[href$="/protokoll/"]').first.click()
    page.locator('input[name="present"]').nth(0).check()
    page.locator('input[name="present"]').nth(1).check()
    page.locator('[name="minutes"]').fill(
        "1. Begrüßung\nDas Protokoll wird bestätigt.\n\n2. Spielplatz\nDie Stadt hat Mittel zugesagt."
    )
    page.locator('[name="decisions-0-text"]').fill(DECISION)
    page.locator('[name="actions-0-title"]').fill(ACTION)
    page.locator('[name="actions-0-owner"]').select_option(str(lotse.pk))
    page.locator('[name="actions-0-due_on"]').fill((today + timedelta(days=14)).isoformat())
    assert check_axe(page) == []
    shot(page, "steering-4-minutes")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#beschluesse")).to_contain_text(DECISION)
    expect(page.locator("#aufgaben")).to_contain_text(ACTION)
    expect(page.locator("#aufgaben")).to_contain_text(lotse.name)
    assert check_axe(page) == []
    shot(page, "steering-5-held")
    pdf = page.request.get(base + (page.locator('a[href$="/protokoll.pdf"]').get_attribute("href") or ""))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    log_out(page)

    # The caseworker finds the action item on the work list.
    log_in(page, base, "lotse.alt")
    page.goto(f"{base}{reverse('cases:work_list')}")
    section = page.locator("section#steuerungsgruppe")
    expect(section).to_contain_text(ACTION)
    expect(section).to_contain_text(group.name)
    assert check_axe(page) == []
    shot(page, "steering-6-work-list")
    log_out(page)

    # The steering group member reads the group, its meeting and the link to the figures, nothing else.
    log_in(page, base, "steuerung.alt")
    page.goto(f"{base}{reverse('steering:group_home')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(group.name)
    expect(page.locator("#sitzungen")).to_contain_text(today.strftime("%d.%m.%Y"))
    expect(page.locator("#zahlen").get_by_role("link", name="Kennzahlen des Standorts")).to_be_visible()
    assert check_axe(page) == []
    shot(page, "steering-7-group-steering")
    page.locator("#sitzungen").get_by_role("link", name=today.strftime("%d.%m.%Y")).click()
    expect(page.locator("#beschluesse")).to_contain_text(DECISION)
    expect(page.locator('a[href$="/protokoll/"]')).to_have_count(0)  # read only
    assert check_axe(page) == []
    shot(page, "steering-8-meeting-steering")
    assert page.goto(f"{base}{reverse('cases:case_list')}").status == 403
    assert page.goto(f"{base}{other_site_meeting.get_absolute_url()}").status == 404
