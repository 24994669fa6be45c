"""Acceptance: for all demo sites and a full year, the web report and `inka esf report` agree."""

import json
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scopes_disabled

from conftest import log_in_verified
from inka.accounts.models import User
from inka.cli import main
from inka.core.demo import demo_generate

YEAR = {"period_from": "2025-01-01", "period_to": "2025-12-31"}


@pytest.fixture
def demo(db):
    with time_machine.travel(date(2026, 11, 20), tick=False), scopes_disabled():
        demo_generate(scale=0.1)


def command_line(capsys, indicator_set: str, *sites: str) -> dict:
    arguments = ["esf", "report", "--from", YEAR["period_from"], "--to", YEAR["period_to"]]
    arguments += ["--set", indicator_set, *(part for code in sites for part in ("--site", code))]
    assert main(arguments) == 0
    return json.loads(capsys.readouterr().out)


def web_report(client, email_start: str, indicator_set: str) -> dict:
    with scopes_disabled():
        log_in_verified(client, User.objects.get(email__startswith=email_start))
    response = client.get(reverse("esf:report"), {**YEAR, "indicator_set": indicator_set, "format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.parametrize("indicator_set", ["esf-plus", "esf-2014"])
def test_coordinator_page_and_command_line_agree_for_all_demo_sites(demo, client, capsys, indicator_set):
    web = web_report(client, "koordination@", indicator_set)
    cli = command_line(capsys, indicator_set)
    assert web["sites"] == cli["sites"] and len(cli["sites"]) > 20
    assert web["options"] == cli["options"]
    shown = [
        (code, column, figure)
        for code, figures in web["indicators"].items()
        for column, figure in figures.items()
        if figure is not None
    ]
    # Suppression hides figures but never changes one. A 0 is shown only where its whole row or
    # column is 0 (e.g. "divers" everywhere; see inka/core/tests/test_suppression.py).
    assert all(cli["indicators"][code][column] == figure for code, column, figure in shown)
    assert all(figure >= 3 or figure == 0 for _code, _column, figure in shown)
    assert len(shown) > 0.4 * 4 * len(cli["indicators"])
    assert {name: value for name, value in web["records"].items() if value is not None} == {
        name: value for name, value in cli["records"].items() if web["records"][name] is not None
    }


def test_site_staff_page_and_command_line_agree_exactly(demo, client, capsys):
    assert web_report(client, "lotse.alt@", "esf-plus") == command_line(capsys, "esf-plus", "ALT")
