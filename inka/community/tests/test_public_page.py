"""The site's public page (no login) shows the planned and running projects described for the public."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from inka.community.models import ProjectStatus
from inka.community.tests.test_projects import make_project

PUBLIC_PAGE = reverse("programme:site_public", args=["NORD"])


def test_described_planned_and_running_projects_are_published(world, client):
    worker, today = world.user("caseworker"), timezone.localdate()
    make_project(
        world.site_a, worker, "Nachbarschaftscafé", status=ProjectStatus.RUNNING,
        public_description="Jeden Dienstag ab 15 Uhr im Stadtteilbüro.",
    )  # fmt: skip
    cleanup_day = today + timedelta(days=30)
    make_project(
        world.site_a, worker, "Frühjahrsputz", status=ProjectStatus.PLANNED, starts_on=cleanup_day,
        ends_on=cleanup_day, public_description="Wir räumen gemeinsam den Spielplatz auf.",
    )  # fmt: skip
    make_project(world.site_a, worker, "Internes Treffen", status=ProjectStatus.RUNNING)
    make_project(
        world.site_a,
        worker,
        "Abgesagtes Fest",
        status=ProjectStatus.CANCELLED,
        public_description="Fällt aus.",
    )
    make_project(
        world.site_a, worker, "Vergangener Kurs", status=ProjectStatus.RUNNING, starts_on=date(2024, 1, 1),
        ends_on=date(2024, 3, 1), public_description="War schön.",
    )  # fmt: skip
    make_project(
        world.site_b, world.user("other_caseworker"), "Fest in Gera", status=ProjectStatus.RUNNING,
        public_description="Anderer Standort.",
    )  # fmt: skip

    html = client.get(PUBLIC_PAGE).content.decode()

    assert "Jeden Dienstag ab 15 Uhr im Stadtteilbüro." in html
    assert "Wir räumen gemeinsam den Spielplatz auf." in html
    assert html.index("Nachbarschaftscafé") < html.index("Frühjahrsputz")  # soonest first
    for hidden in ("Internes Treffen", "Abgesagt", "Vergangener Kurs", "Fest in Gera"):
        assert hidden not in html


def test_without_described_projects_the_section_is_left_out(world, client):
    make_project(world.site_a, world.user("caseworker"), "Internes Treffen", status=ProjectStatus.RUNNING)
    response = client.get(PUBLIC_PAGE)
    assert response.status_code == 200
    assert "h-public-projects" not in response.content.decode()
