"""Reads of the partner network. Callers pass the site ids they may see; the scope is the net."""

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils.translation import pgettext_lazy

from inka.core.aggregates import Counts, Period, per_month, per_period
from inka.network.models import (
    ActivityKind,
    Agreement,
    Audience,
    Language,
    NetworkActivity,
    Partner,
    PartnerContact,
    PartnerKind,
    Service,
    ServiceAudience,
    ServiceLanguage,
    SitePartner,
)
from inka.network.survey.selectors import wave_summaries


def _search(q: str, *, prefix: str = "") -> Q:
    q = q.strip()
    if not q:
        return Q()
    return Q(**{f"{prefix}name__icontains": q}) | Q(**{f"{prefix}town__icontains": q})


def partner_list(*, site_ids: Sequence[int], q: str = "", kind: str = "") -> QuerySet[SitePartner]:
    """The sites' partner links with their partners, filtered by name or town and kind."""
    links = SitePartner.objects.filter(site_id__in=site_ids).filter(_search(q, prefix="partner__"))
    if kind:
        links = links.filter(partner__kind=kind)
    return links.select_related("partner", "site").order_by("partner__name", "partner__town", "site__name")


def partner_list_across_sites(*, site_ids: Sequence[int], q: str = "", kind: str = "") -> QuerySet[Partner]:
    """Partners that work with any of the sites, once each, with those sites' links prefetched."""
    links = SitePartner.objects.filter(site_id__in=site_ids)
    partners = Partner.objects.filter(pk__in=links.values("partner_id")).filter(_search(q))
    if kind:
        partners = partners.filter(kind=kind)
    shown_links = links.select_related("site").order_by("site__name")
    return partners.prefetch_related(
        Prefetch("site_links", queryset=shown_links, to_attr="visible_links")
    ).order_by("name", "town")


def partner_choices(*, site_id: int) -> QuerySet[Partner]:
    """Active partners on the site's list, by kind and name: the choices of a referral form."""
    return Partner.objects.filter(is_active=True, site_links__site_id=site_id).order_by("kind", "name")


def partner_get_for_site(*, site_id: int, partner_id: int) -> SitePartner | None:
    """The site's link to a partner, or None when the partner is not on the site's list."""
    return (
        SitePartner.objects.select_related("partner", "site")
        .filter(site_id=site_id, partner_id=partner_id)
        .first()
    )


def partner_get_duplicate(*, name: str, town: str, exclude_pk: int | None = None) -> Partner | None:
    """A partner of the same name in the same town (ignoring case), if one is on record."""
    partners = Partner.objects.filter(name__iexact=name.strip(), town__iexact=town.strip())
    if exclude_pk is not None:
        partners = partners.exclude(pk=exclude_pk)
    return partners.order_by("pk").first()


def shift_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier, if negative); the month's last day where it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _case_variants(word: str) -> set[str]:
    # SQLite folds the case of ASCII letters only; these variants find "Übersetzung" for "übersetzung".
    return {word, word.lower(), word.upper(), word[:1].upper() + word[1:].lower()}


def _in_any_field(word: str, fields: Sequence[str]) -> Q:
    """`word` in one of `fields`, ignoring case."""
    condition = Q()
    for field in fields:
        for variant in _case_variants(word):
            condition |= Q(**{f"{field}__icontains": variant})
    return condition


def _labels_with(word: str, choices: Sequence[tuple[str, Any]]) -> list[str]:
    """The values of the choices whose label (in the current language) contains `word`."""
    folded = word.casefold()
    if len(folded) < LABEL_WORD_MIN:
        return []
    return [value for value, label in choices if folded in str(label).casefold()]


def _service_words(q: str) -> Q:
    """Every word of `q` in the service's or partner's text, or in the label of its target group,
    language or kind of partner ("Schulden" finds services for people in debt)."""
    condition = Q()
    for word in q.split():
        matches = _in_any_field(word, SERVICE_SEARCH_FIELDS)
        if audiences := _labels_with(word, Audience.choices):
            matches |= Q(
                Exists(ServiceAudience.objects.filter(service=OuterRef("pk"), audience__in=audiences))
            )
        if languages := _labels_with(word, Language.choices):
            matches |= Q(
                Exists(ServiceLanguage.objects.filter(service=OuterRef("pk"), language__in=languages))
            )
        if kinds := _labels_with(word, PartnerKind.choices):
            matches |= Q(partner__kind__in=kinds)
        condition &= matches
    return condition


# The services directory

SERVICE_SEARCH_FIELDS = ("name", "description", "partner__name", "partner__town")
# Shorter words ("in", "und") would find half of the labels.
LABEL_WORD_MIN = 4


def service_list(
    *,
    site_ids: Sequence[int],
    whole_programme: bool = False,
    q: str = "",
    audience: str = "",
    language: str = "",
    kind: str = "",
    cost: str = "",
) -> QuerySet[Service]:
    """Offered services of active partners, matching every word of `q` and each filter given.

    Only partners on the lists of `site_ids`, unless `whole_programme`; each service's partner carries
    `visible_links`, its links to `site_ids`. A target group also finds services for everyone.
    """
    services = Service.objects.filter(is_active=True, partner__is_active=True).filter(_service_words(q))
    if not whole_programme:
        services = services.filter(
            Exists(SitePartner.objects.filter(partner=OuterRef("partner"), site_id__in=site_ids))
        )
    if audience:
        services = services.filter(
            Exists(
                ServiceAudience.objects.filter(
                    service=OuterRef("pk"), audience__in=[audience, Audience.EVERYONE]
                )
            )
        )
    if language:
        services = services.filter(
            Exists(ServiceLanguage.objects.filter(service=OuterRef("pk"), language=language))
        )
    if kind:
        services = services.filter(partner__kind=kind)
    if cost:
        services = services.filter(cost=cost)
    links = SitePartner.objects.filter(site_id__in=site_ids).select_related("site").order_by("site__name")
    # Looking beyond the site's own partners, the own ones still come first.
    on_list = Exists(SitePartner.objects.filter(partner=OuterRef("partner"), site_id__in=site_ids))
    return (
        services.annotate(on_list=on_list)
        .select_related("partner")
        .prefetch_related(
            Prefetch("audiences", queryset=ServiceAudience.objects.order_by("audience")),
            Prefetch("languages", queryset=ServiceLanguage.objects.order_by("language")),
            Prefetch("partner__site_links", queryset=links, to_attr="visible_links"),
        )
        .order_by("-on_list", "name", "partner__name", "pk")
    )


def service_choices(*, site_id: int) -> QuerySet[Service]:
    """Offered services of the active partners on the site's list: the choices of a referral form."""
    return (
        Service.objects.filter(is_active=True, partner__is_active=True, partner__site_links__site_id=site_id)
        .select_related("partner")
        .order_by("partner__name", "partner__town", "name", "pk")
    )


def service_list_of_partner(*, partner_id: int) -> QuerySet[Service]:
    """All services of a partner, the offered ones first, with target groups and languages."""
    return (
        Service.objects.filter(partner_id=partner_id)
        .prefetch_related(
            Prefetch("audiences", queryset=ServiceAudience.objects.order_by("audience")),
            Prefetch("languages", queryset=ServiceLanguage.objects.order_by("language")),
        )
        .order_by("-is_active", "name", "pk")
    )


def partner_contact_list(*, link_id: int) -> QuerySet[PartnerContact]:
    """The further contact persons of a site's cooperation with a partner, by name."""
    return PartnerContact.objects.filter(link_id=link_id).order_by("name", "pk")


# Cooperation agreements


class AgreementStatus(models.TextChoices):
    UPCOMING = "upcoming", pgettext_lazy("agreement status", "not yet in force")
    RUNNING = "running", pgettext_lazy("agreement status", "running")
    ENDS_SOON = "ends_soon", pgettext_lazy("agreement status", "ends soon")
    OPEN_ENDED = "open_ended", pgettext_lazy("agreement status", "open-ended")
    EXPIRED = "expired", pgettext_lazy("agreement status", "expired")
    RENEWED = "renewed", pgettext_lazy("agreement status", "renewed")


# An agreement "ends soon" in the last three months of its term, or once its reminder date has come.
ENDS_SOON_MONTHS = 3
# The work list shows a reminder this many days ahead, and keeps it this long after the end.
REMINDER_LEAD_DAYS = 14
REMINDER_GRACE_DAYS = 30


def _agreement_status(today: date) -> Case:
    return Case(
        When(renewed_by__isnull=False, then=Value(AgreementStatus.RENEWED.value)),
        When(starts_on__gt=today, then=Value(AgreementStatus.UPCOMING.value)),
        When(ends_on__lt=today, then=Value(AgreementStatus.EXPIRED.value)),
        When(ends_on__isnull=True, then=Value(AgreementStatus.OPEN_ENDED.value)),
        When(
            Q(ends_on__lte=shift_months(today, ENDS_SOON_MONTHS)) | Q(remind_on__lte=today),
            then=Value(AgreementStatus.ENDS_SOON.value),
        ),
        default=Value(AgreementStatus.RUNNING.value),
        output_field=models.CharField(),
    )


def agreement_list(
    *,
    site_ids: Sequence[int],
    today: date,
    status: str = "",
    kind: str = "",
    partner_id: int | None = None,
) -> QuerySet[Agreement]:
    """The sites' agreements with their partners, each annotated with its `status` on `today`."""
    agreements = (
        Agreement.objects.filter(site_id__in=site_ids)
        .annotate(status=_agreement_status(today))
        .select_related("partner", "site")
    )
    if status:
        agreements = agreements.filter(status=status)
    if kind:
        agreements = agreements.filter(kind=kind)
    if partner_id is not None:
        agreements = agreements.filter(partner_id=partner_id)
    return agreements.order_by("site__name", "-starts_on", "-pk")


def agreement_get_status(*, agreement: Agreement, today: date) -> str:
    """The status of one agreement on `today` (the rule of `agreement_list`)."""
    status = (
        Agreement.objects.filter(pk=agreement.pk)
        .annotate(status=_agreement_status(today))
        .values_list("status", flat=True)
        .first()
    )
    return status or AgreementStatus.RUNNING


def agreement_reminders(*, site_ids: Sequence[int], today: date) -> QuerySet[Agreement]:
    """Agreements whose renewal is due: reminder date within two weeks, not renewed, not long over."""
    return (
        Agreement.objects.filter(
            site_id__in=site_ids,
            remind_on__lte=today + timedelta(days=REMINDER_LEAD_DAYS),
            renewed_by__isnull=True,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today - timedelta(days=REMINDER_GRACE_DAYS)))
        .select_related("partner", "site")
        .order_by("remind_on", "pk")
    )


# Network activities


def activity_list(
    *,
    site_ids: Sequence[int],
    year: int | None = None,
    kind: str = "",
    partner_id: int | None = None,
) -> QuerySet[NetworkActivity]:
    """The sites' network activities, newest first, with the partners present (by name)."""
    activities = NetworkActivity.objects.filter(site_id__in=site_ids)
    if year is not None:
        activities = activities.filter(held_on__year=year)
    if kind:
        activities = activities.filter(kind=kind)
    if partner_id is not None:
        activities = activities.filter(partners=partner_id)
    return (
        activities.select_related("site")
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.order_by("name", "town")))
        .order_by("-held_on", "-pk")
    )


def activity_counts(*, site_ids: Sequence[int], year: int | None = None) -> list[tuple[str, str, int]]:
    """How many activities of each kind the sites had (in `year`), in the order of the kinds."""
    activities = NetworkActivity.objects.filter(site_id__in=site_ids)
    if year is not None:
        activities = activities.filter(held_on__year=year)
    counts = dict(activities.values_list("kind").annotate(count=Count("pk")).order_by())
    return [(kind, str(label), counts[kind]) for kind, label in ActivityKind.choices if counts.get(kind)]


def activity_years(*, site_ids: Sequence[int]) -> list[int]:
    """The years in which the sites recorded network activities, newest first."""
    years = (
        NetworkActivity.objects.filter(site_id__in=site_ids)
        .annotate(year=ExtractYear("held_on"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return list(years)


def partner_list_for_site(*, site_id: int, include: Sequence[int] = ()) -> QuerySet[Partner]:
    """The partners on the site's list (and those in `include`), by name: choices of the site's forms."""
    return (
        Partner.objects.filter(Q(site_links__site_id=site_id) | Q(pk__in=list(include)))
        .distinct()
        .order_by("name", "town")
    )


# --- Figures for monitoring: numbers only, one GROUP BY query each (inka.core.aggregates) ---------

PARTNER_KIND = {None: None, "partner_kind": "partner__kind"}


def _on_list_by(day: date) -> Q:
    """Links on the site's list on `day`: since the day cooperation began or, where that is not
    recorded, since the day the partner was put on the list."""
    return Q(since__lte=day) | Q(since__isnull=True, created_at__date__lte=day)


def partner_counts(*, site_ids: Sequence[int], periods: Sequence[Period], by: str | None = None) -> Counts:
    """Active partners on the sites' lists on the last day of each period; `by`: "partner_kind".

    A partner marked inactive (it no longer exists) is left out of every period: the day it ended is
    not recorded. A link is not dated back before its start (see `_on_list_by`).
    """
    links = SitePartner.objects.filter(partner__is_active=True)
    return per_period(
        links,
        site_ids=site_ids,
        periods=periods,
        measure=lambda period: Count("pk", filter=_on_list_by(period.end)),
        by=PARTNER_KIND[by],
    )


def new_partner_counts(*, site_ids: Sequence[int], start: date, end: date, by: str | None = None) -> Counts:
    """Partners put on the sites' lists, by the month cooperation began (or, where that is not
    recorded, the month the partner was put on the list); `by`: "partner_kind"."""
    links = SitePartner.objects.annotate(began=Coalesce("since", TruncDate("created_at")))
    return per_month(links, site_ids=site_ids, start=start, end=end, day="began", by=PARTNER_KIND[by])


def agreement_counts(*, site_ids: Sequence[int], periods: Sequence[Period], by: None = None) -> Counts:
    """Agreements in force on the last day of each period; a renewed one gives way to its follow-up
    on the day the follow-up begins."""

    def in_force(period: Period) -> Count:
        day = period.end
        running = Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        not_replaced = Q(renewed_by__isnull=True) | Q(renewed_by__starts_on__gt=day)
        return Count("pk", filter=running & not_replaced)

    return per_period(Agreement.objects.all(), site_ids=site_ids, periods=periods, measure=in_force)


def activity_counts_by_month(
    *, site_ids: Sequence[int], start: date, end: date, by: str | None = None
) -> Counts:
    """Network activities by the month they were held; `by`: "activity_kind"."""
    field = {None: None, "activity_kind": "kind"}[by]
    activities = NetworkActivity.objects.all()
    return per_month(activities, site_ids=site_ids, start=start, end=end, day="held_on", by=field)


def survey_index_values(*, site_ids: Sequence[int], periods: Sequence[Period], by: None = None) -> Counts:
    """The overall index (0–100, one decimal) of each site's partner survey for the year periods.

    A site has at most one survey wave a year (`SurveyWave.year`, unique per site), so a year never
    has two indexes; the wave is the one of the period's year, whenever it opened or closed. Answers
    carry no date (they are anonymous), so a wave still open counts with the answers so far, like any
    figure of a running period. Quarters and other periods get no value, nor does a wave without any
    valid answer. Computed by `inka.network.survey.index` from a few queries for all sites and years.
    """
    years = {int(period.key): period.key for period in periods if period.key.isdigit()}
    if not site_ids or not years:
        return {}
    values: Counts = {}
    for summary in wave_summaries(site_ids=site_ids):
        wave, index = summary.wave, summary.result.index
        if wave.year in years and index is not None:
            # As the survey pages show it (floatformat rounds half up from the float's repr).
            shown = Decimal(repr(index)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            values[(wave.site_id, years[wave.year], None)] = shown
    return values
