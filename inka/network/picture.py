"""The figures behind the network picture (N6): a site's partners in one year and what they did together.

Everything is counted in the database with a fixed number of queries, whatever the size of the
network; the results are plain dataclasses. `picture_svg` lays them out and the templates draw them.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django_scopes import scope

from inka.cases.models import Referral
from inka.community.models import Project, ProjectStatus
from inka.core.scoping import SOCIAL
from inka.core.suppression import suppress_line
from inka.network.models import Agreement, NetworkActivity, PartnerKind, SitePartner

# Records in INKA start in 2024: earlier years have no referrals, projects or activities to show.
FIRST_YEAR = 2024
# The growth chart looks back this many years at most; older partners count as existing in its first year.
GROWTH_YEARS = 12
# Agreements ending within this many days are due for renewal.
DUE_WITHIN_DAYS = 90
KIND_ORDER = {kind: index for index, kind in enumerate(PartnerKind.values)}


@dataclass(frozen=True)
class PartnerYear:
    """One partner on the site's list and what the site did with it in the year."""

    link_id: int
    partner_id: int
    name: str
    kind: str
    since: date | None
    is_new: bool  # put on the list in this year
    referrals: int | None  # None: hidden (a small number, for viewers outside the site's team)
    projects: int  # joint community projects running in the year
    activities: int  # network activities in the year the partner took part in
    agreement: bool  # a written agreement in force in the year

    @property
    def kind_label(self) -> str:
        return str(PartnerKind(self.kind).label)

    @property
    def joint_work(self) -> int:
        return self.projects + self.activities

    @property
    def activity(self) -> int:
        """What the node size shows: referrals, joint projects and activities, one for an agreement."""
        return (self.referrals or 0) + self.projects + self.activities + int(self.agreement)


@dataclass(frozen=True)
class Tie:
    """Two partners that worked together in the site's joint projects or activities."""

    first: int  # partner ids, first < second
    second: int
    count: int


@dataclass(frozen=True)
class KindRow:
    """Referrals by kind of partner; referrals None when hidden."""

    kind: str
    partners: int
    referrals: int | None

    @property
    def label(self) -> str:
        return str(PartnerKind(self.kind).label)


@dataclass(frozen=True)
class DueAgreement:
    pk: int
    title: str
    partner_name: str
    ends_on: date
    renewed: bool


@dataclass(frozen=True)
class GrowthYear:
    """Partners on the site's list at the end of a year: those from earlier years and the new ones."""

    year: int
    existing: int
    new: int

    @property
    def total(self) -> int:
        return self.existing + self.new


@dataclass(frozen=True)
class NetworkYear:
    """The site's network in one year, as the picture, its figures and its tables show it."""

    site_id: int
    year: int
    partners: tuple[PartnerYear, ...]  # by kind of partner, then name
    ties: tuple[Tie, ...]
    kinds: tuple[KindRow, ...]  # the kinds on the list, in the order of PartnerKind
    referrals_total: int | None
    agreements_due: tuple[DueAgreement, ...]
    due_until: date | None  # the end of the renewal window (current year), None for past years
    growth: tuple[GrowthYear, ...]
    suppressed: bool = False

    @property
    def active_partners(self) -> int:
        return sum(1 for partner in self.partners if partner.activity > 0)

    @property
    def new_partners(self) -> int:
        return sum(1 for partner in self.partners if partner.is_new)

    @property
    def joint_partners(self) -> int:
        return sum(1 for partner in self.partners if partner.joint_work > 0)

    @property
    def agreement_partners(self) -> int:
        return sum(1 for partner in self.partners if partner.agreement)

    @property
    def hidden_referrals(self) -> bool:
        return any(partner.referrals is None for partner in self.partners)


def year_choices(site_start: date | None, *, today: date | None = None) -> list[int]:
    """The years a site's picture can show, newest first: from its start (not before 2024) to now."""
    this_year = (today or timezone.localdate()).year
    first = max(FIRST_YEAR, site_start.year if site_start else FIRST_YEAR)
    return list(range(this_year, min(first, this_year) - 1, -1))


def referral_counts(*, site_id: int, year: int) -> dict[int, int]:
    """Referrals the site sent to each partner in the year (withdrawn ones left out): numbers only."""
    # Referrals are person-level data, outside the scope of the steering group and the programme
    # coordination, who see the picture too. So this one function opens the social scope of exactly
    # the one site, filters by it once more, and lets nothing but a count per partner out.
    with scope(**{SOCIAL: [site_id]}):
        rows = (
            Referral.objects.filter(case__site_id=site_id, sent_on__year=year)
            .exclude(status=Referral.Status.WITHDRAWN)
            .values("partner_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        return {row["partner_id"]: row["count"] for row in rows}


def _counts_and_ties(memberships: QuerySet, group: str) -> tuple[dict[int, int], Counter[tuple[int, int]]]:
    """Per partner, the number of `group`s (projects or activities); per pair of partners, the shared ones."""
    counts = {
        row["partner_id"]: row["count"]
        for row in memberships.values("partner_id").annotate(count=Count(f"{group}_id")).order_by()
    }
    pairs = (
        memberships.filter(**{f"{group}__partners__gt": F("partner_id")})
        .values("partner_id", other=F(f"{group}__partners"))
        .annotate(count=Count(f"{group}_id"))
        .order_by()
    )
    ties = Counter({(row["partner_id"], row["other"]): row["count"] for row in pairs})
    return counts, ties


def _project_memberships(site_id: int, start: date, end: date) -> QuerySet:
    """Partners of the site's joint projects running in the year; cancelled projects do not count."""
    return Project.partners.through.objects.filter(
        Q(project__ends_on__isnull=True) | Q(project__ends_on__gte=start),
        project__site_id=site_id,
        project__starts_on__lte=end,
    ).exclude(project__status=ProjectStatus.CANCELLED)


def _activity_memberships(site_id: int, year: int) -> QuerySet:
    return NetworkActivity.partners.through.objects.filter(
        networkactivity__site_id=site_id, networkactivity__held_on__year=year
    )


def _growth(links: Iterable[SitePartner], *, first_year: int, last_year: int) -> tuple[GrowthYear, ...]:
    since_years = [link.since.year if link.since else None for link in links]
    first_year = max(first_year, last_year - GROWTH_YEARS + 1)
    return tuple(
        GrowthYear(
            year=year,
            existing=sum(1 for since in since_years if since is None or since < year),
            new=sum(1 for since in since_years if since == year),
        )
        for year in range(first_year, last_year + 1)
    )


def network_year(*, site_id: int, year: int, today: date | None = None) -> NetworkYear:
    """The site's partners in `year` with their referrals, joint work and agreements, and its growth."""
    today = today or timezone.localdate()
    start, end = date(year, 1, 1), date(year, 12, 31)
    links = list(
        SitePartner.objects.filter(site_id=site_id)
        .select_related("partner")
        .order_by("partner__name", "partner__town", "pk")
    )
    on_list = [link for link in links if link.since is None or link.since <= end]
    referrals = referral_counts(site_id=site_id, year=year)
    projects, project_ties = _counts_and_ties(_project_memberships(site_id, start, end), "project")
    activities, activity_ties = _counts_and_ties(_activity_memberships(site_id, year), "networkactivity")

    # One read of the agreements serves both questions: in force in the year, and due for renewal.
    current = year == today.year
    due_from, due_until = (today, today + timedelta(days=DUE_WITHIN_DAYS)) if current else (start, end)
    agreements = list(
        Agreement.objects.filter(site_id=site_id, starts_on__lte=max(end, due_until))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=min(start, due_from)))
        .select_related("partner")
        .order_by("ends_on", "pk")
    )
    in_force = {
        agreement.partner_id
        for agreement in agreements
        if agreement.starts_on <= end and (agreement.ends_on is None or agreement.ends_on >= start)
    }
    due = tuple(
        DueAgreement(
            pk=agreement.pk,
            title=agreement.title,
            partner_name=agreement.partner.name,
            ends_on=agreement.ends_on,
            renewed=agreement.renewed_by_id is not None,
        )
        for agreement in agreements
        if agreement.ends_on is not None
        and due_from <= agreement.ends_on <= due_until
        # In the current year a renewed agreement is settled; for past years the list shows what ended.
        and not (current and agreement.renewed_by_id is not None)
    )

    partners = sorted(
        (
            PartnerYear(
                link_id=link.pk,
                partner_id=link.partner_id,
                name=link.partner.name,
                kind=link.partner.kind,
                since=link.since,
                is_new=link.since is not None and link.since.year == year,
                referrals=referrals.get(link.partner_id, 0),
                projects=projects.get(link.partner_id, 0),
                activities=activities.get(link.partner_id, 0),
                agreement=link.partner_id in in_force,
            )
            for link in on_list
        ),
        key=lambda partner: (KIND_ORDER.get(partner.kind, len(KIND_ORDER)), partner.name.casefold()),
    )
    shown = {partner.partner_id for partner in partners}
    ties = tuple(
        Tie(first, second, count)
        for (first, second), count in sorted((project_ties + activity_ties).items())
        if first in shown and second in shown
    )
    first_since = min((link.since.year for link in links if link.since), default=year)
    return NetworkYear(
        site_id=site_id,
        year=year,
        partners=tuple(partners),
        ties=ties,
        kinds=_kind_rows(partners),
        referrals_total=sum(partner.referrals or 0 for partner in partners),
        agreements_due=due,
        due_until=due_until if current else None,
        growth=_growth(links, first_year=min(first_since, year), last_year=max(year, today.year)),
    )


def _kind_rows(partners: Iterable[PartnerYear]) -> tuple[KindRow, ...]:
    """Partners and referrals by kind; `partners` come ordered by kind."""
    by_kind: dict[str, list[PartnerYear]] = {}
    for partner in partners:
        by_kind.setdefault(partner.kind, []).append(partner)
    return tuple(
        KindRow(kind=kind, partners=len(members), referrals=sum(member.referrals or 0 for member in members))
        for kind, members in by_kind.items()
    )


def suppress_referrals(network: NetworkYear, *, k: int) -> NetworkYear:
    """The picture for viewers outside the site's team: referral numbers below k hidden, and whatever
    would give them away.

    The counts form a hierarchy: partners add up to their kind, kinds to the total. The kinds with
    the total are suppressed first (primary and secondary suppression). Within a kind whose number is
    shown, the partners are suppressed as a line with that number as its total; within a hidden kind,
    every partner's number is hidden too, since those numbers would add up to it.
    """
    if not network.partners:
        return replace(network, suppressed=True)
    kind_cells, total = suppress_line([row.referrals or 0 for row in network.kinds], k=k)
    hidden: dict[int, int | None] = {}
    for row, kind_cell in zip(network.kinds, kind_cells, strict=True):
        members = [partner for partner in network.partners if partner.kind == row.kind]
        cells: tuple[int | None, ...] = (None,) * len(members)
        if kind_cell is not None:
            line, line_total = suppress_line([partner.referrals or 0 for partner in members], k=k)
            # A line whose total is k or more always hides cells rather than its total; should it
            # ever hide the total, which the kind table shows, all the kind's partners stay hidden.
            if line_total is not None:
                cells = line
        hidden.update({partner.partner_id: cell for partner, cell in zip(members, cells, strict=True)})
    partners = tuple(replace(partner, referrals=hidden[partner.partner_id]) for partner in network.partners)
    kinds = tuple(replace(row, referrals=cell) for row, cell in zip(network.kinds, kind_cells, strict=True))
    return replace(network, partners=partners, kinds=kinds, referrals_total=total, suppressed=True)
