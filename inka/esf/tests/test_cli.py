"""`inka esf import | report | export`: the worked examples of the study (§10) through the command line.

The example files use the sites of the `world` fixture: operation O1 is NORD, O2 is SUED.
"""

import csv
import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from inka.cli import build_parser, main
from inka.esf.catalogue import INDICATORS
from inka.esf.models import Participation
from inka.esf.tests.test_interchange import database_state

DATA = Path(__file__).parent / "data"
EXAMPLE_1_2 = DATA / "example_1_2.jsonl"
EXAMPLE_3 = DATA / "example_3.jsonl"


@pytest.fixture
def inka(capsys):
    """inka("esf", "report", …) runs the command; returns (exit code, stdout, stderr)."""

    def run(*argv: str | Path) -> tuple[int, str, str]:
        code = main([str(arg) for arg in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def report(inka, *argv: str) -> dict:
    code, out, err = inka("esf", "report", *argv)
    assert code == 0, err
    return json.loads(out)


def totals(result: dict) -> dict[str, int]:
    return {code: counts["total"] for code, counts in result["indicators"].items()}


# Example 1 (outputs, entries 2024) and Example 2 (results, leavers 2024), defaults.
EXAMPLE_1_2_ESF_2014 = {
    "CO01": 4, "CO02": 2, "CO03": 2, "CO04": 1, "CO05": 2, "CO06": 2, "CO07": 2, "CO08": 1, "CO09": 2,
    "CO10": 4, "CO11": 1, "CO12": 3, "CO13": 1, "CO14": 1, "CO15": 2, "CO16": 1, "CO17": 1, "CO18": 1,
    "CO19": 3,
    "CR01": 1, "CR02": 1, "CR03": 1, "CR04": 2, "CR05": 3, "CR06": 4, "CR07": 1, "CR08": 0, "CR09": 2,
}  # fmt: skip
EXAMPLE_1_2_ESF_PLUS = {
    "EECO01": 4, "EECO02": 2, "EECO03": 2, "EECO04": 2, "EECO05": 1, "EECO06": 3, "EECO07": 2,
    "EECO08": 3, "EECO09": 4, "EECO10": 1, "EECO11": 8, "EECO12": 1, "EECO13": 1, "EECO14": 2,
    "EECO15": 0, "EECO16": 1, "EECO17": 3,
    "EECR01": 1, "EECR02": 1, "EECR03": 1, "EECR04": 2, "EECR05": 4, "EECR06": 1,
}  # fmt: skip
YEAR_2024 = ("--from", "2024-01-01", "--to", "2024-12-31")
YEAR_2025 = ("--from", "2025-01-01", "--to", "2025-12-31")


@pytest.fixture
def example_1_2(world, inka):
    code, out, err = inka("esf", "import", EXAMPLE_1_2)
    assert code == 0, err
    assert "9 neu, 0 geändert, 0 unverändert" in out


@pytest.fixture
def example_3(world, inka):
    code, out, err = inka("esf", "import", EXAMPLE_3)
    assert code == 0, err
    assert "6 neu, 0 geändert, 0 unverändert" in out


@pytest.mark.parametrize(
    ("indicator_set", "expected"), [("esf-2014", EXAMPLE_1_2_ESF_2014), ("esf-plus", EXAMPLE_1_2_ESF_PLUS)]
)
def test_examples_1_and_2_give_the_printed_figures(example_1_2, inka, indicator_set, expected):
    result = report(inka, *YEAR_2024, "--set", indicator_set)

    assert totals(result) == expected
    # P8 is incomplete: it counts in the record totals only.
    assert result["records"] | {"followup_responses": None} == {
        "entries": 9,
        "entries_complete": 8,
        "leavers": 9,
        "leavers_complete": 8,
        "followup_responses": None,
    }


def test_example_1_total_by_gender(example_1_2, inka):
    result = report(inka, *YEAR_2024)

    assert result["indicators"]["EECO11"] == {"total": 8, "F": 4, "M": 4, "X": 0}


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["ltu_rule=DE_SGB3"], {"CO02": 2, "EECO02": 2}),  # P4 and P7 instead of P2 and P7
        (["eecr01_population=ALL"], {"EECR01": 2}),
        (["cr05_component_rule=LITERAL"], {"CR05": 5}),
        (["disadvantaged_includes_rural=true"], {"CR05": 4}),
        (
            [
                "cr06_population=UNEMPLOYED_OR_INACTIVE_AT_ENTRY",
                "eecr05_population=UNEMPLOYED_OR_INACTIVE_AT_ENTRY",
            ],
            {"CR06": 3, "EECR05": 3, "CR09": 1},
        ),
    ],
)
def test_examples_1_and_2_under_the_listed_options(example_1_2, inka, options, expected):
    figures = {}
    for indicator_set in ("esf-2014", "esf-plus"):
        result = report(inka, *YEAR_2024, "--set", indicator_set, "--option", *options)
        figures |= totals(result)
        for option in options:
            name, value = option.split("=")
            assert str(result["options"][name]).lower() == value.lower()

    assert {code: figures[code] for code in expected} == expected


def test_example_3_entries_of_2024(example_3, inka):
    result = report(inka, *YEAR_2024)

    assert {code: value for code, value in totals(result).items() if value} == {
        "EECO11": 1,
        "EECO01": 1,
        "EECO02": 1,
        "EECO06": 1,
        "EECO08": 1,
    }
    # Q1's first exit is no exit any more after the re-entry: the revised leavers of 2024 are 0.
    assert result["records"]["leavers"] == 0


def test_example_3_under_the_german_long_term_unemployment_rule(example_3, inka):
    default = report(inka, *YEAR_2024)
    german = report(inka, *YEAR_2024, "--option", "ltu_rule=DE_SGB3")

    assert default["indicators"]["EECO02"]["total"] == 1
    assert german["indicators"]["EECO02"]["total"] == 0
    assert german["options"]["ltu_rule"] == "DE_SGB3"


def test_example_3_entries_and_leavers_of_2025(example_3, inka):
    result = report(inka, *YEAR_2025)

    figures = totals(result)
    assert {
        code: figures[code]
        for code in (
            "EECO11", "EECO01", "EECO02", "EECO03", "EECO04", "EECO06", "EECO07", "EECO08", "EECO09",
            "EECO10", "EECO12", "EECO14", "EECR01", "EECR02", "EECR03", "EECR04", "EECR05",
        )
    } == {
        "EECO11": 4, "EECO01": 2, "EECO02": 0, "EECO03": 1, "EECO04": 1, "EECO06": 0, "EECO07": 0,
        "EECO08": 1, "EECO09": 2, "EECO10": 1, "EECO12": 0, "EECO14": 0,
        "EECR01": 0, "EECR02": 0, "EECR03": 0, "EECR04": 1, "EECR05": 0,
    }  # fmt: skip
    # Entries: Q2, Q3a, Q3b, Q4 and the incomplete Q5; leavers: Q1 (final exit), Q3a, Q4.
    assert result["records"]["entries"] == 5
    assert result["records"]["entries_complete"] == 4
    assert result["records"]["leavers"] == 3
    assert result["sites"] == ["NORD", "SUED"]


def test_site_limits_the_report(example_3, inka):
    result = report(inka, *YEAR_2025, "--site", "NORD")

    assert result["sites"] == ["NORD"]
    assert result["indicators"]["EECO11"]["total"] == 3  # Q2, Q3a, Q4; Q3b is at SUED
    assert result["indicators"]["EECO01"]["total"] == 1
    both = report(inka, *YEAR_2025, "--site", "SUED", "--site", "NORD")
    assert both["sites"] == ["NORD", "SUED"]
    assert both["indicators"]["EECO11"]["total"] == 4


@pytest.mark.parametrize("indicator_set", ["esf-plus", "esf-2014"])
def test_report_lists_every_indicator_of_the_set_also_when_zero(world, inka, indicator_set):
    result = report(inka, *YEAR_2024, "--set", indicator_set)

    assert list(result) == ["indicator_set", "from", "to", "sites", "options", "records", "indicators"]
    assert result["indicator_set"] == indicator_set
    assert (result["from"], result["to"]) == ("2024-01-01", "2024-12-31")
    assert result["sites"] == ["NORD", "SUED"]
    assert result["options"]["ltu_rule"] == "EU_GUIDANCE"
    assert result["options"]["disadvantaged_includes_rural"] is False
    assert result["records"] == dict.fromkeys(
        ("entries", "entries_complete", "leavers", "leavers_complete", "followup_responses"), 0
    )
    assert list(result["indicators"]) == [item.code for item in INDICATORS[indicator_set]]
    assert all(counts == {"total": 0, "F": 0, "M": 0, "X": 0} for counts in result["indicators"].values())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--site", "XYZ"], "XYZ"),
        (["--option", "ltu_rule=SOMETIMES"], "SOMETIMES"),
        (["--option", "colour=red"], "colour"),
        (["--format", "xlsx"], "--output"),
    ],
)
def test_report_refuses_bad_arguments_with_a_message(world, inka, argv, message):
    code, out, err = inka("esf", "report", *YEAR_2024, *argv)

    assert code == 2
    assert message in err
    assert out == ""


def test_report_refuses_a_date_that_is_no_date(world, inka):
    with pytest.raises(SystemExit) as exit_:
        inka("esf", "report", "--from", "2024-13-01", "--to", "2024-12-31")
    assert exit_.value.code == 2


def test_report_as_csv_holds_numbers(example_1_2, inka):
    code, out, err = inka("esf", "report", *YEAR_2024, "--format", "csv")

    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert len(rows) == 1 + len(INDICATORS["esf-plus"])
    by_code = {row[0]: [int(value) for value in row[2:]] for row in rows[1:]}
    assert by_code["EECO11"] == [8, 4, 4, 0]


def test_report_as_xlsx_holds_numbers_as_numbers(example_1_2, inka, tmp_path):
    path = tmp_path / "bericht.xlsx"
    code, out, err = inka(
        "esf", "report", *YEAR_2024, "--set", "esf-2014", "--format", "xlsx", "--output", path
    )
    assert out == ""

    assert code == 0, err
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Indikatoren", "Angaben"]
    rows = list(workbook["Indikatoren"].iter_rows(values_only=True))
    by_code = {row[0]: row[2:] for row in rows[1:]}
    assert list(by_code) == [item.code for item in INDICATORS["esf-2014"]]
    assert by_code["CO01"] == (4, 2, 2, 0)
    assert all(isinstance(value, int) for figures in by_code.values() for value in figures)
    values = [row[1] for row in workbook["Angaben"].iter_rows(values_only=True)]
    assert values[1] == "esf-2014"
    assert (values[2].date(), values[3].date()) == (date(2024, 1, 1), date(2024, 12, 31))
    assert values[4] == "NORD, SUED"
    assert "EU_GUIDANCE" in values
    assert values[-5:-1] == [9, 8, 9, 8]  # entries, complete ones, leavers, complete ones


def test_report_json_to_a_file(example_1_2, inka, tmp_path):
    path = tmp_path / "bericht.json"
    code, out, _err = inka("esf", "report", *YEAR_2024, "--output", path)

    assert code == 0
    assert out == ""
    assert json.loads(path.read_text(encoding="utf-8"))["indicators"]["EECO01"]["total"] == 4


# (b) one bad line among many: reported with line and field, nothing written.


def example_lines() -> list[dict]:
    """The nine lines of Examples 1 and 2 and 41 more valid ones (copies of P1 with their own keys)."""
    lines = [json.loads(line) for line in EXAMPLE_1_2.read_text(encoding="utf-8").splitlines()]
    for number in range(1, 42):
        copy = dict(lines[0], participation_id=f"NORD-G{number:03d}", person_key=f"K-G{number:03d}")
        lines.append(copy)
    return lines


def unknown_site(line: dict, lines: list[dict]) -> str:
    line["site"] = "XYZ"
    return "site"


def exit_before_entry(line: dict, lines: list[dict]) -> str:
    line["stays"] = [{"entry": "2024-03-15", "exit": "2024-03-14"}]
    return "stays[1].exit"


def malformed_date(line: dict, lines: list[dict]) -> str:
    line["date_of_birth"] = "1999-02-30"
    return "date_of_birth"


def duplicate_id(line: dict, lines: list[dict]) -> str:
    line["participation_id"] = lines[0]["participation_id"]
    return "participation_id"


def write_lines(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("spoil", [unknown_site, exit_before_entry, malformed_date, duplicate_id])
def test_a_bad_line_is_reported_and_nothing_is_written(example_3, inka, tmp_path, spoil):
    lines = example_lines()
    field = spoil(lines[36], lines)
    before = database_state()

    code, out, err = inka("esf", "import", write_lines(tmp_path / "teilnahmen.jsonl", lines))

    assert code == 1
    assert out == ""
    problems = err.splitlines()[1:]
    assert len(problems) == 1
    assert problems[0].startswith(f"Zeile 37, Feld {field}: ")
    assert database_state() == before

    fixed = example_lines()
    path = write_lines(tmp_path / "korrigiert.jsonl", fixed)
    assert inka("esf", "import", path)[:2] == (0, f"{path}: 50 neu, 0 geändert, 0 unverändert.\n")
    after = database_state()
    assert inka("esf", "import", path)[:2] == (0, f"{path}: 0 neu, 0 geändert, 50 unverändert.\n")
    assert database_state() == after


def test_a_file_with_all_four_kinds_reports_each(example_3, inka, tmp_path):
    lines = example_lines()
    expected = [
        f"Zeile {number}, Feld {spoil(lines[number - 1], lines)}: "
        for number, spoil in (
            (5, unknown_site),
            (12, exit_before_entry),
            (30, malformed_date),
            (44, duplicate_id),
        )
    ]
    before = database_state()

    code, out, err = inka("esf", "import", write_lines(tmp_path / "teilnahmen.jsonl", lines))

    assert (code, out) == (1, "")
    assert "4 Fehler" in err.splitlines()[0]
    assert [
        line[: len(prefix)] for line, prefix in zip(err.splitlines()[1:], expected, strict=True)
    ] == expected
    assert database_state() == before


def test_malformed_json_is_reported_with_its_line(world, inka, tmp_path):
    lines = EXAMPLE_1_2.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3][:-1]
    path = tmp_path / "teilnahmen.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")

    code, _out, err = inka("esf", "import", path)

    assert code == 1
    assert err.splitlines()[1].startswith("Zeile 4: ")
    assert not Participation.objects.exists()


def test_dry_run_reports_what_would_change_and_writes_nothing(example_1_2, inka, tmp_path):
    lines = example_lines()[:10]
    lines[0]["gender"] = "X"
    path = write_lines(tmp_path / "teilnahmen.jsonl", lines)
    before = database_state()

    code, out, _err = inka("esf", "import", path, "--dry-run")

    assert code == 0
    assert out == f"{path}: Probelauf, nichts gespeichert – 1 neu, 1 geändert, 8 unverändert.\n"
    assert database_state() == before


def test_import_refuses_an_unknown_file_type(world, inka, tmp_path):
    path = tmp_path / "teilnahmen.txt"
    path.write_text("{}", encoding="utf-8")

    code, _out, err = inka("esf", "import", path)

    assert code == 1
    assert ".jsonl" in err


# Export through the command line, and back.


@pytest.mark.parametrize(("name", "file_format"), [("a.jsonl", None), ("a.xlsx", None), ("a.zip", "csv")])
def test_export_imports_back_unchanged(example_1_2, example_3, inka, tmp_path, name, file_format):
    path = tmp_path / name
    argv = ["esf", "export", "--output", path] + (["--format", file_format] if file_format else [])
    code, _out, err = inka(*argv)
    assert code == 0, err
    before = database_state()

    code, out, err = inka("esf", "import", path)

    assert code == 0, err
    assert out == f"{path}: 0 neu, 0 geändert, 15 unverändert.\n"
    assert database_state() == before


def test_export_of_one_site(example_3, inka, tmp_path):
    path = tmp_path / "sued.jsonl"
    assert inka("esf", "export", "--site", "SUED", "--output", path)[0] == 0

    assert [json.loads(line)["participation_id"] for line in path.read_text().splitlines()] == ["SUED-Q3B"]


def test_export_refuses_an_unknown_site(world, inka, tmp_path):
    code, _out, err = inka("esf", "export", "--site", "XYZ", "--output", tmp_path / "a.jsonl")

    assert code == 2
    assert "XYZ" in err
    assert not (tmp_path / "a.jsonl").exists()


def test_the_other_commands_are_still_there():
    parser = build_parser()
    for argv in (["demo", "--no-serve"], ["serve"], ["seed"], ["manage", "check"]):
        assert parser.parse_args(argv).handler.__name__ == argv[0]
