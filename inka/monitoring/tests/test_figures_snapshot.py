"""The programme-wide figures are kept in the database and counted anew only when too old."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from inka.cli import main
from inka.monitoring import publication
from inka.monitoring.figures import exact_figures
from inka.monitoring.models import FiguresSnapshot
from inka.monitoring.publication import count_programme_figures, forget_programme_figures, programme_published
from inka.monitoring.tests.test_site_dashboard import record

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


def counted(monkeypatch) -> list[date]:
    """The days exact_figures is called for, instead of only counting queries."""
    calls: list[date] = []
    original = publication.exact_figures

    def spy(*, site_ids, today):
        calls.append(today)
        return original(site_ids=site_ids, today=today)

    monkeypatch.setattr(publication, "exact_figures", spy)
    return calls


def test_a_second_process_reads_the_kept_figures_without_counting(world, monkeypatch):
    record(world, contacts=4, cases=1)
    calls = counted(monkeypatch)
    first = programme_published(today=TODAY)
    cache.clear()  # another app process: nothing in its memory, the snapshot in the database
    with CaptureQueriesContext(connection) as context:
        again = programme_published(today=TODAY)
    assert calls == [TODAY]
    assert again == first
    assert len(context.captured_queries) <= 3  # the sites and the snapshot


def test_figures_older_than_the_limit_are_counted_anew_with_the_new_records(world, monkeypatch, settings):
    settings.FIGURES_MAX_AGE_MINUTES = 15
    record(world, contacts=4, cases=1)
    calls = counted(monkeypatch)
    programme_published(today=TODAY)
    with scopes_disabled():
        kept = FiguresSnapshot.objects.get().figures
    record(world, contacts=40, cases=0)
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        programme_published(today=TODAY)
    assert len(calls) == 1  # young enough: the new contacts are not counted yet
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        programme_published(today=TODAY)
    assert len(calls) == 2
    with scopes_disabled():
        snapshot = FiguresSnapshot.objects.get()
    assert snapshot.figures != kept
    assert snapshot.figures == exact_figures(site_ids=snapshot.figures["site_ids"], today=TODAY).as_json()


def test_a_new_day_counts_anew_and_keeps_one_snapshot(world, monkeypatch):
    calls = counted(monkeypatch)
    programme_published(today=TODAY)
    programme_published(today=TODAY + timedelta(days=1))
    assert calls == [TODAY, TODAY + timedelta(days=1)]
    with scopes_disabled():
        assert list(FiguresSnapshot.objects.values_list("day", flat=True)) == [TODAY + timedelta(days=1)]


def test_forgetting_the_figures_counts_anew(world, monkeypatch):
    calls = counted(monkeypatch)
    programme_published(today=TODAY)
    forget_programme_figures()
    programme_published(today=TODAY)
    assert calls == [TODAY, TODAY]


def test_the_refresh_command_counts_today_for_every_site(world, capsys):
    record(world, contacts=4, cases=1)
    assert main(["figures", "refresh"]) == 0
    assert "Kennzahlen aller Standorte gezählt" in capsys.readouterr().out
    with scopes_disabled():
        snapshot = FiguresSnapshot.objects.get()
    today = timezone.localdate()
    assert snapshot.day == today
    assert snapshot.figures == exact_figures(site_ids=snapshot.figures["site_ids"], today=today).as_json()


def test_the_refreshed_figures_are_what_the_pages_read(world, monkeypatch):
    count_programme_figures(today=TODAY)
    calls = counted(monkeypatch)
    programme_published(today=TODAY)
    assert calls == []
