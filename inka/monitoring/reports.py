"""The documents of period reports: a site's report, and the programme report of a year.

A report shows its narrative and its figures for the report's period next to the same period a
year earlier, section by section of the catalogue, each indicator with its breakdowns. A submitted
report shows the figures frozen on submission, a draft the live ones. The site's own team sees them
exactly; the steering group and the programme coordination see them published (small numbers hidden).
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from inka.monitoring.access import Audience
from inka.monitoring.catalogue import Indicator, Section, breakdowns, indicators
from inka.monitoring.dashboard_site import Reading, catalogue_url
from inka.monitoring.document import Document, Narrative, Row, Table
from inka.monitoring.document import Section as DocumentSection
from inka.monitoring.figures import Figures, exact_figures
from inka.monitoring.models import PeriodReport, ReportStatus
from inka.monitoring.periods import quarter_key
from inka.monitoring.publication import HiddenInEither, programme_published, publish
from inka.monitoring.services import figures_day
from inka.programme.models import Site


def report_figures(report: PeriodReport, *, today: date) -> Figures:
    """The figures of the report: frozen on submission; for a draft, counted now."""
    if report.figures:
        return Figures.from_json(report.figures)
    return exact_figures(site_ids=[report.site_id], today=figures_day(report, today))


def reading(figures: Figures, site_id: int, audience: Audience, *, today: date) -> Reading:
    """The site's figures as cells: exact for the site's team, published for everyone else.

    Outside the team a report's own publication is combined with today's programme-wide one, so a
    cell shown in a report cannot give away a cell hidden on a dashboard.
    """
    if audience == Audience.TEAM:
        return Reading(figures, site_id)
    own = publish(figures, k=settings.SUPPRESSION_K)
    return Reading(HiddenInEither(own, programme_published(today=today)), site_id)


def paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of a text (separated by blank lines)."""
    return tuple(part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip())


def narrative_blocks(report: PeriodReport) -> tuple[Narrative, ...]:
    titles = {
        "achievements": _("What went well"),
        "difficulties": _("Difficulties"),
        "plans": _("Plans for the next period"),
    }
    return tuple(
        Narrative(title, paragraphs(getattr(report, name)) or (_("Not written yet."),))
        for name, title in titles.items()
    )


def earlier_key(report: PeriodReport) -> str:
    """The same period a year earlier."""
    if report.quarter:
        return quarter_key(report.year - 1, report.quarter)
    return f"{report.year - 1:04d}"


def earlier_label(report: PeriodReport) -> str:
    if report.quarter:
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": report.quarter, "year": report.year - 1}
    return _("Year %(year)s") % {"year": report.year - 1}


def _has_earlier(report: PeriodReport) -> bool:
    """Whether the site worked in the same period a year earlier."""
    starts_on = report.site.starts_on
    return starts_on is None or starts_on <= report.ends_on.replace(year=report.year - 1)


def figure_tables(
    report: PeriodReport, figures: Reading, *, with_breakdowns: bool
) -> tuple[DocumentSection, ...]:
    """Per section of the catalogue: its indicators, then each indicator by each of its breakdowns."""
    keys = [report.period_key, *([earlier_key(report)] if _has_earlier(report) else [])]
    columns = (report.period_label, *([earlier_label(report)] if len(keys) > 1 else []))
    sections = []
    for section, title in Section.choices:
        chosen = [item for item in indicators() if item.section == section]
        if not chosen:
            continue
        overview = Table(
            key=f"{section}",
            title=title,
            stub=_("Indicator"),
            columns=columns,
            rows=tuple(
                Row(item.name, tuple(figures.cell(item, key) for key in keys), url=catalogue_url(item.code))
                for item in chosen
            ),
        )
        detail = []
        for item in chosen:
            for by in item.breakdowns if with_breakdowns else ():
                breakdown = breakdowns()[by]
                rows = [
                    Row(
                        label,
                        tuple(figures.cell(item, key, by=by, value=value) for key in keys),
                    )
                    for value, label in breakdown.choices()
                ]
                rows.append(Row(_("Total"), tuple(figures.cell(item, key) for key in keys), total=True))
                detail.append(
                    Table(
                        key=f"{item.code}.{by}",
                        title=_("%(indicator)s by %(breakdown)s")
                        % {"indicator": item.name, "breakdown": breakdown.label},
                        stub=str(breakdown.label),
                        columns=columns,
                        rows=tuple(rows),
                        caption=item.definition
                        if breakdown.additive
                        else _(
                            "One record can fall into several rows, so the rows do not add up to the total."
                        ),
                    )
                )
        sections.append(DocumentSection(title, (overview, *detail)))
    return tuple(sections)


def suppression_notes(audience: Audience, *, quarterly: bool = False) -> tuple[str, ...]:
    if audience == Audience.TEAM:
        return ()
    hidden = _(
        "Numbers below %(k)s are hidden, and so are numbers from which a hidden one could be worked out."
    ) % {"k": settings.SUPPRESSION_K}
    if quarterly:
        return (hidden, _("Breakdowns by gender, age, topic and the like are shown in the yearly report."))
    return (hidden,)


def report_document(report: PeriodReport, *, audience: Audience, today: date | None = None) -> Document:
    """The report as a document: narrative, then the figures section by section."""
    today = today or timezone.localdate()
    figures = report_figures(report, today=today)
    as_of = report.submitted_at.date() if report.submitted_at else today
    status = (
        _("Draft – figures as of today, counted anew until the report is submitted.")
        if report.status == ReportStatus.DRAFT
        else _("Figures frozen on submission (counted up to %(day)s).")
        % {"day": figures.calendar.today.strftime("%d.%m.%Y")}
    )
    return Document(
        title=report.title,
        subtitle=_("%(site)s, version %(version)s") % {"site": report.site.name, "version": report.version},
        sections=(
            DocumentSection(_("Report of the site"), narrative_blocks(report)),
            *figure_tables(
                report,
                reading(figures, report.site_id, audience, today=today),
                # Outside the team, breakdowns are published for whole years only (see publication).
                with_breakdowns=audience == Audience.TEAM or report.quarter is None,
            ),
        ),
        as_of=as_of,
        filename=f"bericht-{slugify(report.site.code)}-{report.period_key.lower()}-v{report.version}",
        notes=(status, *suppression_notes(audience, quarterly=report.quarter is not None)),
    )


def key_figures() -> tuple[Indicator, ...]:
    return tuple(item for item in indicators() if item.key_figure)


def programme_document(
    *, year: int, sites: Iterable[Site], reports: dict[int, PeriodReport], today: date | None = None
) -> Document:
    """The programme report of a year: every site's accepted yearly report, published, side by side.

    `reports`: the latest accepted yearly report of each site that has one.
    """
    today = today or timezone.localdate()
    chosen = key_figures()
    key = f"{year:04d}"
    overview_rows, site_sections, missing = [], [], []
    for site in sites:
        report = reports.get(site.pk)
        if report is None:
            missing.append(site.name)
            continue
        # Each site published on its own: the same cells are hidden as in its report.
        figures = reading(Figures.from_json(report.figures), site.pk, Audience.OUTSIDE, today=today)
        overview_rows.append(
            Row(
                site.name,
                tuple(figures.cell(item, key) for item in chosen),
                url=report.get_absolute_url(),
            )
        )
        earlier = f"{year - 1:04d}"
        site_table = Table(
            key=f"site-{slugify(site.code)}",
            title=_("Key figures"),
            stub=_("Indicator"),
            columns=(str(year), str(year - 1)),
            rows=tuple(
                Row(
                    item.name,
                    (figures.cell(item, key), figures.cell(item, earlier)),
                    url=catalogue_url(item.code),
                )
                for item in chosen
            ),
        )
        site_sections.append(
            DocumentSection(
                site.name,
                (*narrative_blocks(report), site_table),
                intro=_("Yearly report, version %(version)s, accepted on %(day)s.")
                % {
                    "version": report.version,
                    "day": report.reviewed_at.strftime("%d.%m.%Y") if report.reviewed_at else "",
                },
            )
        )
    overview = Table(
        key="sites",
        title=_("Key figures of the sites %(year)s") % {"year": year},
        stub=_("Site"),
        columns=tuple(item.name for item in chosen),
        rows=tuple(overview_rows),
        caption=_("From the accepted yearly reports; figures as frozen when each report was submitted."),
    )
    missing_block = Narrative(
        _("Sites without an accepted yearly report"),
        (", ".join(missing),) if missing else (_("Every site has an accepted yearly report."),),
    )
    return Document(
        title=_("Programme report %(year)s") % {"year": year},
        subtitle=_("ThINKA – all sites"),
        sections=(
            DocumentSection(_("Overview"), (overview, missing_block)),
            *site_sections,
        ),
        as_of=today,
        filename=f"programmbericht-{year}",
        notes=suppression_notes(Audience.OUTSIDE),
    )
