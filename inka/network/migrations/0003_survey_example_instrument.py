"""Load the example questionnaire of the partner survey, so that every installation has one.

The questionnaire is data (inka/network/survey/instruments/example.json); replace or add others with
`inka survey load-instrument FILE.json` (docs/survey.md).
"""

import json
from pathlib import Path

from django.db import migrations

EXAMPLE = Path(__file__).resolve().parent.parent / "survey" / "instruments" / "example.json"


def load_example(apps, schema_editor):
    instrument_model = apps.get_model("network", "SurveyInstrument")
    dimension_model = apps.get_model("network", "SurveyDimension")
    item_model = apps.get_model("network", "SurveyItem")
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    if instrument_model.objects.filter(name=data["name"]).exists():
        return
    instrument = instrument_model.objects.create(
        name=data["name"],
        introduction=data["introduction"],
        scale_min=data["scale"]["min"],
        scale_max=data["scale"]["max"],
        scale_labels=data["scale"]["labels"],
        no_answer_label=data["no_answer_label"],
        min_responses=data["min_responses"],
        open_question=data["open_question"],
        is_active=data["is_active"],
    )
    for d_position, dimension in enumerate(data["dimensions"], start=1):
        saved = dimension_model.objects.create(
            instrument=instrument, position=d_position, title=dimension["title"], weight=dimension["weight"]
        )
        item_model.objects.bulk_create(
            item_model(dimension=saved, position=i_position, text=item["text"], weight=item["weight"])
            for i_position, item in enumerate(dimension["items"], start=1)
        )


def remove_example(apps, schema_editor):
    instrument_model = apps.get_model("network", "SurveyInstrument")
    name = json.loads(EXAMPLE.read_text(encoding="utf-8"))["name"]
    instrument_model.objects.filter(name=name, waves__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0002_networkactivity_partnercontact_service_and_more")]

    operations = [migrations.RunPython(load_example, remove_example)]
