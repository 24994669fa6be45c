"""Import and export of ESF participations (inka/esf/interchange.py), the spreadsheet helpers and the
report files."""

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inka.core.models import AccessLogEntry, AuditEntry
from inka.core.spreadsheets import Sheet, escape_formula, unescape_formula, write_workbook
from inka.esf.engine import Options, Report, compute_report
from inka.esf.interchange import (
    UnsupportedFileError,
    export_participations,
    file_format,
    import_participations,
)
from inka.esf.models import EducationStart, ExitEvent, Participation, Qualification, Stay
from inka.esf.report_formats import report_csv, report_xlsx
from inka.esf.reporting import UnknownSiteError, build_report

DATA = Path(__file__).parent / "data"
EXAMPLE_1_2 = DATA / "example_1_2.jsonl"
EXAMPLE_3 = DATA / "example_3.jsonl"
LISTS = ("exit_events", "education_training_starts", "qualifications")


def database_state() -> list[dict]:
    """Every stored participation with its stays and results, without database ids and timestamps."""
    state = []
    for participation in Participation.objects.select_related("site").order_by("participation_id"):
        values = {
            field.name: getattr(participation, field.attname)
            for field in Participation._meta.concrete_fields
            if field.name not in ("id", "created_at", "updated_at")
        }
        values["site"] = participation.site.code
        values["stays"] = list(
            Stay.objects.filter(participation=participation).values_list("entry_date", "exit_date")
        )
        values["exit_events"] = list(
            ExitEvent.objects.filter(participation=participation).values_list("occurred_on", "type")
        )
        values["education_starts"] = list(
            EducationStart.objects.filter(participation=participation).values_list("started_on", "title")
        )
        values["qualifications"] = list(
            Qualification.objects.filter(participation=participation).values_list(
                "awarded_on", "title", "recognised"
            )
        )
        state.append(values)
    return state


def import_file(path: Path, **options):
    return import_participations(name=path.name, content=path.read_bytes(), **options)


def import_lines(lines: list, **options):
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    return import_participations(name="teilnahmen.jsonl", content=text.encode(), **options)


def line(**changes) -> dict:
    """A small valid record at site NORD; keys set to ... are left out."""
    values = {
        "participation_id": "NORD-1",
        "person_key": "K1",
        "site": "NORD",
        "gender": "F",
        "stays": [{"entry": "2024-03-01", "exit": "2024-06-30"}],
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not ...}


def where(result) -> list[tuple]:
    return [(problem.table, problem.row, problem.field) for problem in result.problems]


# Import from JSON Lines


def test_import_stores_the_records_with_their_stays_and_results(world):
    result = import_file(EXAMPLE_1_2)

    assert (result.created, result.updated, result.unchanged, result.written) == (9, 0, 0, True)
    p6 = Participation.objects.get(participation_id="NORD-P6")
    assert (p6.site, p6.person, p6.case) == (world.site_a, None, None)
    assert (p6.entry_date, p6.exit_date, p6.self_employed, p6.followup_6m_improved) == (
        date(2024, 5, 20),
        date(2024, 11, 30),
        True,
        True,
    )
    p4 = Participation.objects.get(participation_id="NORD-P4")
    assert (p4.foreign_background, p4.minority, p4.household_dependent_children) == (
        "REFUSED",
        "REFUSED",
        "YES",
    )
    p8 = Participation.objects.get(participation_id="NORD-P8")
    # Missing sensitive items are "not asked" (blank); rural is unknown; the missing status stays empty.
    assert (p8.disability, p8.rural, p8.labour_status_at_entry) == ("", "UNKNOWN", "")
    p2 = Participation.objects.get(participation_id="NORD-P2")
    assert list(EducationStart.objects.filter(participation=p2).values_list("started_on", "title")) == [
        (date(2024, 9, 15), "")
    ]
    assert list(Qualification.objects.filter(participation=p2).values_list("title", "recognised")) == [
        ("Staplerschein", True)
    ]
    p7 = Participation.objects.get(participation_id="NORD-P7")
    assert list(ExitEvent.objects.filter(participation=p7).values_list("type", flat=True)) == [
        "EMPLOYED",
        "JOB_SEARCHING",
    ]
    p5 = Participation.objects.get(participation_id="NORD-P5")  # the entry_date/exit_date form
    assert list(Stay.objects.filter(participation=p5).values_list("entry_date", "exit_date")) == [
        (date(2024, 2, 1), date(2024, 7, 31))
    ]


def test_a_reentry_keeps_the_first_entry_and_the_final_exit(world):
    import_file(EXAMPLE_3)

    q1 = Participation.objects.get(participation_id="NORD-Q1")
    assert (q1.entry_date, q1.exit_date) == (date(2024, 11, 4), date(2025, 6, 30))
    assert Stay.objects.filter(participation=q1).count() == 2
    assert Participation.objects.get(participation_id="NORD-Q2").exit_date is None
    assert Participation.objects.get(participation_id="SUED-Q3B").site == world.site_b


def test_each_created_participation_gets_one_audit_entry(world):
    import_file(EXAMPLE_3)

    entries = AuditEntry.objects.filter(action="inka.esf.imported")
    assert entries.count() == 6
    q3b = Participation.objects.get(participation_id="SUED-Q3B")
    entry = entries.get(object_id=str(q3b.pk))
    assert (entry.actor_id, entry.site_id, entry.object_label) == (None, world.site_b.pk, "SUED-Q3B")
    assert entry.changes["person_key"] == [None, "X3"]
    assert entry.changes["stays"] == [None, [["2025-04-01", None]]]


def test_importing_the_same_file_again_changes_nothing(world):
    import_file(EXAMPLE_1_2)
    before, audit_entries = database_state(), AuditEntry.objects.count()
    stamps = list(Participation.objects.order_by("pk").values_list("updated_at", flat=True))

    result = import_file(EXAMPLE_1_2)

    assert (result.created, result.updated, result.unchanged, result.written) == (0, 0, 9, False)
    assert database_state() == before
    assert AuditEntry.objects.count() == audit_entries
    assert list(Participation.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_a_changed_record_updates_the_participation(world):
    import_file(EXAMPLE_1_2)
    lines = [json.loads(text) for text in EXAMPLE_1_2.read_text().splitlines()]
    lines[0]["gender"] = "X"
    lines[0]["exit_events"] = [{"date": "2024-10-01", "type": "SELF_EMPLOYED"}]
    p1 = Participation.objects.get(participation_id="NORD-P1")
    stay_ids = list(Stay.objects.filter(participation=p1).values_list("pk", flat=True))

    result = import_lines(lines)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 8)
    p1.refresh_from_db()
    assert p1.gender == "X"
    assert list(ExitEvent.objects.filter(participation=p1).values_list("occurred_on", "type")) == [
        (date(2024, 10, 1), "SELF_EMPLOYED")
    ]
    # Unchanged lists are kept as they are.
    assert list(Stay.objects.filter(participation=p1).values_list("pk", flat=True)) == stay_ids
    entry = AuditEntry.objects.get(action="inka.esf.import_updated")
    assert entry.object_id == str(p1.pk)
    assert entry.changes == {
        "gender": ["F", "X"],
        "exit_events": [
            [["2024-10-10", "JOB_SEARCHING"], ["2024-10-20", "EMPLOYED"]],
            [["2024-10-01", "SELF_EMPLOYED"]],
        ],
    }


def test_a_reentry_revises_the_leavers_of_the_first_exit(world):
    """Example 3, step 3: Q1 left in 2024; after the re-entry is imported, 2024 has no leaver."""
    lines = [json.loads(text) for text in EXAMPLE_3.read_text().splitlines()]
    first = dict(lines[0], stays=lines[0]["stays"][:1], exit_events=[])
    import_lines([first, *lines[1:]])
    year = {"period_from": date(2024, 1, 1), "period_to": date(2024, 12, 31), "site_codes": None}
    assert build_report(**year).records["leavers"] == 1

    result = import_file(EXAMPLE_3)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 5)
    assert build_report(**year).records["leavers"] == 0


def test_not_asked_and_null_are_both_stored_blank_and_exported_as_not_asked(world):
    import_lines(
        [
            line(disability="NOT_ASKED", minority=None, foreign_background="REFUSED"),
            line(participation_id="NORD-2", person_key="K2", rural=None),
        ]
    )

    first = Participation.objects.get(participation_id="NORD-1")
    assert (first.disability, first.minority, first.foreign_background) == ("", "", "REFUSED")
    exported = [
        json.loads(text) for text in export_participations(site_codes=None, file_format="jsonl").splitlines()
    ]
    assert exported[0]["disability"] == exported[0]["minority"] == "NOT_ASKED"
    assert exported[0]["foreign_background"] == "REFUSED"
    assert exported[1]["rural"] == "UNKNOWN"


def test_an_incomplete_record_is_imported(world):
    result = import_lines(
        [{"participation_id": "NORD-1", "person_key": "K1", "site": "NORD", "entry_date": "2024-05-02"}]
    )

    assert result.created == 1
    stored = Participation.objects.get()
    assert (stored.gender, stored.date_of_birth, stored.isced_level, stored.exit_date) == (
        "",
        None,
        None,
        None,
    )


def test_stays_given_out_of_order_are_stored_in_order(world):
    import_lines(
        [line(stays=[{"entry": "2024-09-01", "exit": None}, {"entry": "2024-03-01", "exit": "2024-06-30"}])]
    )

    stored = Participation.objects.get()
    assert (stored.entry_date, stored.exit_date) == (date(2024, 3, 1), None)


def test_dry_run_writes_nothing(world):
    result = import_file(EXAMPLE_1_2, dry_run=True)

    assert (result.created, result.written) == (9, False)
    assert not Participation.objects.exists()
    assert not AuditEntry.objects.exists()


# Validation: every problem with its line and field; nothing written


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"site": "XYZ"}, "site"),
        ({"site": None}, "site"),
        ({"participation_id": ...}, "participation_id"),
        ({"person_key": ""}, "person_key"),
        ({"participation_id": "N" * 41}, "participation_id"),
        ({"gender": "W"}, "gender"),
        ({"labour_status_at_entry": "ARBEITSLOS"}, "labour_status_at_entry"),
        ({"disability": "MAYBE"}, "disability"),
        ({"rural": "NOT_ASKED"}, "rural"),
        ({"isced_level": 9}, "isced_level"),
        ({"isced_level": "drei"}, "isced_level"),
        ({"school_certificate": "abitur"}, "school_certificate"),
        ({"followup_6m_status": "EMPLOYED_FULL_TIME"}, "followup_6m_status"),
        ({"in_education_or_training_at_entry": "yes"}, "in_education_or_training_at_entry"),
        ({"date_of_birth": "15.13.1999"}, "date_of_birth"),
        ({"unemployed_since": "2023-9-1"}, "unemployed_since"),
        ({"unemployed_since": 20230901}, "unemployed_since"),
        ({"geschlecht": "F"}, "geschlecht"),
        ({"stays": [{"entry": "2024-03-01", "exit": "2024-02-28"}]}, "stays[1].exit"),
        ({"stays": [{"entry": None, "exit": "2024-02-28"}]}, "stays[1].entry"),
        ({"stays": [{"entry": "2024-03-01", "ende": "2024-06-30"}]}, "stays[1].ende"),
        ({"stays": ..., "entry_date": "2024-03-01", "exit_date": "2024-02-01"}, "exit_date"),
        ({"stays": ...}, "entry_date"),
        ({"entry_date": "2024-03-01"}, "stays"),
        ({"stays": {"entry": "2024-03-01"}}, "stays"),
        (
            {
                "stays": [
                    {"entry": "2024-01-01", "exit": "2024-03-31"},
                    {"entry": "2024-03-31", "exit": "2024-05-01"},
                ]
            },
            "stays[2].entry",
        ),
        (
            {"stays": [{"entry": "2024-01-01", "exit": None}, {"entry": "2024-03-01", "exit": "2024-04-01"}]},
            "stays[2].entry",
        ),
        ({"exit_events": [{"date": "2024-02-29", "type": "EMPLOYED"}]}, "exit_events[1].date"),
        ({"exit_events": [{"date": "2024-07-01", "type": "HIRED"}]}, "exit_events[1].type"),
        ({"exit_events": [{"date": "2024-07-01"}]}, "exit_events[1].type"),
        ({"exit_events": {"date": "2024-07-01"}}, "exit_events"),
        ({"education_training_starts": ["2024-01-15"]}, "education_training_starts[1].date"),
        (
            {"qualifications": [{"date": "2024-02-01", "title": "B1", "recognised": True}]},
            "qualifications[1].date",
        ),
        (
            {"qualifications": [{"date": "2024-07-01", "recognised": "vielleicht"}]},
            "qualifications[1].recognised",
        ),
        ({"followup_6m_recorded_on": "2024-02-01"}, "followup_6m_recorded_on"),
    ],
)
def test_an_invalid_value_is_reported_with_line_and_field(world, changes, field):
    lines = [
        line(participation_id="NORD-A", person_key="KA"),
        line(**changes),
        line(participation_id="NORD-B", person_key="KB"),
    ]

    result = import_lines(lines)

    assert where(result) == [(None, 2, field)]
    assert result.problems[0].reason
    assert (result.created, result.written) == (0, False)
    assert not Participation.objects.exists()


def test_malformed_json_and_a_line_that_is_no_object(world):
    result = import_lines(
        [
            line(),
            '{"participation_id": "NORD-2",',
            "[1, 2]",
            "",
            line(participation_id="NORD-3", person_key="K3"),
        ]
    )

    assert where(result) == [(None, 2, None), (None, 3, None)]


def test_two_records_with_the_same_participation_id(world):
    result = import_lines([line(), line(person_key="K2")])

    assert where(result) == [(None, 2, "participation_id")]


def test_two_records_for_the_same_person_at_one_site(world):
    result = import_lines(
        [line(), line(participation_id="SUED-1", site="SUED"), line(participation_id="NORD-2", site="NORD")]
    )

    # The same person at two sites is two participations (Example 3, Q3a and Q3b); twice at one site is not.
    assert where(result) == [(None, 3, "person_key")]


def test_a_person_key_used_at_the_site_by_another_stored_participation(world):
    import_lines([line()])
    before = database_state()

    result = import_lines([line(participation_id="NORD-2", person_key="K2"), line(participation_id="NORD-9")])

    assert where(result) == [(None, 2, "person_key")]
    assert "NORD-1" in result.problems[0].reason
    assert database_state() == before


def test_an_import_cannot_move_a_participation_to_another_site(world):
    import_lines([line()])

    result = import_lines([line(site="SUED")])

    assert where(result) == [(None, 1, "site")]


def test_every_problem_is_reported_at_once(world):
    result = import_lines(
        [line(site="XYZ", gender="W"), line(participation_id="NORD-2", person_key="K2"), "{"]
    )

    assert where(result) == [(None, 1, "site"), (None, 1, "gender"), (None, 3, None)]


def test_the_file_type_comes_from_the_extension():
    assert [file_format(name) for name in ("a.jsonl", "B.XLSX", "c.zip")] == ["jsonl", "xlsx", "csv"]
    with pytest.raises(UnsupportedFileError):
        file_format("teilnahmen.csv")


def test_an_import_writes_in_bulk(world):
    def queries(count: int) -> int:
        lines = [line(participation_id=f"N-{count}-{n}", person_key=f"K-{count}-{n}") for n in range(count)]
        for item in lines:
            item["exit_events"] = [{"date": "2024-07-01", "type": "EMPLOYED"}]
            item["qualifications"] = [{"date": "2024-06-01", "title": "B1", "recognised": True}]
        with CaptureQueriesContext(connection) as context:
            assert import_lines(lines).created == count
        return len(context.captured_queries)

    # SQLite caps the parameters of one statement, so 200 participations are inserted in a few batches;
    # what must not happen is a query per participation.
    assert queries(200) - queries(5) <= 10


# XLSX and CSV: the same records as JSON Lines give the same database


def tables_from_jsonl(path: Path) -> dict[str, list[list]]:
    """The four tables of a JSON Lines file as a person would lay them out: own column order, one stay
    as entry_date/exit_date and several as the stays column."""
    lines = [json.loads(text) for text in path.read_text().splitlines()]
    columns = sorted(
        {key for item in lines for key in item if key not in (*LISTS, "stays")}
        | {"entry_date", "exit_date", "stays"}
    )
    columns.reverse()
    participations = [columns]
    for item in lines:
        values = dict(item)
        stays = values.pop("stays", None)
        if stays and len(stays) == 1:
            values["entry_date"], values["exit_date"] = stays[0]["entry"], stays[0]["exit"]
        elif stays:
            values["stays"] = "; ".join(f"{stay['entry']}/{stay['exit'] or ''}" for stay in stays)
        participations.append([values.get(column) for column in columns])
    return {
        "participations": participations,
        "exit_events": [["type", "date", "participation_id"]]
        + [
            [event["type"], event["date"], item["participation_id"]]
            for item in lines
            for event in item.get("exit_events", [])
        ],
        "qualifications": [["participation_id", "date", "title", "recognised"]]
        + [
            [item["participation_id"], q["date"], q["title"], q["recognised"]]
            for item in lines
            for q in item.get("qualifications", [])
        ],
        "education_starts": [["participation_id", "date"]]
        + [
            [item["participation_id"], start]
            for item in lines
            for start in item.get("education_training_starts", [])
        ],
    }


DATE_COLUMNS = {"date_of_birth", "unemployed_since", "entry_date", "exit_date", "date"}


def xlsx_from_tables(tables: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in tables.items():
        sheet = workbook.create_sheet(title)
        header = rows[0]
        sheet.append(header)
        for row in rows[1:]:
            sheet.append(
                [
                    date.fromisoformat(value) if name in DATE_COLUMNS and isinstance(value, str) else value
                    for name, value in zip(header, row, strict=True)
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_zip_from_tables(tables: dict[str, list[list]]) -> bytes:
    """As a spreadsheet program set to German saves it: semicolons, dates as 15.03.2024, TRUE/FALSE."""

    def text(name: str, value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if name in DATE_COLUMNS:
            return f"{date.fromisoformat(value):%d.%m.%Y}"
        return str(value)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for title, rows in tables.items():
            out = io.StringIO()
            writer = csv.writer(out, delimiter=";")
            writer.writerow(rows[0])
            writer.writerows(
                [text(name, value) for name, value in zip(rows[0], row, strict=True)] for row in rows[1:]
            )
            archive.writestr(f"teilnahmen/{title}.csv", "\ufeff" + out.getvalue())
    return buffer.getvalue()


@pytest.mark.parametrize("example", [EXAMPLE_1_2, EXAMPLE_3])
@pytest.mark.parametrize(("name", "build"), [("t.xlsx", xlsx_from_tables), ("t.zip", csv_zip_from_tables)])
def test_xlsx_and_csv_give_the_same_database_as_json_lines(world, example, name, build):
    import_file(example)
    from_jsonl = database_state()
    Participation.objects.all().delete()

    result = import_participations(name=name, content=build(tables_from_jsonl(example)))

    assert result.problems == ()
    assert result.created == len(from_jsonl)
    assert database_state() == from_jsonl


def test_a_table_row_for_an_unknown_participation_is_reported(world):
    tables = tables_from_jsonl(EXAMPLE_3)
    tables["exit_events"].append(["EMPLOYED", "2025-08-01", "NORD-Q9"])
    tables["participations"][0][0] = "farbe"

    result = import_participations(name="t.xlsx", content=xlsx_from_tables(tables))

    assert where(result) == [("participations", 1, "farbe"), ("exit_events", 3, "participation_id")]
    assert not Participation.objects.exists()


def test_a_bad_stays_cell_is_reported(world):
    tables = tables_from_jsonl(EXAMPLE_3)
    stays_column = tables["participations"][0].index("stays")
    tables["participations"][1][stays_column] = "2024-11-04/2024-12-20; 2024-12-01/2025-06-30"
    tables["participations"][2][stays_column] = "2025-02-28"

    result = import_participations(name="t.zip", content=csv_zip_from_tables(tables))

    assert where(result) == [("participations", 2, "stays"), ("participations", 3, "stays")]


def test_a_workbook_without_participations_or_with_other_sheets(world):
    tables = tables_from_jsonl(EXAMPLE_3)
    tables["Tabelle1"] = [["irgendwas"]]
    tables["Tabelle2"] = [[]]
    assert where(import_participations(name="t.xlsx", content=xlsx_from_tables(tables))) == [
        ("Tabelle1", None, None)
    ]

    del tables["participations"], tables["Tabelle1"]
    result = import_participations(name="t.xlsx", content=xlsx_from_tables(tables))
    assert where(result)[0] == ("participations", None, None)
    assert import_participations(name="t.xlsx", content=b"no workbook").problems


# Export: round trip, sites, formula escaping


@pytest.mark.parametrize("file_format", ["jsonl", "xlsx", "csv"])
def test_an_export_imports_into_an_empty_database_as_it_was(world, file_format):
    import_file(EXAMPLE_1_2)
    import_file(EXAMPLE_3)
    before = database_state()

    content = export_participations(site_codes=None, file_format=file_format)
    Participation.objects.all().delete()
    name = {"jsonl": "a.jsonl", "xlsx": "a.xlsx", "csv": "a.zip"}[file_format]
    result = import_participations(name=name, content=content)

    assert result.created == 15
    assert database_state() == before
    assert import_participations(name=name, content=content).unchanged == 15


def test_export_of_sites_and_the_access_log(world):
    import_file(EXAMPLE_3)

    lines = export_participations(site_codes=["SUED"], file_format="jsonl").decode().splitlines()

    assert [json.loads(text)["participation_id"] for text in lines] == ["SUED-Q3B"]
    entry = AccessLogEntry.objects.get(action="inka.esf.exported")
    assert entry.site_id == world.site_b.pk
    assert entry.record_ids == [Participation.objects.get(participation_id="SUED-Q3B").pk]
    with pytest.raises(UnknownSiteError):
        export_participations(site_codes=["XYZ"], file_format="jsonl")


def test_json_lines_export_has_the_fields_of_esf_md(world):
    import_file(EXAMPLE_1_2)

    exported = {
        item["participation_id"]: item
        for item in map(json.loads, export_participations(site_codes=None, file_format="jsonl").splitlines())
    }

    p1 = exported["NORD-P1"]
    assert p1["stays"] == [{"entry": "2024-03-15", "exit": "2024-09-30"}]
    assert p1["exit_events"] == [
        {"date": "2024-10-10", "type": "JOB_SEARCHING"},
        {"date": "2024-10-20", "type": "EMPLOYED"},
    ]
    assert exported["NORD-P2"]["education_training_starts"] == ["2024-09-15"]
    assert exported["NORD-P2"]["qualifications"] == [
        {"date": "2024-08-31", "title": "Staplerschein", "recognised": True}
    ]
    original = json.loads(EXAMPLE_1_2.read_text().splitlines()[0])
    assert {key: p1[key] for key in original} == original


DANGEROUS = {
    "person_key": '=HYPERLINK("http://x.example")',
    "exit_no_answer_reason": "-1 Tag",
    "qualification": "+49 Sprachkurs",
    "start": "@SUM(A1)",
    "quoted": "'=schon maskiert",
}


@pytest.fixture
def dangerous_texts(world):
    import_lines(
        [
            line(
                person_key=DANGEROUS["person_key"],
                exit_no_answer_reason=DANGEROUS["exit_no_answer_reason"],
                qualifications=[
                    {"date": "2024-06-01", "title": DANGEROUS["qualification"], "recognised": True}
                ],
                education_training_starts=[{"date": "2024-07-01", "title": DANGEROUS["start"]}],
            ),
            line(participation_id="NORD-2", person_key=DANGEROUS["quoted"]),
        ]
    )


def test_xlsx_export_escapes_formulas_and_imports_back(dangerous_texts):
    content = export_participations(site_codes=None, file_format="xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [
        cell for sheet in workbook for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)
    ]
    assert all(cell.data_type == "s" for cell in cells)
    assert not [cell.value for cell in cells if cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))]
    values = {cell.value for cell in cells}
    assert {"'" + text for text in DANGEROUS.values()} <= values
    before = database_state()
    assert import_participations(name="a.xlsx", content=content).unchanged == 2
    assert database_state() == before


def test_csv_export_escapes_formulas_and_imports_back(dangerous_texts):
    content = export_participations(site_codes=None, file_format="csv")

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == [
            "education_starts.csv",
            "exit_events.csv",
            "participations.csv",
            "qualifications.csv",
        ]
        cells = [
            cell
            for name in archive.namelist()
            for row in csv.reader(io.StringIO(archive.read(name).decode()))
            for cell in row
        ]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'" + DANGEROUS["start"] in cells
    assert import_participations(name="a.zip", content=content).unchanged == 2


# inka.core.spreadsheets


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+49", "'+49"),
        ("-5", "'-5"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("Staplerschein", "Staplerschein"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_escape_formula(text, escaped):
    assert escape_formula(text) == escaped
    assert unescape_formula(escaped) == text


def test_write_workbook_keeps_types():
    content = write_workbook(
        [Sheet("Liste", ["Name", "Tag", "Zahl"], [["=x", date(2024, 2, 29), 3], [None, None, 2.5]])]
    )

    sheet = openpyxl.load_workbook(io.BytesIO(content))["Liste"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Tag", "Zahl")
    assert rows[1][0] == "'=x"
    assert rows[1][1].date() == date(2024, 2, 29)
    assert sheet["B2"].is_date
    assert rows[1][2] == 3
    assert rows[2] == (None, None, 2.5)


# The report files


def small_report(suppressed: bool = False) -> Report:
    report = compute_report([], period_from=date(2024, 1, 1), period_to=date(2024, 12, 31), sites=("NORD",))
    if not suppressed:
        return report
    indicators = {
        code: {key: None if value else value for key, value in counts.items()}
        for code, counts in report.indicators.items()
    }
    indicators["EECO01"] = {"total": 7, "F": None, "M": 5, "X": None}
    return Report(**{**report.__dict__, "indicators": indicators})


def test_report_csv_shows_suppressed_cells_as_less_than_three():
    rows = list(csv.reader(io.StringIO(report_csv(small_report(suppressed=True)))))

    assert len(rows[0]) == 6
    assert rows[1][0] == "EECO01"
    assert rows[1][2:] == ["7", "<3", "5", "<3"]
    assert rows[2][2:] == ["0", "0", "0", "0"]


def test_report_xlsx_numbers_and_suppressed_cells():
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(small_report(suppressed=True))))

    first = next(workbook["Indikatoren"].iter_rows(min_row=2, values_only=True))
    assert first[0] == "EECO01"
    assert first[2:] == (7, "<3", 5, "<3")
    details = list(workbook["Angaben"].iter_rows(values_only=True))
    assert details[1][1] == "esf-plus"
    assert details[4][1] == "NORD"
    assert len(details) == 1 + 4 + len(Options().as_dict()) + 5


def test_build_report_covers_all_sites_or_the_given_ones(world):
    import_file(EXAMPLE_3)
    year = {"period_from": date(2025, 1, 1), "period_to": date(2025, 12, 31)}

    assert build_report(site_codes=None, **year).sites == ("NORD", "SUED")
    assert build_report(site_codes=["SUED"], **year).indicators["EECO11"]["total"] == 1
    with pytest.raises(UnknownSiteError, match="XYZ"):
        build_report(site_codes=["SUED", "XYZ"], **year)


def test_problems_with_the_database_are_reported_with_those_in_the_file(world):
    import_lines([line()])

    result = import_lines(
        [line(participation_id="NORD-2"), line(participation_id="NORD-3", person_key="K3", gender="W")]
    )

    assert where(result) == [(None, 1, "person_key"), (None, 2, "gender")]
