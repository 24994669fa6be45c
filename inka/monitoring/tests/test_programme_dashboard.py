"""The programme dashboard: published figures only, flagged sites out of the comparison, the map,
the coordinator-only page and a number of queries that does not grow with sites or records."""

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.cases.models import Contact, ContactMode
from inka.monitoring import dashboard_programme, publication
from inka.monitoring.dashboard_programme import period_choices, programme_dashboard
from inka.monitoring.document import Cell, Chart, Document, Map, Table
from inka.monitoring.figures import Figures
from inka.monitoring.periods import Calendar
from inka.monitoring.publication import forget_programme_figures
from inka.monitoring.quality import QualityResult
from inka.programme.map import CLASS_COLOURS, NO_CLASS_COLOUR
from inka.programme.models import Site

TODAY = date(2026, 8, 15)  # third quarter: Q1–Q2 are the comparison span
K = 3
# Cases opened per quarter (2026: Q1–Q3, 2025: Q1–Q4) and in 2024; the earlier trend years are empty.
OPENED = {
    "A": ((10, 20, 5), (10, 10, 10, 10), 30),
    "B": ((1, 0, 0), (5, 5, 5, 5), 0),  # 1 in 2026: hidden
    "C": ((30, 30, 30), (20, 20, 20, 20), 50),
    "D": ((12, 12, 12), (9, 9, 9, 9), 20),  # flagged: too many stale cases
    "E": ((4, 4, 4), (3, 3, 3, 3), 10),
}


def hand_made_figures(sites: dict[str, Site], today: date = TODAY) -> Figures:
    """Exact figures of `cases.opened` as exact_figures would return them."""
    counts: dict[Any, Any] = {}
    for code, (this_year, last_year, earlier) in OPENED.items():
        site = sites[code].pk
        for year, quarters in ((2026, this_year), (2025, last_year)):
            for quarter, number in enumerate(quarters, start=1):
                if number:
                    counts[(site, f"{year}-Q{quarter}", None)] = number
            counts[(site, str(year), None)] = sum(quarters)
        counts[(site, "2026-Q1-Q2", None)] = sum(this_year[:2])
        counts[(site, "2025-Q1-Q2", None)] = sum(last_year[:2])
        if earlier:
            counts[(site, "2024", None)] = earlier
    counts = {key: number for key, number in counts.items() if number}
    return Figures(
        Calendar(today), tuple(sorted(s.pk for s in sites.values())), {("cases.opened", None): counts}
    )


@pytest.fixture
def sites(world, site_count) -> dict[str, Site]:
    site_count(5)
    found = {"A": world.site_a, "B": world.site_b}
    others = list(Site.objects.exclude(pk__in=[world.site_a.pk, world.site_b.pk]).order_by("code"))
    found |= dict(zip("CDE", others, strict=True))
    for index, site in enumerate(found.values()):
        site.latitude, site.longitude = (
            Decimal("50.7") + Decimal(index) / 10,
            Decimal("11.0") + Decimal(index) / 2,
        )
        site.save()
    return found


@pytest.fixture
def built(sites, monkeypatch) -> Iterator[Any]:
    """build(indicator, period) with the hand-made figures and site D flagged for stale cases."""
    cache.clear()

    def quality(site_ids, today):
        flagged = QualityResult.of(5, 10)
        return {
            site: {"stale_cases": flagged if site == sites["D"].pk else QualityResult.of(0, 10)}
            for site in site_ids
        }

    monkeypatch.setattr(publication, "exact_figures", lambda site_ids, today: hand_made_figures(sites))
    monkeypatch.setattr(dashboard_programme.data_quality, "site_quality", quality)

    def build(code: str = "cases.opened", period: str = "2025") -> Document:
        return programme_dashboard(
            site_ids=[site.pk for site in sites.values()], indicator_code=code, period_key=period, today=TODAY
        )

    yield build
    cache.clear()


def blocks(doc: Document) -> Iterator[Any]:
    for section in doc.sections:
        yield from section.blocks


def tables(doc: Document) -> dict[str, Table]:
    found = {}
    for block in blocks(doc):
        table = block.table if isinstance(block, Chart | Map) else block
        if isinstance(table, Table):
            found[table.key] = table
    return found


def the_map(doc: Document) -> Map:
    return next(block for block in blocks(doc) if isinstance(block, Map))


def shown(cell: Cell) -> Any:
    return "hidden" if cell.hidden else cell.value


def by_site(table: Table) -> dict[str, list[Any]]:
    return {str(row.label).split(" – ")[0]: [shown(cell) for cell in row.cells] for row in table.rows}


def test_sites_side_by_side_with_published_values(built, sites):
    doc = built(period="2025")  # a whole year: compared with 2024
    table = tables(doc)["sites"]
    assert [str(c) for c in table.columns] == [
        "2025",
        "2024",
        _("Change in %"),
        _("Share of the programme total"),
        _("Rank"),
    ]
    rows = by_site(table)
    # value, 2024, change, share of the programme total (40 + 20 + 80 + 36 + 12 = 188), rank
    assert rows["NORD"] == [40, 30, Decimal("33.3"), Decimal("21.3"), 2]
    assert rows["SUED"] == [20, "hidden", "hidden", Decimal("10.6"), 3]  # 0 in 2024
    assert rows["XAA"] == [80, 50, Decimal("60.0"), Decimal("42.6"), 1]
    assert rows["XAB"] == [36, 20, Decimal("80.0"), Decimal("19.1"), None]  # site D: flagged, no rank
    # E's 10 in 2024 is hidden too: with the total, it would give B's away.
    assert rows["XAC"] == [12, "hidden", "hidden", Decimal("6.4"), 4]
    # The average of the compared sites leaves out D: (40 + 20 + 80 + 12) / 4 = 38.
    average, total = table.rows[-2], table.rows[-1]
    assert (average.total, [shown(cell) for cell in average.cells]) == (
        True,
        [Decimal("38.0"), None, None, None, None],
    )
    assert (total.total, [shown(cell) for cell in total.cells][:2]) == (True, [188, 110])
    flagged = next(row for row in table.rows if str(row.label).startswith("XAB"))
    assert str(flagged.note) == _("Data incomplete") and flagged.cells[0].flagged
    assert flagged.url == reverse("monitoring:site_dashboard", args=[sites["D"].pk])


def test_the_map_colours_the_compared_sites_only(built, sites):
    doc = built(period="2025")
    drawn = the_map(doc)
    svg = str(drawn.svg)
    colours = dict(re.findall(r"<title>(\w+) – [^<]*</title>\s*<circle [^>]*fill=\"(#[0-9a-f]{6})\"", svg))
    # Quantile classes of the four compared sites: 12, 20, 40 and 80 have 0, 1, 2 and 3 smaller values.
    assert [colours[code] for code in ("XAC", "SUED", "NORD", "XAA")] == list(CLASS_COLOURS[:4])
    assert colours["XAB"] == NO_CLASS_COLOUR  # flagged: hollow
    assert f"<title>XAB – Standort 1: 36, {_('Data incomplete')}</title>" in svg
    assert "<title>NORD – ThINKA Nord: 40</title>" in svg
    assert drawn.legend[-1].label == _("not compared: figure hidden, none or data incomplete")
    assert [entry.label for entry in drawn.legend][:4] == ["12", "20", "40", "80"]
    # Self-contained: colours as attributes, no style, no script, no class but the root's.
    assert "style=" not in svg and "<script" not in svg
    assert re.findall(r'class="([^"]*)"', svg) == ["inka-map"]
    assert 'role="img" aria-labelledby="map-sites-title map-sites-desc"' in svg
    assert "GeoBasis-DE / BKG" in svg
    # The map's table: each site's figure and colour class (the text alternative of the colours).
    notes = {str(row.label)[:4].strip(): str(row.note) for row in drawn.table.rows}
    assert notes["NORD"] == _("colour class %(range)s") % {"range": "40"}
    assert notes["XAB"] == _("not compared: figure hidden, none or data incomplete")
    assert [shown(row.cells[0]) for row in drawn.table.rows] == [
        shown(row.cells[0]) for row in tables(doc)["sites"].rows
    ][:5]


def test_hidden_figures_stay_hidden_and_out_of_the_colours(built):
    doc = built(period="2026-Q1")
    rows = by_site(tables(doc)["sites"])
    assert rows["SUED"][0] == "hidden" and rows["SUED"][-1] is None  # 1 case: no rank
    hidden = _("figure hidden")
    assert f"<title>SUED – ThINKA Süd: {hidden}</title>" in str(the_map(doc).svg)


def test_no_count_below_k_anywhere(built):
    """Every count cell of every table (charts and map included) is hidden, empty, at least k or a
    structural zero (a year nobody at any site reached: publication shows those); ranks and numbers
    of sites are not counts of people."""
    not_counts = _("Sites with a figure shown, %(year)s") % {"year": TODAY.year}
    for code in ("cases.opened", "contacts.total", "persons.counselled"):
        for period, _label in period_choices(Calendar(TODAY)):
            doc = built(code, period)
            for table in tables(doc).values():
                for row in table.rows:
                    for header, cell in zip(table.columns, row.cells, strict=True):
                        if str(header) in (_("Rank"), not_counts):
                            continue
                        if cell.unit == "count" and not cell.hidden and cell.value is not None:
                            assert cell.value >= K or cell.value == 0, (code, period, table.key, row.label)


SO_FAR = _("%(period)s so far") % {"period": 2026}


def test_the_running_period_is_not_compared_and_the_trend_starts_with_the_first_figures(built):
    doc = built(period="2026")
    table = tables(doc)["sites"]
    assert [str(c) for c in table.columns][:2] == [SO_FAR, "2025"]
    assert all(row.cells[2].value is None and not row.cells[2].hidden for row in table.rows)
    trend = tables(doc)["trend"]
    # 2022 and 2023 have no figures: left out.
    assert [str(c) for c in trend.columns] == ["2024", "2025", SO_FAR]
    assert [shown(cell) for cell in trend.rows[0].cells] == [110, 188, 174]


def test_overview_of_the_key_figures_and_the_incomplete_sites(built, sites):
    doc = built()
    overview = tables(doc)["key_figures"]
    assert [str(c) for c in overview.columns] == [
        SO_FAR,
        "2025",
        _("Q1–Q%(quarter)s %(year)s") % {"quarter": 2, "year": 2026},
        _("Q1–Q%(quarter)s %(year)s") % {"quarter": 2, "year": 2025},
        _("Sites with a figure shown, %(year)s") % {"year": 2026},
    ]
    assert len(overview.rows) == sum(1 for item in dashboard_programme.indicators() if item.key_figure)
    incomplete = tables(doc)["incomplete"]
    assert [str(row.label) for row in incomplete.rows] == [f"XAB – {sites['D'].name}"]
    assert str(incomplete.columns[0]) == _("Open cases without contact")
    first = incomplete.rows[0].cells[0]
    assert (first.value, first.flagged) == (Decimal("50.0"), True)


# --- The page --------------------------------------------------------------------------------

URL = "/kennzahlen/programm/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("caseworker", 403),
        ("site_lead", 403),
        ("reader", 403),
        ("steering", 403),
        ("other_caseworker", 403),
        ("dpo", 403),
        ("admin", 403),
        ("coordinator", 200),
    ],
)
def test_only_the_coordination_opens_it(world, login, persona, status):
    assert reverse("monitoring:programme_dashboard") == URL
    assert login(world.user(persona)).get(URL).status_code == status


@pytest.mark.django_db
def test_the_page_shows_the_chosen_indicator_and_period(world, login):
    period = f"{timezone.localdate().year}-Q1"
    response = login(world.user("coordinator")).get(
        URL, {"indicator": "persons.counselled", "period": period}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="persons.counselled" selected>' in html
    assert f'<option value="{period}" selected>' in html
    assert 'class="inka-map"' in html
    assert reverse("monitoring:site_dashboard", args=[world.site_a.pk]) in html
    assert "/kennzahlen/programm/export.xlsx?indicator=persons.counselled" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"indicator": "nonsense"}, "indicator", "Choose one of the indicators listed."),
        ({"period": "1999"}, "period", "Choose one of the periods listed."),
        ({"period": ""}, "period", "This field is required."),
    ],
)
def test_bad_choices_give_400_with_the_message_at_the_field(world, login, query, field, message):
    client = login(world.user("coordinator"))
    for url in (URL, reverse("monitoring:programme_dashboard_export", args=["csv"])):
        response = client.get(url, query)
        assert response.status_code == 400
        assert response.context["form"].errors[field] == [_(message)]
    assert _(message) in client.get(URL, query).content.decode()


@pytest.mark.django_db
def test_exports_for_the_coordination_only(world, login):
    client = login(world.user("coordinator"))
    assert client.get(reverse("monitoring:programme_dashboard_export", args=["docx"])).status_code == 404
    response = client.get(reverse("monitoring:programme_dashboard_export", args=["csv"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert (
        login(world.user("site_lead"))
        .get(reverse("monitoring:programme_dashboard_export", args=["csv"]))
        .status_code
        == 403
    )


# --- A bounded number of queries -------------------------------------------------------------


def add_contacts(sites: list[Site], author: Any, per_site: int) -> None:
    """Anonymous contacts spread over the trend years, every mode."""
    today = timezone.localdate()
    modes = list(ContactMode)
    Contact.objects.bulk_create(
        Contact(
            site=site,
            occurred_on=today - timedelta(days=(index * 37) % 1500),
            mode=modes[index % len(modes)],
            author=author,
        )
        for site in sites
        for index in range(per_site)
    )


def queries_of_the_page(client: Any) -> int:
    forget_programme_figures()  # the figures are kept; count a first view
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, {"indicator": "contacts.total"})
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_sites_or_records(world, login, site_count):
    client = login(world.user("coordinator"))
    author = world.user("caseworker")
    add_contacts([world.site_a, world.site_b], author, 3)
    few = queries_of_the_page(client)
    site_count(6)
    add_contacts(list(Site.objects.all()), author, 40)
    assert Contact.objects.count() == 6 + 6 * 40
    many = queries_of_the_page(client)
    assert many == few


def test_a_site_that_did_not_work_in_the_period_is_not_compared(built, sites):
    sites["E"].ends_on = date(2025, 12, 31)
    sites["E"].save()
    rows = {str(row.label)[:3]: row for row in tables(built(period="2026-Q1"))["sites"].rows}
    assert str(rows["XAC"].note) == _("not running in this period")
    assert rows["XAC"].cells[-1].value is None  # no rank
    assert rows["XAA"].cells[-1].value == 1
    rows_2025 = {str(row.label)[:3]: row for row in tables(built(period="2025"))["sites"].rows}
    assert rows_2025["XAC"].cells[-1].value == 4  # it did work in 2025
