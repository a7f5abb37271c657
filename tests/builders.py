"""Fixture builder for end-to-end tests: tiny real projects on disk.

`write_export` writes one export file in any supported format, with its approval
sidecar; `make_registers` lays out a whole registers/ folder from keyword tables;
`make_content` writes a minimal content/ folder. The row factories (`declaration()`,
`item()`, …) return one realistic row each, public and private columns included,
so a test states only what it is about:

    registers = make_registers(tmp_path, late_filers=[late_filer(year=2022, full_name=None)])

A factory override set to `OMIT` removes the column from the row altogether.

Everything written here is deterministic (same input, same bytes, XLSX included), so
tools/make_example_registers.py can regenerate the shipped example set byte for byte.
This module does not use the readers of generator/read/: it writes files as an
internal system or a webmaster would.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import yaml
from openpyxl import Workbook
from stdnum import iban as stdnum_iban
from stdnum.bg import egn as stdnum_egn

from generator.approval import write_sidecar

DEFAULT_APPROVED_BY = "Десислава Колева, началник на отдел „Регистри“"
DEFAULT_APPROVED_ON = date(2026, 11, 20)

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".yaml": "yaml", ".yml": "yaml", ".md": "markdown"}
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's 1900 date system (serial 1 = 01.01.1900)
EXCEL_DATE_FORMAT = "DD.MM.YYYY"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

OMIT = object()
"""Pass as an override to a row factory to leave that column out of the row."""


# --------------------------------------------------------------------------- exports


def write_export(
    path: Path,
    rows: list[dict],
    *,
    fmt: str | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
    approve: bool = True,
    approved_by: str = DEFAULT_APPROVED_BY,
    approved_on: date = DEFAULT_APPROVED_ON,
    excel_serial_dates: bool = False,
    json_wrapper: str | None = None,
    columns: list[str] | None = None,
) -> Path:
    """Write one export in the format its suffix names (or `fmt`), then its approval sidecar.

    - csv: `encoding` "utf-8", "utf-8-sig" (with BOM) or "cp1251"; `delimiter` "," or ";".
    - xlsx: header row, then rows; dates as real date cells, or as Excel serial numbers
      with `excel_serial_dates=True`.
    - json: a list of objects, or `{json_wrapper: [...]}` when `json_wrapper` is given.
    - yaml: a list of mappings (dates as YAML dates).
    - markdown: exactly one row; YAML front matter of every key but "text", which is the body.

    Columns are the union of the rows' keys in first-seen order, unless `columns` is
    given (useful for a header-only CSV). Dates are written as ISO text except in XLSX
    (pass strings to test other date forms). Returns the export's path.
    """
    path = Path(path)
    kind = _format_of(path, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = list(columns) if columns is not None else union_columns(rows)
    if kind == "csv":
        _write_csv(path, header, rows, encoding=encoding, delimiter=delimiter)
    elif kind == "xlsx":
        _write_xlsx(path, header, rows, serial_dates=excel_serial_dates, stamp=approved_on)
    elif kind == "json":
        records = [_portable(_ordered(row, header), dates_as_text=True) for row in rows]
        document: object = {json_wrapper: records} if json_wrapper else records
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elif kind == "yaml":
        records = [_portable(_ordered(row, header), dates_as_text=False) for row in rows]
        path.write_text(_dump_yaml(records), encoding="utf-8")
    else:
        _write_markdown(path, rows)
    if approve:
        write_sidecar(path, approved_by, approved_on)
    return path


def union_columns(rows: Iterable[Mapping[str, object]]) -> list[str]:
    """Every key of the rows, in the order first seen."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        kind = {"md": "markdown", "yml": "yaml"}.get(fmt, fmt)
        if kind not in set(FORMATS.values()):
            raise ValueError(f"unknown format {fmt!r}; use one of {sorted(set(FORMATS.values()))}")
        return kind
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"cannot tell the format of {path.name}: pass fmt=") from None


def _ordered(row: Mapping[str, object], header: list[str]) -> dict[str, object]:
    """The row's cells in header order (keys absent from the row stay absent)."""
    return {name: row[name] for name in header if name in row}


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float, Decimal)):
        return str(value)
    raise TypeError(f"a CSV cell cannot hold {type(value).__name__}: {value!r}")


def _write_csv(path: Path, header: list[str], rows: list[dict], *, encoding: str, delimiter: str) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(row.get(name)) for name in header])
    path.write_bytes(buffer.getvalue().encode(encoding))


def excel_serial(day: dt.date) -> int:
    """The Excel serial number of a date (1900 date system)."""
    return (day - EXCEL_EPOCH).days


def _xlsx_cell(value: object, serial_dates: bool) -> object:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return excel_serial(value) if serial_dates else value
    if value is None or isinstance(value, (str, int, float, Decimal, bool)):
        return value
    raise TypeError(f"an XLSX cell cannot hold {type(value).__name__}: {value!r}")


def _write_xlsx(path: Path, header: list[str], rows: list[dict], *, serial_dates: bool, stamp: dt.date) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Лист1"
    sheet.append(header)
    for row in rows:
        cells = [_xlsx_cell(row.get(name), serial_dates) for name in header]
        sheet.append(cells)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if cell.is_date:
                cell.number_format = EXCEL_DATE_FORMAT
    moment = dt.datetime.combine(stamp, dt.time())
    workbook.properties.creator = "ИВСС"
    workbook.properties.created = moment
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_reproducible_zip(buffer.getvalue(), moment))


def _reproducible_zip(data: bytes, moment: dt.datetime) -> bytes:
    """Re-pack an XLSX so that the same rows give the same bytes everywhere.

    openpyxl stamps the save time and serialises XML differently with and without lxml;
    here the timestamps are fixed and every XML part is canonicalised (C14N 2.0).
    """
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            content = source.read(info.filename)
            if info.filename.endswith((".xml", ".rels")):
                text = ElementTree.canonicalize(content.decode("utf-8"))
                if info.filename == "docProps/core.xml":
                    text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{stamp}\g<2>", text)
                content = (XML_DECLARATION + text).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def _portable(value: object, *, dates_as_text: bool) -> object:
    """A value JSON (dates as ISO text) or YAML (dates stay dates) can hold; Decimals become text."""
    if isinstance(value, Mapping):
        return {str(k): _portable(v, dates_as_text=dates_as_text) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_portable(v, dates_as_text=dates_as_text) for v in value]
    if dates_as_text and isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class _NoAliasDumper(yaml.SafeDumper):
    """Write a value shared by several rows in full each time, never as an &anchor / *alias."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _dump_yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=1000)


def _write_markdown(path: Path, rows: list[dict]) -> None:
    if len(rows) != 1:
        raise ValueError(f"a Markdown export holds exactly one record, got {len(rows)}")
    front = {k: v for k, v in rows[0].items() if k != "text"}
    body = str(rows[0].get("text") or "").strip()
    text = "---\n" + _dump_yaml(_portable(front, dates_as_text=False)) + "---\n"
    if body:
        text += "\n" + body + "\n"
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- projects

# keyword of make_registers -> (register folder, file name); dp_opinions: one Markdown file per opinion
TABLE_FILES: dict[str, tuple[str, str | None]] = {
    "declarations": ("declarations", "declarations.csv"),
    "items": ("declarations", "declarations_items.csv"),
    "late_filers": ("late_filers", "late_filers.csv"),
    "incorrect_declarants": ("incorrect_declarants", "incorrect_declarants.csv"),
    "penalty_rulings": ("penalty_rulings", "penalty_rulings.csv"),
    "inspection_programme": ("inspection_programme", "inspection_programme.csv"),
    "dp_opinions": ("dp_opinions", None),
}


def make_registers(
    root: Path,
    *,
    approve: bool = True,
    approved_by: str = DEFAULT_APPROVED_BY,
    approved_on: date = DEFAULT_APPROVED_ON,
    **tables: list[dict],
) -> Path:
    """Create root/registers/<register>/ with one approved export per keyword; return the registers folder.

    Keywords: declarations, items, late_filers, incorrect_declarants, penalty_rulings,
    inspection_programme (one CSV each) and dp_opinions (one Markdown file per opinion,
    named after its number). An empty list writes a header-only CSV (an empty folder
    for dp_opinions).
    """
    unknown = sorted(set(tables) - set(TABLE_FILES))
    if unknown:
        raise TypeError(f"make_registers() got unknown tables {unknown}; use {sorted(TABLE_FILES)}")
    registers = Path(root) / "registers"
    registers.mkdir(parents=True, exist_ok=True)
    approval = {"approve": approve, "approved_by": approved_by, "approved_on": approved_on}
    for keyword, rows in tables.items():
        folder_name, file_name = TABLE_FILES[keyword]
        folder = registers / folder_name
        folder.mkdir(exist_ok=True)
        if file_name is None:
            for row in rows:
                write_export(folder / f"{slug(str(row.get('number') or 'opinion'))}.md", [row], **approval)
            continue
        columns = None if rows else list(FACTORIES[keyword]())
        write_export(folder / file_name, rows, columns=columns, **approval)
    return registers


def make_content(root: Path) -> Path:
    """Create root/content/ with one page (About the Inspectorate); return the content folder."""
    content = Path(root) / "content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "za-inspektorata.md").write_text(
        "---\ntitle: За Инспектората\nnav_order: 1\n---\n\n"
        "Инспекторатът към Висшия съдебен съвет проверява дейността на органите на съдебната власт, "
        "без да засяга тяхната независимост.\n",
        encoding="utf-8",
    )
    return content


def slug(text: str) -> str:
    """A file-name-safe form of a number such as "3/2026" -> "3-2026"."""
    return re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-").casefold() or "export"


# --------------------------------------------------------------------------- identifiers


def make_egn(birth: date, serial: int = 0, *, female: bool = False) -> str:
    """A checksum-valid synthetic ЕГН for a birth date; `serial` varies the region digits."""
    month = birth.month + (40 if birth.year >= 2000 else 20 if birth.year < 1900 else 0)
    region = serial * 38 % 1000 // 2 * 2 + (1 if female else 0)  # the 9th digit is odd for women
    body = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{region:03d}"
    return body + stdnum_egn.calc_check_digit(body)


def make_iban(bank: str, branch: str, account: str) -> str:
    """A checksum-valid Bulgarian IBAN: 4-letter bank code, 4-digit branch, 2-digit type + 8 characters."""
    bban = f"{bank}{branch}{account}"
    if len(bban) != 18:
        raise ValueError("a Bulgarian BBAN has 18 characters: bank(4) + branch(4) + account(10)")
    return f"BG{stdnum_iban.calc_check_digits('BG00' + bban)}{bban}"


def make_email(local: str, domain: str = "example.com") -> str:
    """A synthetic e-mail address (the reserved example.com domain unless told)."""
    return local + "@" + domain


# --------------------------------------------------------------------------- row factories


def _row(defaults: dict[str, object], overrides: dict[str, object]) -> dict[str, object]:
    row = {**defaults, **overrides}
    return {k: v for k, v in row.items() if v is not OMIT}


def declaration(**overrides: object) -> dict[str, object]:
    """An annual declaration for 2025 of a judge, with the private columns an internal export carries."""
    return _row(
        {
            "declaration_id": "Д-2026-00417",
            "filed_on": date(2026, 5, 14),
            "year": 2025,
            "type": "ежегодна",
            "person_id": "P-10417",
            "full_name": "Петя Николова Стоянова",
            "position": "съдия",
            "body": "Окръжен съд – Кюстендил",
            "egn": make_egn(date(1978, 4, 9), 12, female=True),
            "address": "гр. Кюстендил, ул. „Демокрация“ № 34, вх. Б, ет. 4, ап. 12",
            "phone": "0887 412 356",
            "email": make_email("p.stoyanova.78"),
            "birth_date": date(1978, 4, 9),
        },
        overrides,
    )


def item(**overrides: object) -> dict[str, object]:
    """A flat bought in 2025, owned by the declarant; belongs to `declaration()`."""
    return _row(
        {
            "declaration_id": "Д-2026-00417",
            "section": "недвижими имоти",
            "owner": "декларатор",
            "description": "апартамент, тристаен",
            "municipality": "Кюстендил",
            "area_sqm": Decimal("86.40"),
            "share": "1/1",
            "acquired_year": 2025,
            "value": Decimal("148000.00"),
            "currency": "BGN",
            "legal_basis": "покупко-продажба",
            "origin_of_funds": "спестявания и ипотечен кредит",
            "partner_publication_refused": False,
            "address": "гр. Кюстендил, ул. „Цар Освободител“ № 41, ет. 3, ап. 7",
            "cadastral_id": "41112.502.1187.1.9",
        },
        overrides,
    )


def late_filer(**overrides: object) -> dict[str, object]:
    """An investigator who filed the 2025 annual declaration late."""
    return _row(
        {
            "year": 2025,
            "type": "ежегодна",
            "full_name": "Пламен Тодоров Гърков",
            "position": "следовател",
            "body": "Национална следствена служба",
            "deadline": date(2025, 5, 15),
            "filed_on": date(2025, 6, 3),
            "egn": make_egn(date(1969, 11, 23), 7),
            "notice_address": "гр. София, ж.к. „Люлин“ 5, бл. 512, вх. В, ет. 6, ап. 58",
        },
        overrides,
    )


def incorrect_declarant(**overrides: object) -> dict[str, object]:
    """A prosecutor listed in 2026 after a report of discrepancy."""
    return _row(
        {
            "listed_on": date(2026, 9, 30),
            "full_name": "Надежда Василева Кирова",
            "position": "прокурор",
            "body": "Районна прокуратура – Перник",
            "report_no": "ДН-12/2026",
            "discrepancy": "недеклариран лек автомобил, придобит през 2025 г.; разлика 14 200 лв.",
            "undelivered_notice": False,
            "egn": make_egn(date(1981, 2, 17), 21, female=True),
            "notice_address": "гр. Перник, кв. „Изток“, ул. „Отец Паисий“ № 18, ет. 2",
        },
        overrides,
    )


def penalty_ruling(**overrides: object) -> dict[str, object]:
    """A fine under Art. 408а ЗСВ (issued in 2026, so in euro), in force since April 2026, confirmed on appeal."""
    return _row(
        {
            "number": "НП-7/2026",
            "issued_on": date(2026, 2, 10),
            "full_name": "Стоян Любомиров Чакъров",
            "position": "съдия",
            "body": "Окръжен съд – Перник",
            "violation": "чл. 408а, ал. 1 ЗСВ – неподаване в срок на ежегодна декларация за имущество и интереси",
            "penalty_amount": Decimal("255.65"),
            "currency": "EUR",
            "in_force_on": date(2026, 4, 2),
            "appeal_outcome": "потвърдено",
            "egn": make_egn(date(1974, 8, 30), 33),
            "address": "гр. Перник, ул. „Кракра“ № 9, ет. 5, ап. 15",
            "appeal_case_no": "АНД № 412/2026 по описа на Районен съд – Перник",
            "internal_note": "Глобата е платена на 21.04.2026 г.; преписка ВП-2026-118",
        },
        overrides,
    )


def planned_inspection(**overrides: object) -> dict[str, object]:
    """A comprehensive inspection of a district court in the 2026 programme."""
    return _row(
        {
            "year": 2026,
            "decision_no": "Протокол № 11/26.03.2026",
            "adopted_on": date(2026, 3, 26),
            "appellate_region": "София",
            "body": "Окръжен съд – Кюстендил",
            "inspection_type": "комплексна",
            "topic": "Цялостна дейност на съда по граждански и наказателни дела",
            "period_checked": "01.01.2024 – 31.12.2025",
            "scheduled": "II тримесечие",
            "amended_on": None,
        },
        overrides,
    )


def opinion(**overrides: object) -> dict[str, object]:
    """An opinion on personal data protection, with its full Markdown text."""
    return _row(
        {
            "number": "1/2026",
            "session_date": date(2026, 2, 18),
            "title": "Относно публикуването на съдебни актове, в които са посочени свидетели",
            "requested_by": "Окръжен съд – Кюстендил",
            "summary": "Имената на свидетелите се заличават преди публикуване; длъжностните лица не се заличават.",
            "text": (
                "## Въпрос\n\n"
                "Допустимо ли е съдебните актове да се публикуват с имената на свидетелите?\n\n"
                "## Становище\n\n"
                "Съгласно чл. 64 ЗСВ актовете се публикуват след заличаване на личните данни "
                "(чл. 5, § 1, буква „в“ от Регламент (ЕС) 2016/679)."
            ),
            "requester_contact": "Силвия Рангелова, длъжностно лице по защита на данните, тел. 0878 512 904",
        },
        overrides,
    )


FACTORIES = {
    "declarations": declaration,
    "items": item,
    "late_filers": late_filer,
    "incorrect_declarants": incorrect_declarant,
    "penalty_rulings": penalty_ruling,
    "inspection_programme": planned_inspection,
    "dp_opinions": opinion,
}
