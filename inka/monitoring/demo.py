"""Demo part of the period reports: for every active site the completed quarters of the latest
completed quarter's year, and the yearly report of the year before.

The yearly report and the older quarters are accepted; the quarter before the latest was returned
at every other site with a comment; the latest completed quarter is submitted and waits for the
programme coordination, except at ALT, whose site lead (leitung.alt) still has to write it. The
figures are counted once for all sites and frozen per site; the reports are bulk-inserted.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from inka.accounts.models import Membership
from inka.core.demo import DemoContext
from inka.core.permissions import Role
from inka.monitoring.figures import Figures, exact_figures
from inka.monitoring.models import PeriodReport, ReportStatus
from inka.monitoring.periods import quarter_of
from inka.programme.models import Site

OWN_REPORT = "ALT"  # the demo site lead writes this site's latest quarterly report

ACHIEVEMENTS = (
    "Die Sprechstunde im {place} wird gut angenommen; viele kommen inzwischen auf Empfehlung von "
    "Nachbarn.\n\nDas Nachbarschaftscafé hat sich als fester Treffpunkt etabliert, Ehrenamtliche "
    "übernehmen dort einen Teil der Organisation.",
    "Mit dem Jobcenter gibt es jetzt feste Ansprechpartner; Vermittlungen laufen schneller.\n\n"
    "Die aufsuchende Arbeit im Wohngebiet hat neue Ratsuchende erreicht, die vorher kein Angebot "
    "genutzt haben.",
    "Das Stadtteilfest im {place} war sehr gut besucht und hat neue Kontakte zu Vereinen gebracht.\n\n"
    "Drei Ratsuchende haben eine Arbeit aufgenommen.",
)
DIFFICULTIES = (
    "Eine Stelle war zwei Monate unbesetzt; Beratungen mussten verschoben werden.",
    "Termine bei Behörden sind schwer zu bekommen, Begleitungen binden viel Zeit.",
    "Der Raum im {place} steht nur an zwei Tagen zur Verfügung; für Gruppenangebote fehlt Platz.",
)
PLANS = (
    "Eine zweite Sprechstunde im Familienzentrum; Gespräche mit der Wohnungsgesellschaft über einen "
    "weiteren Raum.",
    "Ein Bewerbungstraining mit dem Jobcenter und ein Ausflug mit der Seniorengruppe.",
    "Mehr Hausbesuche im Neubaugebiet und ein Infoabend zu Energieschulden.",
)
RETURN_COMMENT = (
    "Bitte erläutern Sie den Rückgang der Beratungskontakte gegenüber dem Vorjahresquartal und "
    "ergänzen Sie, wie die unbesetzte Stelle aufgefangen wurde."
)


def completed_quarters(today: date, count: int) -> list[tuple[int, int]]:
    """The last `count` completed quarters (year, quarter), the latest first."""
    year, quarter = today.year, quarter_of(today)
    found = []
    for _index in range(count):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        found.append((year, quarter))
    return found


def site_figures(figures: Figures, site_id: int) -> dict[str, Any]:
    """One site's part of figures counted for several sites, as a report freezes it."""
    own = Figures(
        figures.calendar,
        (site_id,),
        {
            series: {key: n for key, n in counts.items() if key[0] == site_id}
            for series, counts in figures.counts.items()
        },
    )
    return own.as_json()


def _moment(day: date, days: int) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=days), time(10, 30)))


def generate(ctx: DemoContext) -> None:
    today = timezone.localdate()
    reported = set(PeriodReport.objects.values_list("site_id", flat=True))
    sites = [
        site
        for _code, site in sorted(ctx.sites.items())
        if site.status == Site.Status.ACTIVE and site.pk not in reported
    ]
    if not sites:
        return
    latest = completed_quarters(today, 1)[0]
    # The completed quarters of the latest quarter's year, so that one count as of its end holds
    # every period reported on and the same periods a year earlier (see periods.Calendar).
    quarters = [period for period in completed_quarters(today, 4) if period[0] == latest[0]]
    counted = exact_figures(
        site_ids=[site.pk for site in sites], today=PeriodReport(year=latest[0], quarter=latest[1]).ends_on
    )
    leads = dict(
        Membership.objects.filter(site__in=sites, role=Role.SITE_LEAD)
        .order_by("site_id", "pk")
        .values_list("site_id", "user_id")
    )
    coordinator = ctx.users.get("koordination")
    reports = []
    for index, site in enumerate(sites):
        frozen = site_figures(counted, site.pk)
        periods: list[tuple[int, int | None, str]] = [(latest[0] - 1, None, ReportStatus.ACCEPTED)]
        for position, (quarter_year, quarter) in enumerate(quarters):
            if position == 0:
                status = "" if site.code == OWN_REPORT else ReportStatus.SUBMITTED
            elif position == 1 and index % 5 == 1:
                status = ReportStatus.RETURNED
            else:
                status = ReportStatus.ACCEPTED
            if status:
                periods.append((quarter_year, quarter, status))
        for period_year, period_quarter, status in periods:
            report = PeriodReport(
                site=site,
                year=period_year,
                quarter=period_quarter,
                status=status,
                figures=frozen,
            )
            if site.starts_on and report.ends_on < site.starts_on:
                continue
            place = site.neighbourhood or site.name
            report.achievements = ctx.rng.choice(ACHIEVEMENTS).format(place=place)
            report.difficulties = ctx.rng.choice(DIFFICULTIES).format(place=place)
            report.plans = ctx.rng.choice(PLANS).format(place=place)
            report.submitted_at = _moment(report.ends_on, ctx.rng.randint(5, 20))
            report.submitted_by_id = leads.get(site.pk)
            if status != ReportStatus.SUBMITTED:
                report.reviewed_at = report.submitted_at + timedelta(days=ctx.rng.randint(3, 14))
                report.reviewed_by = coordinator
                report.review_comment = RETURN_COMMENT if status == ReportStatus.RETURNED else ""
            reports.append(report)
    PeriodReport.objects.bulk_create(reports)
