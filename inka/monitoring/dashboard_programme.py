"""The programme dashboard (M2): every site side by side for one indicator and period, for the coordination.

The figures are the published ones (small cells hidden); a site whose data is too incomplete for the
indicator is marked and left out of the comparison (no colour, no rank, not in the average), but its
published figure is still shown.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from inka.core.aggregates import Period
from inka.core.charts import format_number
from inka.monitoring import quality as data_quality
from inka.monitoring.catalogue import Indicator, Kind, indicator, indicators
from inka.monitoring.dashboard_site import Dashboard, change, unit_of
from inka.monitoring.document import Cell, Chart, Document, Map, MapLegendEntry, Row, Section, Table, Unit
from inka.monitoring.figures import Ratio
from inka.monitoring.periods import Calendar
from inka.monitoring.publication import Published, programme_published
from inka.programme import selectors as programme_selectors
from inka.programme.map import NO_CLASS_COLOUR, MapPoint, Value, ValueClass, thuringia_map, value_classes

DECIMALS: dict[Unit, int] = {"percent": 1, "hours": 1, "index": 1}
# Kinds whose site figures add up to the programme total, so a site's share of it means something.
ADDITIVE = frozenset({Kind.FLOW, Kind.DISTINCT, Kind.STOCK, Kind.AMOUNT})
ATTRIBUTION_STRIP = 14.0  # below the map, for the boundaries' attribution
AVERAGE = Cell()  # the average row has no figure a year earlier and no share of the total


def indicator_choices() -> list[tuple[str, str]]:
    """Every indicator as (code, name): the key figures first, then the rest in catalogue order."""
    ordered = sorted(indicators(), key=lambda item: not item.key_figure)
    return [(item.code, str(item.name)) for item in ordered]


def default_indicator() -> str:
    return indicator_choices()[0][0]


def period_label(key: str, calendar: Calendar) -> str:
    """ "2025", "Q3 2026", "Q1–Q3 2026" (in German "3. Quartal 2026"); a running period says so."""
    year, _sep, rest = key.partition("-")
    if not rest:
        label = year
    elif "-" in rest:  # "Q1-Q3": the completed quarters
        label = Dashboard.span_label(int(year), int(rest[-1]))
    else:
        label = _("Q%(quarter)s %(year)s") % {"quarter": rest[1:], "year": year}
    period = _periods(calendar).get(key)
    if period is not None and period.end >= calendar.today:
        return _("%(period)s so far") % {"period": label}
    return label


def _periods(calendar: Calendar) -> dict[str, Period]:
    return {period.key: period for period in calendar.periods(months=False)}


def period_choices(calendar: Calendar) -> list[tuple[str, str]]:
    """The periods one can choose, newest first: the years of the trend, the quarters of this year
    and last year."""
    keys = [str(year) for year in reversed(calendar.years)]
    for year in (calendar.year, calendar.year - 1):
        keys.extend(period.key for period in reversed(calendar.quarters(year)))
    return [(key, period_label(key, calendar)) for key in keys]


def previous_key(key: str, calendar: Calendar) -> str | None:
    """The same period a year earlier, when the dashboard counts it."""
    year, sep, rest = key.partition("-")
    earlier = f"{int(year) - 1:04d}{sep}{rest}"
    return earlier if earlier in _periods(calendar) else None


# --- Figures as cells ---------------------------------------------------------------------------


def _figure(published: Published, item: Indicator, site_id: int | None, period: str) -> Cell:
    """One published figure as a cell: hidden when suppressed, a percentage for a share."""
    unit = unit_of(item)
    if item.kind == Kind.INDEX and (site_id is None or not period.isdigit()):
        return Cell(unit=unit)  # a yearly score of each site: it neither adds up nor has quarters
    found = published.value(item, site_id, period)
    if found is None:
        return Cell(hidden=True, unit=unit)
    if isinstance(found, Ratio):
        return Cell(found.percent, unit=unit)
    if item.kind == Kind.INDEX and not found:  # no survey wave closed that year
        return Cell(unit=unit)
    return Cell(found, unit=unit)


def _shown(cell: Cell) -> Decimal | int | None:
    return None if cell.hidden else cell.value


def _share(value: Cell, total: Cell) -> Cell:
    if value.hidden or total.hidden:
        return Cell(hidden=True, unit="percent")
    if value.value is None or not total.value:
        return Cell(unit="percent")
    return Cell((Decimal(value.value) * 100 / Decimal(total.value)).quantize(Decimal("0.1")), unit="percent")


def _ranks(values: dict[int, Decimal | int]) -> dict[int, int]:
    """Competition ranking, the largest value first (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=True)
    return {site: ordered.index(value) + 1 for site, value in values.items()}


def _text(value: Value, unit: Unit) -> str:
    text = format_number(value, DECIMALS.get(unit, 0))
    return f"{text} %" if unit == "percent" else text


def _cell_text(cell: Cell) -> str:
    if cell.hidden:
        return _("figure hidden")
    if cell.value is None:
        return _("no figure")
    return _text(cell.value, cell.unit)


def _running(site: Any, period: Period) -> bool:
    """Whether the site worked at some time in the period (planned sites never have)."""
    if site.status == site.Status.PLANNED:
        return False
    started = site.starts_on is None or site.starts_on <= period.end
    return started and (site.ends_on is None or site.ends_on >= period.start)


def _site_url(site_id: int) -> str:
    return reverse("monitoring:site_dashboard", args=[site_id])


# --- The blocks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteLine:
    site: Any
    value: Cell
    before: Cell
    flagged: bool  # data too incomplete for the indicator
    running: bool  # the site worked at some time in the period

    @property
    def compared(self) -> bool:
        return self.running and not self.flagged and self.value.value is not None

    @property
    def note(self) -> str:
        if not self.running:
            return _("not running in this period")
        return _("Data incomplete") if self.flagged else ""


def _comparison(
    item: Indicator,
    lines: Sequence[SiteLine],
    total: Cell,
    total_before: Cell,
    *,
    labels: tuple[str, str | None],
    changes: bool,
) -> tuple[Table, dict[int, str]]:
    """The sites side by side, with the programme total and the average of the compared sites; and
    each compared site's colour class."""
    compared = {
        line.site.pk: line.value.value for line in lines if line.compared and line.value.value is not None
    }
    ranks = _ranks(compared)
    colours = value_classes(compared)[0] if compared else {}
    additive = item.kind in ADDITIVE
    now_label, before_label = labels
    columns: list[str] = [now_label]
    if before_label:
        columns += [before_label, _("Change in %")]
    if additive:
        columns.append(_("Share of the programme total"))
    columns.append(_("Rank"))

    def cells(value: Cell, before: Cell, rank: int | None, *, flagged: bool = False) -> tuple[Cell, ...]:
        found = [Cell(value.value, value.hidden, value.unit, flagged=flagged)]
        if before_label:
            found += [before, change(value, before) if changes else Cell(unit="change")]
        if additive:
            found.append(_share(value, total) if before is not AVERAGE else Cell(unit="percent"))
        found.append(Cell(rank))
        return tuple(found)

    rows = [
        Row(
            label=f"{line.site.code} – {line.site.name}",
            cells=cells(line.value, line.before, ranks.get(line.site.pk), flagged=line.flagged),
            url=_site_url(line.site.pk),
            note=line.note,
        )
        for line in lines
    ]
    if compared:
        mean = Decimal(sum(compared.values())) / len(compared)
        average = Cell(mean.quantize(Decimal("0.1")), unit=unit_of(item))
        rows.append(
            Row(label=_("Average of the compared sites"), cells=cells(average, AVERAGE, None), total=True)
        )
    if item.kind != Kind.INDEX:
        rows.append(Row(label=_("Programme total"), cells=cells(total, total_before, None), total=True))
    caption_parts = []
    if not changes and before_label:
        caption_parts.append(
            _("The period is still running, so it is not compared with the whole period a year earlier.")
        )
    if any(line.flagged or not line.running for line in lines):
        caption_parts.append(
            _(
                "Sites marked “data incomplete” or “not running in this period” are left out of the "
                "comparison: no colour on the map, no rank, not in the average."
            )
        )
    table = Table(
        key="sites",
        title=_("%(indicator)s by site") % {"indicator": item.name},
        stub=_("Site"),
        columns=tuple(columns),
        rows=tuple(rows),
        caption=" ".join(caption_parts),
    )
    return table, colours


def _range(found: ValueClass, unit: Unit) -> str:
    low, high = _text(found.low, unit), _text(found.high, unit)
    return low if low == high else _("%(low)s to %(high)s") % {"low": low, "high": high}


def _map(item: Indicator, period: str, lines: Sequence[SiteLine], colours: dict[int, str]) -> Map:
    """The sites on the map of Thuringia, coloured by their class of the figure; its table gives each
    site's figure and class."""
    compared = {
        site: line.value.value
        for line in lines
        if (site := line.site.pk) in colours and line.value.value is not None
    }
    classes = value_classes(compared)[1] if compared else ()
    unit = unit_of(item)
    ranges = {found.colour: _range(found, unit) for found in classes}
    points, rows = [], []
    for line in lines:
        site = line.site
        text = _cell_text(line.value)
        if line.note:
            text = f"{text}, {line.note}"
        colour = colours.get(site.pk, "")
        rows.append(
            Row(
                label=f"{site.code} – {site.name}",
                cells=(line.value,),
                url=_site_url(site.pk),
                note=_("colour class %(range)s") % {"range": ranges[colour]}
                if colour
                else _("not compared: figure hidden, none or data incomplete"),
            )
        )
        if site.latitude is not None and site.longitude is not None:
            points.append(
                MapPoint(
                    code=site.code,
                    name=site.name,
                    url="",
                    latitude=site.latitude,
                    longitude=site.longitude,
                    status=site.status,
                    fill=colour,
                    value_label=text,
                )
            )
    legend = [MapLegendEntry(ranges[found.colour], found.colour) for found in classes]
    legend.append(MapLegendEntry(_("not compared: figure hidden, none or data incomplete"), NO_CLASS_COLOUR))
    title = _("%(indicator)s, %(period)s") % {"indicator": item.name, "period": period}
    description = _(
        "The ThINKA sites on a map of Thuringia, each marker coloured by the site's figure, light for "
        "small and dark for large figures; hollow markers have no comparable figure. The table below "
        "gives the figures."
    )
    table = Table(
        key="map",
        title=_("Map: %(title)s") % {"title": title},
        stub=_("Site"),
        columns=(period,),
        rows=tuple(rows),
    )
    return Map(
        title=_("The sites on the map"),
        svg=choropleth_svg(points, key="map-sites", title=title, description=description),
        legend=tuple(legend),
        table=table,
    )


def choropleth_svg(points: Sequence[MapPoint], *, key: str, title: str, description: str) -> SafeString:
    """The map of Thuringia with the given (coloured) sites as self-contained SVG, for page and PDF."""
    drawn = thuringia_map(points)
    height = drawn.height + ATTRIBUTION_STRIP
    # Rendered by a template, which escaped every text in it.
    return SafeString(  # nosec B703
        render_to_string(
            "monitoring/_choropleth.svg",
            {
                "map": drawn,
                "key": key,
                "title": title,
                "description": description,
                "height": height,
                "attribution_y": height - 4,
            },
        )
    )


def _trend(item: Indicator, published: Published, calendar: Calendar) -> Chart | None:
    """The programme total over the years, from the first year with a figure shown."""
    if item.kind == Kind.INDEX:
        return None
    cells = [(str(year), _figure(published, item, None, str(year))) for year in calendar.years]
    while cells and not _shown(cells[0][1]) and not _any_site_shown(published, item, cells[0][0]):
        cells.pop(0)
    if not cells:
        return None
    table = Table(
        key="trend",
        title=_("%(indicator)s: programme total by year") % {"indicator": item.name},
        stub=_("Indicator"),
        columns=tuple(period_label(year, calendar) for year, _cell in cells),
        rows=(Row(label=_("Programme total"), cells=tuple(cell for _year, cell in cells)),),
    )
    return Chart(key="trend", title=table.title, kind="bar", table=table, unit=str(item.unit))


def _any_site_shown(published: Published, item: Indicator, period: str) -> bool:
    return any(_shown(_figure(published, item, site, period)) for site in published.site_ids)


def _reporting(published: Published, item: Indicator, site_ids: Sequence[int], period: str) -> int:
    """Sites whose figure is shown and not zero (a hidden one may be zero or small: not counted)."""
    return sum(1 for site_id in site_ids if _shown(_figure(published, item, site_id, period)))


def _overview(published: Published, calendar: Calendar, site_ids: Sequence[int]) -> Table:
    """Every key figure: programme totals this year, last year and over the completed quarters."""
    this, last = str(calendar.year), str(calendar.year - 1)
    span = calendar.comparison()
    columns = [period_label(this, calendar), period_label(last, calendar)]
    keys = [this, last]
    if span:
        columns += [period_label(span[0].key, calendar), period_label(span[1].key, calendar)]
        keys += [span[0].key, span[1].key]
    columns.append(_("Sites with a figure shown, %(year)s") % {"year": this})
    rows = []
    for item in indicators():
        if not item.key_figure:
            continue
        figures = tuple(_figure(published, item, None, key) for key in keys)
        reporting = Cell(_reporting(published, item, site_ids, this))
        rows.append(Row(label=str(item.name), cells=(*figures, reporting)))
    return Table(
        key="key_figures",
        title=_("Key figures of the programme"),
        stub=_("Indicator"),
        columns=tuple(columns),
        rows=tuple(rows),
        caption=_(
            "Programme totals over all sites; the current year up to today. A site's figure that is "
            "hidden may be small or zero, so it is not counted among the sites with a figure."
        ),
    )


def _incomplete(quality: data_quality.Quality, sites: Sequence[Any]) -> Table | None:
    """The sites with incomplete data: each check's share of incomplete records, the failing ones marked."""
    checks = data_quality.CHECKS
    rows = []
    for site in sites:
        results = [quality.get(site.pk, {}).get(check.key) for check in checks]
        if not any(result and result.flagged for result in results):
            continue
        rows.append(
            Row(
                label=f"{site.code} – {site.name}",
                cells=tuple(
                    Cell(result.share, unit="percent", flagged=result.flagged)
                    if result
                    else Cell(unit="percent")
                    for result in results
                ),
                url=_site_url(site.pk),
            )
        )
    if not rows:
        return None
    return Table(
        key="incomplete",
        title=_("Sites with incomplete data"),
        stub=_("Site"),
        columns=tuple(check.label for check in checks),
        rows=tuple(rows),
        caption=_("Share of incomplete records in percent; a share above %(share)s %% marks the site.")
        % {"share": data_quality.INCOMPLETE_SHARE},
    )


def programme_dashboard(
    *, site_ids: Sequence[int], indicator_code: str, period_key: str, today: date
) -> Document:
    """The programme dashboard of the sites for one indicator and period (published figures only)."""
    calendar = Calendar(today)
    item = indicator(indicator_code)
    if period_key not in dict(period_choices(calendar)):
        raise ValueError(f"unknown period {period_key!r}")
    sites = list(programme_selectors.site_list(site_ids=site_ids))
    ids = [site.pk for site in sites]
    published = programme_published(today=today)
    quality = data_quality.site_quality(ids, today)
    flagged = set(data_quality.incomplete_sites(quality, item))

    period = _periods(calendar)[period_key]
    before_key = previous_key(period_key, calendar)
    label = period_label(period_key, calendar)
    lines = [
        SiteLine(
            site=site,
            value=_figure(published, item, site.pk, period_key),
            before=_figure(published, item, site.pk, before_key) if before_key else Cell(),
            flagged=site.pk in flagged,
            running=_running(site, period),
        )
        for site in sites
    ]
    total = _figure(published, item, None, period_key)
    total_before = _figure(published, item, None, before_key) if before_key else Cell()
    still_running = period.end >= today
    table, colours = _comparison(
        item,
        lines,
        total,
        total_before,
        labels=(label, period_label(before_key, calendar) if before_key else None),
        changes=not still_running,
    )
    comparison = Section(
        title=_("%(indicator)s, %(period)s") % {"indicator": item.name, "period": label},
        intro=str(item.definition),
        blocks=(_map(item, label, lines, colours), table),
    )
    programme_blocks: list[Any] = [_overview(published, calendar, ids)]
    if trend := _trend(item, published, calendar):
        programme_blocks.insert(0, trend)
    sections = [comparison, Section(title=_("The programme as a whole"), blocks=tuple(programme_blocks))]
    if incomplete := _incomplete(quality, sites):
        sections.append(
            Section(
                title=_("Data quality"),
                intro=_(
                    "A site whose data is more than a third incomplete for an indicator is marked and left "
                    "out of comparisons for it."
                ),
                blocks=(incomplete,),
            )
        )
    return Document(
        title=_("Programme dashboard"),
        subtitle=_("All sites · %(indicator)s · %(period)s") % {"indicator": item.name, "period": label},
        sections=tuple(sections),
        as_of=today,
        filename=f"programm-{item.code.replace('.', '-')}-{period_key}",
        notes=(
            _(
                "Figures below %(k)s are hidden, and so are figures from which a hidden one could be "
                "worked out."
            )
            % {"k": settings.SUPPRESSION_K},
        ),
    )
