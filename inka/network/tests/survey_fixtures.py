"""A small questionnaire and a wave of site A for the survey tests (and the URL matrix)."""

import json
from datetime import timedelta
from typing import Any

from django.utils import timezone

from inka.network.models import Partner, PartnerKind, SitePartner, SurveyInstrument, SurveyWave
from inka.network.survey import services
from inka.network.survey.instrument_file import parse_instrument

# Scale 1–5; dimension A has a1 (weight 2) and a2, dimension B has b1: the example of index.py.
SMALL = {
    "name": "Testfragebogen",
    "introduction": "Bitte beantworten Sie die Fragen.",
    "scale": {
        "min": 1,
        "max": 5,
        "labels": [
            {"value": 1, "label": "trifft gar nicht zu"},
            {"value": 2, "label": "trifft eher nicht zu"},
            {"value": 3, "label": "teils, teils"},
            {"value": 4, "label": "trifft eher zu"},
            {"value": 5, "label": "trifft voll zu"},
        ],
    },
    "no_answer_label": "keine Angabe",
    "min_responses": 5,
    "open_question": "Was könnte die Zusammenarbeit verbessern?",
    "dimensions": [
        {
            "title": "Gemeinsame Ziele",
            "items": [
                {"text": "Die Ziele sind klar.", "weight": 2},
                {"text": "Die Ziele passen zu uns.", "weight": 1},
            ],
        },
        {"title": "Koordination", "items": [{"text": "Die Treffen sind gut vorbereitet."}]},
    ],
}


def small_instrument(**changes: Any) -> SurveyInstrument:
    return services.instrument_load(data=parse_instrument(json.dumps({**SMALL, **changes})))[0]


def items_of(instrument: SurveyInstrument) -> list[Any]:
    """a1, a2, b1 of the small questionnaire, in order."""
    return [
        item
        for dimension in instrument.dimensions.order_by("position")
        for item in dimension.items.order_by("position")
    ]


def open_wave(site: Any, instrument: SurveyInstrument, year: int | None = None) -> SurveyWave:
    today = timezone.localdate()
    return SurveyWave.objects.create(
        site=site,
        instrument=instrument,
        year=year or today.year,
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=21),
    )


def site_partner(site: Any, name: str, town: str = "Altenburg") -> Partner:
    partner = Partner.objects.get_or_create(name=name, town=town, defaults={"kind": PartnerKind.OTHER})[0]
    SitePartner.objects.get_or_create(site=site, partner=partner)
    return partner
