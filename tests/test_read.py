"""Stage 1: every export format is read into a RawTable, and a bad file is a ReadError."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from generator.read import read_export
from generator.read.csv_files import grid_stream, read_csv
from generator.read.json_yaml import read_json_yaml
from generator.read.markdown import read_markdown
from generator.read.table import ReadError
from generator.read.xlsx import _openpyxl_grid, read_xlsx
from generator.values import parse_date

GARBAGE = bytes(range(256)) * 8


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def values(table) -> list[dict[str, object]]:
    return [row.values for row in table.rows]


# --- CSV: encodings ---------------------------------------------------------------------------


def test_csv_utf8_comma(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "year,full_name,body\n2025,Мария Иванова,Окръжен съд – Кюстендил\n")
    table = read_csv(path)
    assert (table.format, table.encoding, table.delimiter) == ("csv", "utf-8", ",")
    assert table.columns == ["year", "full_name", "body"]
    assert values(table) == [{"year": "2025", "full_name": "Мария Иванова", "body": "Окръжен съд – Кюстендил"}]


def test_csv_utf8_bom_semicolon(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "year;full_name\n2025;Петър Петров\n", encoding="utf-8-sig")
    table = read_csv(path)
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ";")
    assert table.columns == ["year", "full_name"]  # the BOM does not stick to the first name
    assert table.rows[0].values["full_name"] == "Петър Петров"


def test_csv_cp1251(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "Година;Име\n2025;Мария Иванова\n", encoding="cp1251")
    table = read_csv(path)
    assert table.encoding == "cp1251"
    assert values(table) == [{"година": "2025", "име": "Мария Иванова"}]


def test_csv_cp1251_all_capitals_is_not_koi8(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "ОРГАН;ДЛЪЖНОСТ\nОКРЪЖЕН СЪД – КЮСТЕНДИЛ;СЪДИЯ\n", encoding="cp1251")
    table = read_csv(path)
    assert table.encoding == "cp1251"
    assert table.columns == ["орган", "длъжност"]
    assert values(table) == [{"орган": "ОКРЪЖЕН СЪД – КЮСТЕНДИЛ", "длъжност": "СЪДИЯ"}]


def test_csv_utf16_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "a\tb\n1\t2\n", encoding="utf-16")
    with pytest.raises(ReadError) as error:
        read_csv(path)
    assert "UTF-16" in error.value.message
    assert "CSV UTF-8" in error.value.hint


# --- CSV: separators, quoting, rows -------------------------------------------------------------


def test_csv_quoted_separators_and_newlines_count_as_one_row(tmp_path: Path) -> None:
    text = 'number;violation;amount\n1;"чл. 408а; ал. 1 ЗСВ\nвтори ред";"1 234,50"\n2;кратко;300\n'
    table = read_csv(write(tmp_path, "a.csv", text))
    assert table.delimiter == ";"
    assert [row.number for row in table.rows] == [2, 3]
    assert table.rows[0].values == {"number": "1", "violation": "чл. 408а; ал. 1 ЗСВ\nвтори ред", "amount": "1 234,50"}


def test_csv_quoted_comma_in_comma_file(tmp_path: Path) -> None:
    text = 'full_name,body\n"Иванова, Мария","Районен съд, Дупница"\n'
    table = read_csv(write(tmp_path, "a.csv", text))
    assert table.delimiter == ","
    assert values(table) == [{"full_name": "Иванова, Мария", "body": "Районен съд, Дупница"}]


def test_csv_semicolon_with_decimal_commas(tmp_path: Path) -> None:
    text = "value;share\n1234,50;1,5\n300,00;0,25\n"
    table = read_csv(write(tmp_path, "a.csv", text))
    assert table.delimiter == ";"
    assert table.rows[1].values == {"value": "300,00", "share": "0,25"}


def test_csv_single_column(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "a.csv", "full_name\nМария\nПетър\n"))
    assert table.columns == ["full_name"]
    assert [r.values["full_name"] for r in table.rows] == ["Мария", "Петър"]


def test_csv_row_numbers_skip_empty_rows_but_keep_counting(tmp_path: Path) -> None:
    text = "\n  Full   Name ;YEAR\nМария;2025\n\n;\nПетър ; 2024 \n"
    table = read_csv(write(tmp_path, "a.csv", text))
    assert table.columns == ["full name", "year"]
    # As in Excel: the blank first line is row 1, so the header is row 2.
    assert [(row.number, row.values) for row in table.rows] == [
        (3, {"full name": "Мария", "year": "2025"}),
        (6, {"full name": "Петър", "year": "2024"}),
    ]


def test_csv_header_is_row_one(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "a.csv", "a,b\n1,2\n3,4\n"))
    assert [row.number for row in table.rows] == [2, 3]


def test_csv_empty_cells_are_none_and_short_rows_padded(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "a.csv", "a;b;c\n1;  ;\n2\n"))
    assert values(table) == [{"a": "1", "b": None, "c": None}, {"a": "2", "b": None, "c": None}]
    assert table.problems == []


def test_csv_extra_cells_are_a_problem_and_ignored(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "a.csv", "a;b\n1;2;3\n4;5;;\n"))
    assert values(table) == [{"a": "1", "b": "2"}, {"a": "4", "b": "5"}]
    assert len(table.problems) == 1  # trailing empty cells are harmless
    problem = table.problems[0]
    assert (problem.file, problem.row) == ("a.csv", 2)
    assert "C" in problem.message and problem.hint


def test_csv_duplicate_header_names_the_column(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as error:
        read_csv(write(tmp_path, "a.csv", "year;Full_Name;full_name\n2025;a;b\n"))
    assert "full_name" in error.value.message.casefold()
    assert error.value.hint


def test_csv_empty_and_header_only(tmp_path: Path) -> None:
    empty = read_csv(write(tmp_path, "empty.csv", ""))
    assert (empty.columns, empty.rows) == ([], [])
    header_only = read_csv(write(tmp_path, "header.csv", "year;full_name\n"))
    assert (header_only.columns, header_only.rows) == (["year", "full_name"], [])


def test_csv_xlsx_renamed_to_csv(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    _workbook([["a"], [1]]).save(path)
    with pytest.raises(ReadError) as error:
        read_csv(path)
    assert "XLSX" in error.value.message


# --- XLSX ---------------------------------------------------------------------------------------


def _workbook(rows: list[list[object]]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    return workbook


def test_xlsx_types_and_row_numbers(tmp_path: Path) -> None:
    workbook = _workbook(
        [
            ["Number", " Issued_On ", "Penalty_Amount", "Full_Name"],
            [1, dt.datetime(2025, 3, 14), 500, "  Мария Иванова  "],
            [None, None, None, None],
            [2, 45730, 1234.5, ""],
        ]
    )
    workbook.create_sheet("Втори")["A1"] = "not read"
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    table = read_xlsx(path)
    assert table.format == "xlsx"
    assert table.columns == ["number", "issued_on", "penalty_amount", "full_name"]
    assert [row.number for row in table.rows] == [2, 4]
    first, second = values(table)
    assert first == {"number": 1, "issued_on": dt.datetime(2025, 3, 14), "penalty_amount": 500, "full_name": "Мария Иванова"}
    assert second["full_name"] is None and second["penalty_amount"] == 1234.5
    # The same date as a date cell and as an Excel serial number.
    assert parse_date(first["issued_on"]) == parse_date(second["issued_on"]) == dt.date(2025, 3, 14)


def test_xlsx_header_below_title_rows_and_merged_cells(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet["A3"], sheet["B3"] = "year", "body"
    sheet["A4"], sheet["B4"] = 2025, "Апелативен съд – София"
    sheet["A5"] = 2024
    sheet.merge_cells("A4:A5")  # only the top-left cell keeps its value
    sheet["B5"] = "Окръжен съд – Перник"
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    table = read_xlsx(path)
    assert table.columns == ["year", "body"]
    assert [(r.number, r.values["year"]) for r in table.rows] == [(4, 2025), (5, None)]


def test_xlsx_duplicate_header(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    _workbook([["year", "YEAR"], [1, 2]]).save(path)
    with pytest.raises(ReadError, match="YEAR"):
        read_xlsx(path)


def _patch_sheet(path: Path, replacements: dict[bytes, bytes]) -> None:
    """Rewrite the first sheet's XML as another exporter would have written it."""
    with zipfile.ZipFile(path) as archive:
        members = {info: archive.read(info.filename) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members.items():
            if info.filename == "xl/worksheets/sheet1.xml":
                for old, new in replacements.items():
                    assert old in data
                    data = data.replace(old, new)
            archive.writestr(info, data)


def _as_openpyxl_reads(path: Path) -> list[tuple[int, str]]:
    table = grid_stream(path, "xlsx", _openpyxl_grid(path)).table()
    return [(row.number, repr(row.values)) for row in table.rows]


def test_xlsx_cells_as_openpyxl_reads_them(tmp_path: Path) -> None:
    # calamine reads every number as float; "117204.00" must stay a float and "500" an int, as openpyxl has them.
    path = tmp_path / "a.xlsx"
    workbook = _workbook([["value", "year", "on", "text"], [117204, 2025, dt.datetime(2025, 3, 14), " x "], [74867.78, 7108060002, dt.datetime(2025, 3, 14, 10, 30), None]])
    workbook.save(path)
    _patch_sheet(path, {b"<v>117204</v>": b"<v>117204.00</v>"})
    table = read_xlsx(path)
    assert [(row.number, repr(row.values)) for row in table.rows] == _as_openpyxl_reads(path)
    assert type(table.rows[0].values["value"]) is float and type(table.rows[0].values["year"]) is int


def test_xlsx_error_cell_keeps_its_text(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    _workbook([["value", "year"], [1, 2025]]).save(path)
    _patch_sheet(path, {b'<c r="A2" t="n"><v>1</v></c>': b'<c r="A2" t="e"><v>#N/A</v></c>'})
    assert read_xlsx(path).rows[0].values == {"value": "#N/A", "year": 2025}


def test_xlsx_truncated_is_read_error(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    _workbook([["a", "b"]] + [[i, f"ред {i}"] for i in range(200)]).save(path)
    path.write_bytes(path.read_bytes()[:-400])
    with pytest.raises(ReadError):
        read_xlsx(path)


# --- JSON and YAML --------------------------------------------------------------------------------


def test_json_list(tmp_path: Path) -> None:
    data = [{"Year": 2025, "Full_Name": " Мария "}, {"year": 2024, "body": "ОС – Кюстендил"}]
    table = read_json_yaml(write(tmp_path, "a.json", json.dumps(data, ensure_ascii=False)))
    assert table.format == "json"
    assert table.columns == ["year", "full_name", "body"]
    assert [(r.number, r.values) for r in table.rows] == [
        (1, {"year": 2025, "full_name": "Мария"}),
        (2, {"year": 2024, "body": "ОС – Кюстендил"}),
    ]


def test_json_object_with_list_and_bom(tmp_path: Path) -> None:
    data = {"exported_on": "2025-04-01", "tags": ["a"], "Records": [{"year": 2025}]}
    table = read_json_yaml(write(tmp_path, "a.json", json.dumps(data), encoding="utf-8-sig"))
    assert values(table) == [{"year": 2025}]


def test_json_object_with_only_list(tmp_path: Path) -> None:
    table = read_json_yaml(write(tmp_path, "a.json", json.dumps({"meta": {"v": 1}, "opinions": [{"number": "1"}]})))
    assert values(table) == [{"number": "1"}]


def test_json_object_with_several_lists_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="„a“, „b“"):
        read_json_yaml(write(tmp_path, "a.json", json.dumps({"a": [{}], "b": [{}]})))


def test_json_nested_items_are_normalised(tmp_path: Path) -> None:
    data = [{"Declaration_ID": "D-1", "Items": [{"Section": "доходи", " Value ": "1 000,00"}, {"SECTION": "интереси"}]}]
    table = read_json_yaml(write(tmp_path, "a.json", json.dumps(data, ensure_ascii=False)))
    assert table.columns == ["declaration_id", "items"]
    assert table.rows[0].values["items"] == [{"section": "доходи", "value": "1 000,00"}, {"section": "интереси"}]


def test_json_non_object_element_is_a_problem(tmp_path: Path) -> None:
    table = read_json_yaml(write(tmp_path, "a.json", '[{"a": 1}, "oops", {"a": 3}]'))
    assert [r.number for r in table.rows] == [1, 3]
    assert [(p.file, p.row) for p in table.problems] == [("a.json", 2)]


def test_json_syntax_error_has_line(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="ред 3"):
        read_json_yaml(write(tmp_path, "a.json", '[\n  {"a": 1},\n  {"a": 2,,}\n]'))


def test_json_scalar_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError):
        read_json_yaml(write(tmp_path, "a.json", "42"))


def test_yaml_list_with_dates(tmp_path: Path) -> None:
    text = "- number: 12/2025\n  session_date: 2025-03-14\n- number: 13/2025\n  session_date: 2025-02-31\n"
    table = read_json_yaml(write(tmp_path, "a.yaml", text))
    assert table.format == "yaml"
    assert values(table) == [
        {"number": "12/2025", "session_date": dt.date(2025, 3, 14)},
        {"number": "13/2025", "session_date": "2025-02-31"},  # left for the row check to refuse
    ]


def test_yaml_object_with_records(tmp_path: Path) -> None:
    text = "register: penalty_rulings\nrecords:\n  - Number: 1\n    Items:\n      - Section: доходи\n"
    table = read_json_yaml(write(tmp_path, "a.yml", text))
    assert values(table) == [{"number": 1, "items": [{"section": "доходи"}]}]


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="ред 3"):
        read_json_yaml(write(tmp_path, "a.yaml", "- a: 1\n- b: 2\n- c: [unclosed\n"))
    with pytest.raises(ReadError, match="на ред 2 "):
        read_json_yaml(write(tmp_path, "a.yaml", "- a: 1\n  b: : 2\n"))


def test_yaml_empty_file_is_empty_list(tmp_path: Path) -> None:
    table = read_json_yaml(write(tmp_path, "a.yaml", ""))
    assert (table.columns, table.rows) == ([], [])


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_front_matter_and_body(tmp_path: Path) -> None:
    text = "---\nNumber: 5/2025\nSession_Date: 2025-03-14\ntitle: Достъп до\n  решения\n---\n\n# Становище\n\nТекст.\n"
    table = read_markdown(write(tmp_path, "op.md", text))
    assert table.format == "markdown"
    assert table.columns == ["number", "session_date", "title", "text"]
    assert [r.number for r in table.rows] == [1]
    assert table.rows[0].values == {
        "number": "5/2025",
        "session_date": dt.date(2025, 3, 14),
        "title": "Достъп до решения",
        "text": "# Становище\n\nТекст.",
    }


def test_markdown_without_front_matter(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as error:
        read_markdown(write(tmp_path, "op.md", "# Становище\n\nТекст.\n"))
    assert "---" in error.value.hint


def test_markdown_unclosed_front_matter(tmp_path: Path) -> None:
    with pytest.raises(ReadError):
        read_markdown(write(tmp_path, "op.md", "---\nnumber: 1\n# Становище\n"))


def test_markdown_bad_yaml_has_line(tmp_path: Path) -> None:
    # A blank first line, then "---": the bad "title" is line 4 of the file.
    with pytest.raises(ReadError, match="ред 4"):
        read_markdown(write(tmp_path, "op.md", "\n---\nnumber: 1\ntitle: [oops\n---\nТекст\n"))
    with pytest.raises(ReadError, match="на ред 3\\."):
        read_markdown(write(tmp_path, "op.md", "---\nnumber: 1\ntitle: : x\n---\nТекст\n"))


# --- Every reader: garbage is a ReadError and nothing else ---------------------------------------


@pytest.mark.parametrize("name", ["a.csv", "a.xlsx", "a.json", "a.yaml", "a.md"])
def test_garbage_is_read_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(ReadError) as error:
        read_export(write(tmp_path, name, GARBAGE))
    assert error.value.message and error.value.hint


@pytest.mark.parametrize("name", ["a.csv", "a.xlsx", "a.json", "a.yaml", "a.md"])
def test_missing_file_is_read_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(ReadError):
        read_export(tmp_path / name)


def test_cp1251_garbage_without_nul_is_read_error(tmp_path: Path) -> None:
    # 0x98 is not a character in Windows-1251, and control bytes mean binary data.
    with pytest.raises(ReadError):
        read_csv(write(tmp_path, "a.csv", b"a;b\n\x98\x01\x02;\xff\n"))


def test_read_export_dispatches_by_suffix(tmp_path: Path) -> None:
    assert read_export(write(tmp_path, "a.CSV", "a\n1\n")).format == "csv"
    assert read_export(write(tmp_path, "a.json", "[]")).format == "json"


def test_csv_unclosed_quote_names_the_row(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="ред 3"):
        read_csv(write(tmp_path, "a.csv", 'a;b\n1;2\n3;"Районен съд\n4;5\n'))


def test_csv_stray_quote_inside_value_is_kept(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "a.csv", 'a;b\n1;Съд "Х" – Перник\n'))
    assert table.rows[0].values["b"] == 'Съд "Х" – Перник'


def test_csv_long_text_field(tmp_path: Path) -> None:
    long_text = "дума " * 60_000
    table = read_csv(write(tmp_path, "a.csv", f'number,text\n1,"{long_text}"\n'))
    assert table.rows[0].values["text"] == long_text.strip()
