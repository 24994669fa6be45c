"""Reads of the partner survey. Results are computed in `index.py` from per-item sums the database
adds up, so a page costs the same few queries for one wave or for every site's waves."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet, Sum

from inka.network.models import (
    Partner,
    SurveyAnswer,
    SurveyDimension,
    SurveyInstrument,
    SurveyInvitation,
    SurveyItem,
    SurveyResponse,
    SurveyWave,
)
from inka.network.survey.index import (
    DimensionSpec,
    InstrumentSpec,
    ItemSpec,
    ItemTally,
    WaveResult,
    wave_result,
)
from inka.programme.models import Site


@dataclass(frozen=True)
class WaveSummary:
    wave: SurveyWave
    result: WaveResult


@dataclass(frozen=True)
class SiteIndexRow:
    site: Site
    cells: list[WaveSummary | None]  # one per year of the table


def instrument_list_active() -> QuerySet[SurveyInstrument]:
    """Questionnaires that can be used for a new survey."""
    return SurveyInstrument.objects.filter(is_active=True).order_by("name")


def _with_items(instruments: QuerySet[SurveyInstrument]) -> QuerySet[SurveyInstrument]:
    items = SurveyItem.objects.order_by("position", "pk")
    dimensions = SurveyDimension.objects.order_by("position", "pk").prefetch_related(
        Prefetch("items", queryset=items)
    )
    return instruments.prefetch_related(Prefetch("dimensions", queryset=dimensions))


def instrument_get_with_items(instrument_id: int) -> SurveyInstrument:
    """A questionnaire with its dimensions and their items, in order."""
    return _with_items(SurveyInstrument.objects.all()).get(pk=instrument_id)


def _spec(instrument: SurveyInstrument) -> InstrumentSpec:
    """The questionnaire as `index.py` reads it (dimensions and items prefetched)."""
    return InstrumentSpec(
        scale_min=instrument.scale_min,
        scale_max=instrument.scale_max,
        min_responses=instrument.min_responses,
        dimensions=[
            DimensionSpec(
                id=dimension.pk,
                title=dimension.title,
                weight=float(dimension.weight),
                items=[ItemSpec(item.pk, float(item.weight)) for item in dimension.items.all()],
            )
            for dimension in instrument.dimensions.all()
        ],
    )


def wave_summaries(*, site_ids: Sequence[int]) -> list[WaveSummary]:
    """Every wave of the sites with its result and its change against the site's previous wave,
    by site and year."""
    waves = list(
        SurveyWave.objects.filter(site_id__in=site_ids)
        .select_related("site", "instrument")
        .order_by("site__name", "site_id", "year")
    )
    if not waves:
        return []
    invited = dict(
        SurveyInvitation.objects.filter(wave__site_id__in=site_ids)
        .values("wave_id")
        .annotate(n=Count("pk"))
        .values_list("wave_id", "n")
    )
    responded = dict(
        SurveyResponse.objects.filter(wave__site_id__in=site_ids)
        .values("wave_id")
        .annotate(n=Count("pk"))
        .values_list("wave_id", "n")
    )
    tallies: dict[int, dict[int, ItemTally]] = defaultdict(dict)
    answered = (
        SurveyAnswer.objects.filter(response__wave__site_id__in=site_ids, value__isnull=False)
        .values("response__wave_id", "item_id")
        .annotate(total=Sum("value"), count=Count("pk"))
        .values_list("response__wave_id", "item_id", "total", "count")
    )
    for wave_id, item_id, total, count in answered:
        tallies[wave_id][item_id] = ItemTally(total, count)
    instruments = _with_items(SurveyInstrument.objects.filter(pk__in={wave.instrument_id for wave in waves}))
    specs = {instrument.pk: _spec(instrument) for instrument in instruments}
    summaries = []
    previous_index: dict[int, float | None] = {}
    for wave in waves:
        result = wave_result(
            specs[wave.instrument_id],
            tallies[wave.pk],
            n_invited=invited.get(wave.pk, 0),
            n_responded=responded.get(wave.pk, 0),
            previous_index=previous_index.get(wave.site_id),
        )
        previous_index[wave.site_id] = result.index
        summaries.append(WaveSummary(wave, result))
    return summaries


def wave_summary(wave: SurveyWave) -> WaveSummary:
    """The result of one wave, with its change against the site's previous wave."""
    return next(summary for summary in wave_summaries(site_ids=[wave.site_id]) if summary.wave.pk == wave.pk)


def index_table(*, site_ids: Sequence[int]) -> tuple[list[int], list[SiteIndexRow]]:
    """Years and, per site with a survey, its wave of each year (or None): the programme overview."""
    summaries = wave_summaries(site_ids=site_ids)
    years = sorted({summary.wave.year for summary in summaries})
    by_site: dict[int, dict[int, WaveSummary]] = defaultdict(dict)
    sites: dict[int, Site] = {}
    for summary in summaries:
        by_site[summary.wave.site_id][summary.wave.year] = summary
        sites[summary.wave.site_id] = summary.wave.site
    rows = [
        SiteIndexRow(site, [by_site[site_id].get(year) for year in years])
        for site_id, site in sorted(sites.items(), key=lambda entry: (entry[1].name, entry[0]))
    ]
    return years, rows


def wave_years(*, site_id: int) -> list[int]:
    """The years in which the site has a survey."""
    return list(SurveyWave.objects.filter(site_id=site_id).values_list("year", flat=True))


def invitation_list(*, wave: SurveyWave) -> QuerySet[SurveyInvitation]:
    """The wave's invitations with their partners, by partner name."""
    return wave.invitations.select_related("partner").order_by("partner__name", "partner__town", "pk")


def partner_list_to_invite(*, wave: SurveyWave) -> QuerySet[Partner]:
    """Active partners on the site's list that are not invited to the wave yet."""
    return (
        Partner.objects.filter(site_links__site_id=wave.site_id, is_active=True)
        .exclude(pk__in=SurveyInvitation.objects.filter(wave=wave).values("partner_id"))
        .order_by("name", "town")
    )


def wave_comments(*, wave: SurveyWave) -> list[str]:
    """The partners' suggestions, sorted by their text so that their order tells nothing."""
    return sorted(
        SurveyResponse.objects.filter(wave=wave).exclude(comment="").values_list("comment", flat=True)
    )
