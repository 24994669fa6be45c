"""Demo part of the partner survey: a wave in each of the last three years at every active site.

Each wave invites 10–40 of the site's partners, of whom 40–80 % answer. Answers follow a tendency of
the site, a trend over the years and a profile over the dimensions, so the index moves plausibly.
The current year's wave is still open and leaves a few partners to invite; one site has fewer than
five answers in its oldest wave, so the flag shows. Runs after the partners exist (network demo).
"""

import hashlib
import math
import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from inka.core.demo import DemoContext
from inka.network.models import (
    SitePartner,
    SurveyAnswer,
    SurveyInvitation,
    SurveyItem,
    SurveyResponse,
    SurveyWave,
)
from inka.network.survey.services import instrument_get_example
from inka.programme.models import Site

YEARS_BACK = 2  # waves of this year and the two before
NOT_YET_INVITED = 3  # partners left to invite in the open wave
NO_ANSWER_SHARE = 0.06
COMMENT_SHARE = 0.3
FLAGGED_SITE = "ALT"  # its oldest wave has fewer than five answers
COMMENTS = [
    "Regelmäßigere Netzwerktreffen, gern auch einmal vor Ort bei den Partnern.",
    "Ein gemeinsamer Kalender für Veranstaltungen im Stadtteil wäre hilfreich.",
    "Kürzere Wege bei Vermittlungen: eine feste Ansprechperson pro Einrichtung.",
    "Mehr Austausch zu konkreten Fällen (anonymisiert) statt allgemeiner Berichte.",
    "Protokolle der Netzwerktreffen zeitnah verschicken.",
    "Die Treffen sollten nicht immer vormittags stattfinden.",
    "Eine aktuelle Liste der Angebote aller Partner, am besten digital.",
    "Gemeinsame Öffentlichkeitsarbeit, damit die Menschen im Viertel uns besser kennen.",
    "Mehr Zeit für gegenseitiges Kennenlernen neuer Kolleginnen und Kollegen.",
    "Die Zusammenarbeit läuft gut, bitte so weitermachen.",
    "Neue Partner wie Schulen und Vereine stärker einbinden.",
    "Klare Absprachen, wer welche Aufgabe im Netzwerk übernimmt.",
]


def _window(year: int, today: date) -> tuple[date, date]:
    """Autumn for past years; the current year's survey runs from four weeks ago to three weeks ahead."""
    if year == today.year:
        return today - timedelta(weeks=4), today + timedelta(weeks=3)
    return date(year, 10, 1), date(year, 11, 15)


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    years = list(range(today.year - YEARS_BACK, today.year + 1))
    instrument = instrument_get_example()
    items = list(
        SurveyItem.objects.filter(dimension__instrument=instrument).order_by(
            "dimension__position", "position"
        )
    )
    # A second run leaves sites that have their surveys already as they are.
    surveyed = set(SurveyWave.objects.values_list("site_id", flat=True))
    sites = [
        site
        for _code, site in sorted(ctx.sites.items())
        if site.status == Site.Status.ACTIVE and site.pk not in surveyed
    ]
    partners: dict[int, list[int]] = defaultdict(list)
    for site_id, partner_id in (
        SitePartner.objects.filter(site__in=sites).order_by("partner_id").values_list("site_id", "partner_id")
    ):
        partners[site_id].append(partner_id)

    waves = []
    for site in sites:
        for year in years if partners[site.pk] else []:
            opens_on, closes_on = _window(year, today)
            waves.append(
                SurveyWave(
                    site=site, instrument=instrument, year=year, opens_on=opens_on, closes_on=closes_on
                )
            )
    SurveyWave.objects.bulk_create(waves)

    # The site's level, its trend per year, and its strengths and weaknesses by dimension.
    level = {site.pk: min(4.3, max(2.6, rng.gauss(3.6, 0.35))) for site in sites}
    trend = {site.pk: rng.uniform(-0.2, 0.3) for site in sites}
    profile = {(site.pk, item.dimension_id): rng.gauss(0, 0.3) for site in sites for item in items}

    invitations, responses, answers = [], [], []
    for wave in waves:
        start, end = wave.opens_on, min(wave.closes_on, today)
        pool = partners[wave.site_id]
        is_open = wave.closes_on >= today
        n_invited = max(0, min(rng.randint(10, 40), len(pool) - (NOT_YET_INVITED if is_open else 0)))
        if wave.site.code == FLAGGED_SITE and wave.year == years[0]:
            n_invited, n_responded = min(10, n_invited), min(4, n_invited)
        else:
            n_responded = min(n_invited, max(5, math.ceil(n_invited * rng.uniform(0.4, 0.8))))
        invited = rng.sample(pool, n_invited)
        answered = set(rng.sample(invited, n_responded))
        for partner_id in invited:
            invitations.append(
                SurveyInvitation(
                    wave=wave,
                    partner_id=partner_id,
                    token_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(),
                    invited_on=start,
                    answered_on=(
                        start + timedelta(days=rng.randint(0, (end - start).days))
                        if partner_id in answered
                        else None
                    ),
                )
            )
        mean = level[wave.site_id] + trend[wave.site_id] * (wave.year - years[0])
        for _number in range(n_responded):
            response = SurveyResponse(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                wave=wave,
                comment=rng.choice(COMMENTS) if rng.random() < COMMENT_SHARE else "",
            )
            responses.append(response)
            mood = rng.gauss(0, 0.45)
            for item in items:
                value: int | None = None
                if rng.random() >= NO_ANSWER_SHARE:
                    raw = mean + profile[(wave.site_id, item.dimension_id)] + mood + rng.gauss(0, 0.6)
                    value = min(instrument.scale_max, max(instrument.scale_min, round(raw)))
                answers.append(SurveyAnswer(response=response, item=item, value=value))
    SurveyInvitation.objects.bulk_create(invitations)
    SurveyResponse.objects.bulk_create(responses)
    SurveyAnswer.objects.bulk_create(answers, batch_size=2000)
