"""The ESF report page: who sees what, suppression beyond a site's team, bad input, downloads.

The figures come from `build_report`, the function the command line calls; the participations are
generated with the ORM (seeded, so every run sees the same data).
"""

import csv
import io
import json
import random
import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext as _
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PERSONAS
from inka.cases.tests.factories import make_person
from inka.cli import main
from inka.core.models import AccessLogEntry
from inka.core.tests.test_suppression import deduce_one_unknown_at_a_time
from inka.esf.catalogue import INDICATORS
from inka.esf.codes import LabourStatus
from inka.esf.engine import DEFAULT_OPTIONS, GENDERS, Options, Report
from inka.esf.models import ExitEvent, Participation, Stay
from inka.esf.reporting import build_report
from inka.esf.suppression import suppress_report

URL = reverse("esf:report")
YEAR_2024 = {"period_from": "2024-01-01", "period_to": "2024-12-31"}
SURNAME = "Quartermaine"


def make_participations(site: Any, count: int, *, seed: int, year: int = 2024) -> list[Participation]:
    """`count` participations at `site` with entries in `year`; most complete, some with results."""
    rng = random.Random(seed)
    made = []
    for number in range(count):
        entry = date(year, 1, 1) + timedelta(days=rng.randrange(330))
        leaves = rng.random() < 0.6
        exit_date = entry + timedelta(days=rng.randrange(0, 120)) if leaves else None
        status = rng.choice(LabourStatus.values)
        complete = rng.random() < 0.85
        participation = Participation.objects.create(
            site=site,
            participation_id=f"{site.code}-T{number:04d}",
            person_key=f"PK-{site.code}-{number}",
            entry_date=entry,
            exit_date=exit_date,
            gender=rng.choice("FFFMMMX"),
            date_of_birth=date(rng.randrange(1960, 2008), rng.randrange(1, 13), rng.randrange(1, 29)),
            labour_status_at_entry=status if complete else "",
            unemployed_since=entry - timedelta(days=rng.randrange(30, 900))
            if status == "UNEMPLOYED"
            else None,
            in_education_or_training_at_entry=rng.random() < 0.3 if status == "INACTIVE" else None,
            isced_level=rng.randrange(9),
            disability=rng.choice(["YES", "NO", "NO", "REFUSED", ""]),
            foreign_background=rng.choice(["YES", "NO", "NO", ""]),
            other_disadvantaged=rng.choice(["YES", "NO", ""]),
            rural=rng.choice(["YES", "NO", "UNKNOWN"]),
            followup_6m_status=rng.choice(["", "EMPLOYED", "UNEMPLOYED", "NO_RESPONSE"]) if leaves else "",
        )
        Stay.objects.create(participation=participation, entry_date=entry, exit_date=exit_date)
        if exit_date is not None and rng.random() < 0.6:
            ExitEvent.objects.create(
                participation=participation,
                occurred_on=exit_date + timedelta(days=rng.randrange(0, 28)),
                type=rng.choice(["JOB_SEARCHING", "EMPLOYED"]),
            )
        made.append(participation)
    return made


@pytest.fixture
def participations(world):
    """Data at both sites; one participation of site A belongs to a named person."""
    north = make_participations(world.site_a, 40, seed=1)
    south = make_participations(world.site_b, 12, seed=2)
    named = north[0]
    named.person = make_person(world.site_a, first_name="Jolanda", last_name=SURNAME)
    named.save(update_fields=["person"])
    return north + south


def get(client, **query: Any):
    return client.get(URL, {**YEAR_2024, **query})


def expected_report(codes: list[str] | None, **kwargs: Any) -> Report:
    return build_report(
        site_codes=codes, period_from=date(2024, 1, 1), period_to=date(2024, 12, 31), **kwargs
    )


# Who sees what --------------------------------------------------------------------------------------

AUDIENCE = {
    # persona: (status, sites of the report, suppressed)
    "caseworker": (200, ("NORD",), False),
    "site_lead": (200, ("NORD",), False),
    "reader": (200, ("NORD",), False),
    "other_caseworker": (200, ("SUED",), False),
    "steering": (200, ("NORD",), True),
    "coordinator": (200, ("NORD", "SUED"), True),
    "dpo": (403, (), None),
    "admin": (403, (), None),
}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_each_role_sees_its_sites_suppressed_or_not(persona, world, participations, login):
    status, sites, suppressed = AUDIENCE[persona]
    response = get(login(world.user(persona)))
    assert response.status_code == status
    if status != 200:
        return
    report = response.context["report"]
    assert report.sites == sites
    full = expected_report(list(sites))
    assert report == (suppress_report(full, k=3) if suppressed else full)
    assert response.context["audience"].suppressed is suppressed


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_reader_of_the_report_is_logged_without_record_ids(world, participations, login):
    get(login(world.user("reader")))
    entry = AccessLogEntry.objects.get(action="esf.report.view")
    assert entry.site_id == world.site_a.pk and entry.record_ids == []


def test_staff_see_small_numbers_steering_does_not(world, participations, login):
    full = get(login(world.user("caseworker"))).context["report"]
    hidden = get(login(world.user("steering"))).context["report"]
    small = [
        (code, key)
        for code, counts in full.indicators.items()
        for key, value in counts.items()
        if 0 < value < 3
    ]
    assert small, "the generated data should have small numbers"
    assert all(hidden.indicators[code][key] is None for code, key in small)
    # An indicator nobody reached is shown as zeros: its total 0 gives them away anyway.
    nobody = [code for code, counts in full.indicators.items() if counts["total"] == 0]
    assert nobody, "the generated data should have an indicator nobody reached"
    assert all(hidden.indicators[code] == full.indicators[code] for code in nobody)


def test_coordinator_can_choose_sites(world, participations, login):
    response = get(login(world.user("coordinator")), sites=["SUED"])
    assert response.status_code == 200
    assert response.context["report"] == suppress_report(expected_report(["SUED"]), k=3)


def test_site_staff_cannot_widen_the_report_to_other_sites(world, participations, login):
    response = get(login(world.user("caseworker")), sites=["SUED"])
    assert response.context["report"].sites == ("NORD",)
    assert "sites" not in response.context["form"].fields


# The same figures as the command line ---------------------------------------------------------------


def test_page_downloads_and_command_line_agree(world, participations, login, capsys):
    client = login(world.user("caseworker"))
    query = {"indicator_set": "esf-2014", "ltu_rule": "DE_SGB3", "cr05_component_rule": "LITERAL"}
    page = get(client, **query)
    downloaded = json.loads(get(client, format="json", **query).content)
    options = Options(ltu_rule="DE_SGB3", cr05_component_rule="LITERAL")
    assert page.context["report"] == expected_report(["NORD"], indicator_set="esf-2014", options=options)
    code = main(
        ["esf", "report", "--from", "2024-01-01", "--to", "2024-12-31", "--set", "esf-2014",
         "--site", "NORD", "--option", "ltu_rule=DE_SGB3", "--option", "cr05_component_rule=LITERAL"]
    )  # fmt: skip
    assert code == 0
    assert downloaded == json.loads(capsys.readouterr().out)


def test_table_shows_every_indicator_with_german_numbers(world, login, settings):
    make_participations(world.site_a, 1200, seed=3)
    response = get(login(world.user("caseworker")))
    report = response.context["report"]
    rows = [row for table in response.context["tables"] for row in table["rows"]]
    assert [row["code"] for row in rows] == [item.code for item in INDICATORS["esf-plus"]]
    eeco11 = report.indicators["EECO11"]["total"]
    assert eeco11 >= 1000
    assert f"{eeco11 // 1000}.{eeco11 % 1000:03d}" in response.content.decode()
    titles = [table["title"] for table in response.context["tables"]]
    assert titles == [_("Outputs by entry date"), _("Results by exit date")]


def test_each_indicator_links_to_its_definition(world, participations, login):
    content = get(login(world.user("caseworker"))).content.decode()
    for item in INDICATORS["esf-plus"]:
        link = f'href="#definition-{item.code}" aria-describedby="definition-{item.code}-text">{item.code} '
        assert content.count(link + f"{item.name}</a>") == 2  # wide table and phone table
        assert f'<dt id="definition-{item.code}" class="kern-label">{item.code} {item.name}</dt>' in content
        assert (
            f'id="definition-{item.code}-text" class="kern-body kern-body--small">{item.definition}<'
            in content
        )


@time_machine.travel(date(2024, 6, 15))
def test_defaults_are_this_calendar_year_and_the_pinned_options(world, participations, login):
    response = login(world.user("caseworker")).get(URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.period_from, report.period_to) == (date(2024, 1, 1), date(2024, 12, 31))
    assert report.indicator_set == "esf-plus" and report.options == DEFAULT_OPTIONS
    assert report == expected_report(["NORD"])


def test_changed_options_open_the_counting_rules(world, login):
    client = login(world.user("caseworker"))
    assert '<details class="kern-accordion section">' in get(client).content.decode()
    assert '<details class="kern-accordion section" open>' in get(client, ltu_rule="DE_SGB3").content.decode()


# Bad input ------------------------------------------------------------------------------------------

BAD_INPUT = [
    ({"period_from": "2024-02-31"}, "period_from", "Bitte ein gültiges Datum eingeben."),
    ({"period_from": ""}, "period_from", "Dieses Feld ist zwingend erforderlich."),
    ({"period_to": "morgen"}, "period_to", "Bitte ein gültiges Datum eingeben."),
    ({"period_from": "2024-12-31", "period_to": "2024-01-01"}, "period_to", "Das Ende darf nicht vor"),
    ({"ltu_rule": "SOMETIMES"}, "ltu_rule", "SOMETIMES ist keine gültige Auswahl"),
    ({"disadvantaged_includes_rural": "maybe"}, "disadvantaged_includes_rural", "keine gültige Auswahl"),
    ({"indicator_set": "esf-1999"}, "indicator_set", "esf-1999 ist keine gültige Auswahl"),
    ({"sites": ["NORD", "OST"]}, "sites", "OST ist keine gültige Auswahl"),
    ({"format": "pdf"}, "__all__", "JSON, CSV"),
]


@pytest.mark.parametrize(("query", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_at_the_field(query, field, message, world, login):
    response = get(login(world.user("coordinator")), **query)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    content = response.content.decode()
    assert message in content
    if field != "__all__":
        assert f'id="id_{field}-error"' in content
    assert "report" not in response.context


def test_bad_format_for_site_staff_also_400(world, login):
    assert get(login(world.user("caseworker")), format="docx").status_code == 400


# Nothing small and nothing personal beyond the site's team ------------------------------------------

FIGURE_CELL = re.compile(r'<td[^>]*class="kern-table__cell kern-table__cell--numeric">(.*?)</td>', re.S)


def hidden_cell() -> str:
    return f'<span aria-hidden="true">&lt;3</span><span class="kern-sr-only">{_("hidden")}</span>'


def assert_no_person_level_data(text: str, participations: list[Participation]) -> None:
    assert SURNAME not in text and "Jolanda" not in text
    for participation in participations:
        assert participation.participation_id not in text
        assert participation.person_key not in text


def assert_figures_not_small(values: list[Any]) -> None:
    """Hidden, at least 3, or 0 (shown only with a total of 0 that gives it away, see
    inka.core.suppression; the suppression tests check that rule)."""
    for value in values:
        assert value in (None, "<3") or int(value) >= 3 or int(value) == 0, value


@pytest.mark.parametrize("indicator_set", ["esf-plus", "esf-2014"])
@pytest.mark.parametrize("persona", ["coordinator", "steering"])
def test_page_beyond_the_team_has_no_small_number_and_no_person(
    persona, indicator_set, world, participations, login
):
    response = get(login(world.user(persona)), indicator_set=indicator_set)
    content = response.content.decode()
    cells = FIGURE_CELL.findall(content)
    # The records, then the indicators in the wide table and again in the narrow one for phones.
    assert len(cells) == 5 + 2 * 4 * len(INDICATORS[indicator_set])
    assert hidden_cell() in cells
    assert_figures_not_small([None if cell == hidden_cell() else cell.replace(".", "") for cell in cells])
    assert_figures_not_small([figure for _label, figure in response.context["records"]])
    assert_no_person_level_data(content, participations)


@pytest.mark.parametrize("persona", ["coordinator", "steering"])
def test_downloads_beyond_the_team_have_no_small_number_and_no_person(persona, world, participations, login):
    client = login(world.user(persona))
    data = json.loads(get(client, format="json").content)
    assert data["suppressed_below"] == 3
    figures = [value for counts in data["indicators"].values() for value in counts.values()]
    assert None in figures
    assert_figures_not_small(figures + list(data["records"].values()))

    text = get(client, format="csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert_figures_not_small([value for row in rows[1:] for value in row[2:]])
    assert_no_person_level_data(text, participations)

    book = openpyxl.load_workbook(io.BytesIO(get(client, format="xlsx").content))
    sheet = book.worksheets[0]
    values = [cell for row in sheet.iter_rows(min_row=2, min_col=3, values_only=True) for cell in row]
    assert "<3" in values
    assert_figures_not_small(values)
    every_cell = " ".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    )
    assert_no_person_level_data(every_cell, participations)


def test_staff_downloads_are_the_full_figures_in_three_formats(world, participations, login):
    client = login(world.user("site_lead"))
    report = expected_report(["NORD"])
    response = get(client, format="json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="esf-bericht-esf-plus-2024-01-01-2024-12-31.json"'
    )
    assert json.loads(response.content) == report.as_json()

    response = get(client, format="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows[0]) == 6
    assert {row[0]: int(row[2]) for row in rows[1:]} == {
        code: counts["total"] for code, counts in report.indicators.items()
    }

    response = get(client, format="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        code: counts["total"] for code, counts in report.indicators.items()
    }


def test_download_links_repeat_the_query(world, login):
    response = get(login(world.user("coordinator")), indicator_set="esf-2014", sites=["SUED"])
    links = [url for url, _label in response.context["downloads"]]
    assert len(links) == 3
    for url, kind in zip(links, ["json", "csv", "xlsx"], strict=True):
        assert "indicator_set=esf-2014" in url and "sites=SUED" in url and url.endswith(f"format={kind}")
        assert "period_from=2024-01-01" in url
    assert links[0].replace("&", "&amp;") in response.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_query_count_does_not_grow_with_participations(count, world, login, django_assert_max_num_queries):
    make_participations(world.site_a, count, seed=4)
    client = login(world.user("caseworker"))
    with django_assert_max_num_queries(16):
        assert get(client).status_code == 200


# The report's suppression ---------------------------------------------------------------------------

counts = st.one_of(st.integers(0, 4), st.integers(0, 40))


def split(total: int, parts: int) -> st.SearchStrategy[list[int]]:
    cuts = st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1).map(sorted)
    return cuts.map(lambda c: [b - a for a, b in zip([0, *c], [*c, total], strict=True)])


@st.composite
def reports(draw: st.DrawFn, indicator_set: str) -> Report:
    """A report whose figures are tied as the engine ties them (the blocks add up to the total)."""
    labour_codes = {"esf-plus": ("EECO01", "EECO03", "EECO04"), "esf-2014": ("CO01", "CO03", "CO05")}
    labour = [[draw(counts) for _gender in GENDERS] for _code in range(3)]
    by_gender = [sum(column) for column in zip(*labour, strict=True)]
    education = list(zip(*(draw(split(total, 3)) for total in by_gender), strict=True))
    indicators = {}
    for item in INDICATORS[indicator_set]:
        figures = [draw(counts) for _gender in GENDERS]
        indicators[item.code] = {"total": sum(figures), **dict(zip(GENDERS, figures, strict=True))}
    blocks = [(labour_codes[indicator_set], labour)]
    if indicator_set == "esf-plus":
        blocks.append((("EECO08", "EECO09", "EECO10"), education))
        indicators["EECO11"] = {"total": sum(by_gender), **dict(zip(GENDERS, by_gender, strict=True))}
    for codes, grid in blocks:
        for code, row in zip(codes, grid, strict=True):
            indicators[code] = {"total": sum(row), **dict(zip(GENDERS, row, strict=True))}
    records = {
        name: draw(counts) for name in ("entries", "leavers", "leavers_complete", "followup_responses")
    }
    records["entries_complete"] = sum(by_gender)
    return Report(
        indicator_set, date(2024, 1, 1), date(2024, 12, 31), ("NORD",), Options(), records, indicators
    )


def report_equations(report: Report) -> list[list[tuple[str, int]]]:
    equations = [
        [*((f"{code}.{g}", 1) for g in GENDERS), (f"{code}.total", -1)] for code in report.indicators
    ]
    if report.indicator_set == "esf-plus":
        for block in (("EECO01", "EECO03", "EECO04"), ("EECO08", "EECO09", "EECO10")):
            equations += [
                [*((f"{code}.{key}", 1) for code in block), (f"EECO11.{key}", -1)]
                for key in ("total", *GENDERS)
            ]
        equations.append([("records.entries_complete", 1), ("EECO11.total", -1)])
    else:
        equations.append(
            [*((f"{code}.total", 1) for code in ("CO01", "CO03", "CO05")), ("records.entries_complete", -1)]
        )
    return equations


def flat(report: Report) -> dict[str, int | None]:
    cells = {
        f"{code}.{key}": value for code, counts in report.indicators.items() for key, value in counts.items()
    }
    return cells | {f"records.{name}": value for name, value in report.records.items()}


@settings(max_examples=150, deadline=None)
@given(data=st.data(), indicator_set=st.sampled_from(["esf-plus", "esf-2014"]))
def test_report_suppression_hides_small_cells_and_nothing_can_be_worked_back(data, indicator_set):
    report = data.draw(reports(indicator_set))
    hidden = suppress_report(report, k=3)
    truth, shown = flat(report), flat(hidden)
    assert shown.keys() == truth.keys()
    equations = report_equations(report)
    # A zero is shown only with a total of 0 that gives it away (its whole equation shown as zeros).
    zeros = {
        name for equation in equations if all(shown[n] == 0 for n, _ in equation) for name, _ in equation
    }
    for name, value in shown.items():
        assert value is None or (value == truth[name] and (value >= 3 or name in zeros)), name
    assert deduce_one_unknown_at_a_time(shown, equations) == set()
    assert replace(hidden, indicators=report.indicators, records=report.records) == report


def test_report_suppression_with_a_higher_threshold():
    indicators = {item.code: {"total": 12, "F": 4, "M": 4, "X": 4} for item in INDICATORS["esf-2014"]}
    report = Report(
        "esf-2014", date(2024, 1, 1), date(2024, 12, 31), (), Options(), {"entries": 4}, indicators
    )
    hidden = suppress_report(report, k=5)
    assert hidden.indicators["CO02"] == {"total": 12, "F": None, "M": None, "X": None}
    assert hidden.records == {"entries": None}


def test_the_threshold_comes_from_the_settings(world, participations, login, settings):
    settings.SUPPRESSION_K = 5
    response = get(login(world.user("steering")))
    report = response.context["report"]
    assert report == suppress_report(expected_report(["NORD"]), k=5)
    figures = [value for counts in report.indicators.values() for value in counts.values()]
    assert None in figures and all(value is None or value >= 5 or value == 0 for value in figures)
    assert '<span aria-hidden="true">&lt;5</span>' in response.content.decode()


def test_site_list_opens_when_sites_are_chosen(world, login):
    client = login(world.user("coordinator"))
    content = get(client).content.decode()
    assert f'<span class="kern-title">{_("Sites")}: {_("all")}</span>' in content
    assert '<details class="kern-accordion section" open>' not in content
    assert '<details class="kern-accordion section" open>' in get(client, sites=["NORD"]).content.decode()
