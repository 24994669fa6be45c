"""`inka survey load-instrument FILE.json`: check the file, then load or replace the questionnaire."""

import json

import pytest
from django.utils.translation import gettext as _

from inka.cli import main
from inka.network.models import SurveyDimension, SurveyInstrument, SurveyItem
from inka.network.survey.services import EXAMPLE_INSTRUMENT
from inka.network.tests.survey_fixtures import SMALL, items_of, open_wave
from inka.network.tests.test_survey_services import answer_wave


@pytest.fixture
def inka(capsys, tmp_path):
    """inka(data) writes `data` (dict or text) to a file and loads it; returns (exit code, out, err)."""

    def run(data):
        path = tmp_path / "fragebogen.json"
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        code = main(["survey", "load-instrument", str(path)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def database_state():
    return (
        list(SurveyInstrument.objects.values_list("name", "scale_max", "open_question").order_by("name")),
        list(SurveyDimension.objects.values_list("title", "weight").order_by("pk")),
        list(SurveyItem.objects.values_list("text", "weight").order_by("pk")),
    )


def test_the_example_questionnaire_is_installed_by_the_migration(db):
    instrument = SurveyInstrument.objects.get(name="Netzwerkpartner-Befragung (Beispiel nach Univation 2006)")
    assert "Beispiel" in instrument.introduction
    assert (instrument.scale_min, instrument.scale_max, instrument.min_responses) == (1, 5, 5)
    assert instrument.scale_labels[0] == {"value": 1, "label": "trifft gar nicht zu"}
    assert instrument.scale_labels[-1] == {"value": 5, "label": "trifft voll zu"}
    assert instrument.no_answer_label == "keine Angabe"
    assert instrument.open_question == "Was könnte die Zusammenarbeit im Netzwerk verbessern?"
    dimensions = list(instrument.dimensions.order_by("position"))
    assert len(dimensions) == 6
    assert all(2 <= dimension.items.count() <= 3 for dimension in dimensions)
    assert {str(d.weight) for d in dimensions} | {str(i.weight) for i in items_of(instrument)} == {"1.00"}


def test_the_example_file_loads_through_the_command(db, inka):
    code, out, err = inka(EXAMPLE_INSTRUMENT.read_text(encoding="utf-8"))
    assert (code, err) == (0, "")
    assert "ersetzt: 6 Dimensionen, 16 Fragen" in out


def test_a_valid_file_creates_a_questionnaire(db, inka):
    code, out, err = inka(SMALL)
    assert code == 0, err
    assert out == "Fragebogen „Testfragebogen“ neu angelegt: 2 Dimensionen, 3 Fragen.\n"
    instrument = SurveyInstrument.objects.get(name="Testfragebogen")
    assert [(i.text, str(i.weight)) for i in items_of(instrument)] == [
        ("Die Ziele sind klar.", "2.00"),
        ("Die Ziele passen zu uns.", "1.00"),
        ("Die Treffen sind gut vorbereitet.", "1.00"),
    ]


def test_a_questionnaire_without_answers_is_replaced(db, inka):
    inka(SMALL)
    code, out, _err = inka({**SMALL, "dimensions": SMALL["dimensions"][:1], "open_question": ""})
    assert code == 0
    assert "ersetzt: 1 Dimensionen, 2 Fragen" in out
    instrument = SurveyInstrument.objects.get(name="Testfragebogen")
    assert instrument.dimensions.count() == 1
    assert instrument.open_question == ""


def test_a_questionnaire_with_answers_is_not_changed(world, inka):
    inka(SMALL)
    instrument = SurveyInstrument.objects.get(name="Testfragebogen")
    answer_wave(open_wave(world.site_a, instrument), [(5, 3, 2)])
    before = database_state()
    code, out, err = inka({**SMALL, "min_responses": 3})
    assert code == 1
    assert out == ""
    refusal = _(
        "The questionnaire “%(name)s” already has answers and cannot be changed any more. "
        "Load the new version under a new name."
    ) % {"name": "Testfragebogen"}
    assert refusal in err
    assert database_state() == before
    code, out, _err = inka({**SMALL, "name": "Testfragebogen 2027", "min_responses": 3})
    assert code == 0
    assert SurveyInstrument.objects.get(name="Testfragebogen 2027").min_responses == 3


def broken(**changes):
    data = json.loads(json.dumps(SMALL))
    for path, value in changes.items():
        target = data
        *parents, last = path.split("/")
        for key in parents:
            target = target[int(key) if key.isdigit() else key]
        if value is None:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    ("data", "place"),
    [
        ('{"name": "Kaputt",', "line 1"),
        ("[]", ""),
        (broken(name=""), "name"),
        (broken(name=None), "name"),
        (broken(colour="blau"), "colour"),
        (broken(**{"scale/max": 1}), "scale.max"),
        (broken(**{"scale/max": 20}), "scale.max"),
        (broken(**{"scale/min": "eins"}), "scale.min"),
        (broken(**{"scale/labels/4": None}), "scale.labels"),
        (broken(**{"scale/labels/4/value": 6}), "scale.labels[4].value"),
        (broken(**{"scale/labels/4/value": 4}), "scale.labels[4].value"),
        (broken(**{"dimensions": []}), "dimensions"),
        (broken(**{"dimensions/0/items": []}), "dimensions[0].items"),
        (broken(**{"dimensions/0/items/0/text": ""}), "dimensions[0].items[0].text"),
        (broken(**{"dimensions/0/items/0/weight": 0}), "dimensions[0].items[0].weight"),
        (broken(**{"dimensions/0/items/0/weight": -1}), "dimensions[0].items[0].weight"),
        (broken(**{"dimensions/0/items/0/weight": 0.125}), "dimensions[0].items[0].weight"),
        (broken(**{"dimensions/1/weight": "schwer"}), "dimensions[1].weight"),
        (broken(min_responses=0), "min_responses"),
        (broken(is_active="ja"), "is_active"),
    ],
)
def test_an_invalid_file_is_refused_with_the_place_of_each_problem_and_nothing_is_written(
    db, inka, data, place
):
    before = database_state()
    code, out, err = inka(data)
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert "nicht geladen" in lines[0]
    if place.startswith("line"):
        assert "(line 1, column" in err or "(Zeile 1, Spalte" in err
    elif place:
        assert any(line.startswith(f"{place}: ") for line in lines[1:]), err
    assert database_state() == before


def test_every_problem_is_listed_at_once(db, inka):
    code, _out, err = inka(broken(name="", **{"dimensions/0/items/0/text": "", "scale/max": 1}))
    assert code == 1
    assert "die Datei hat 3 Fehler" in err


def test_a_missing_file(db, capsys, tmp_path):
    assert main(["survey", "load-instrument", str(tmp_path / "fehlt.json")]) == 1
    assert "Datei kann nicht gelesen werden" in capsys.readouterr().err
