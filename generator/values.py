"""Parse raw cells into typed values; every failure is a ValueError with a short Bulgarian message."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

EXCEL_EPOCH = dt.date(1899, 12, 30)  # 1900 date system, counting Excel's phantom 29.02.1900
EXCEL_MAX_SERIAL = 2_958_465  # 31.12.9999

# Spaces that exporters put between thousands: normal, no-break, narrow no-break, thin, figure.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009\u2007]+")
_YEAR_SUFFIX = re.compile(r"\s*г\.?$")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_BG_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
# The forms nearly every cell of an export has, read without the general clean-up; anything
# else (and any failure) goes the general way, which alone words the errors.
_CLEAN_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_CLEAN_BG_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})(?: ?г\.?)?")
_CLEAN_AMOUNT = re.compile(r"([0-9]+)(?:[.,]([0-9]+))?")
# Digits with a decimal mark and anything but three decimals ("1.000" may mean a thousand).
_PLAIN_AMOUNT = re.compile(r"[0-9]+(?:[.,](?:[0-9]{1,2}|[0-9]{4,}))?")

DATE_FORM = "Очаква се дата във вида ДД.ММ.ГГГГ (напр. 31.12.2025) или ГГГГ-ММ-ДД (напр. 2025-12-31)."
AMOUNT_FORM = "Очаква се сума като 1234,50 или 1 234,50 лв. (или 2500 EUR)."
CURRENCY_FORM = "Очаква се BGN (лв.) или EUR (евро)."
INT_FORM = "Очаква се цяло число, напр. 2025."

_CURRENCIES = {
    "bgn": "BGN",
    "лв": "BGN",
    "лв.": "BGN",
    "лева": "BGN",
    "eur": "EUR",
    "€": "EUR",
    "евро": "EUR",
}
# Longest first, so "лв." is taken before "лв".
_CURRENCY_MARK = "|".join(re.escape(mark) for mark in sorted(_CURRENCIES, key=len, reverse=True))
_AMOUNT_WITH_MARK = re.compile(rf"^(?:(?P<before>{_CURRENCY_MARK})\s*)?(?P<number>.*?)(?:\s*(?P<after>{_CURRENCY_MARK}))?$", re.IGNORECASE)
_NUMBER = re.compile(r"\d([\d., ]*\d)?")  # digits, maybe grouped, never ending on a separator
_SPACED_GROUPS = re.compile(r"\d{1,3}( \d{3})+")

_TRUE = {"true", "да", "yes", "1", "x", "х"}  # "х" is the Cyrillic letter, same key on a Bulgarian keyboard
_FALSE = {"false", "не", "no", "0"}


def _quote(value: object) -> str:
    return f"„{value}“"


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def parse_date(value: object) -> dt.date:
    """A date from a date/datetime, an Excel serial number, or text "ДД.ММ.ГГГГ [г.]" / "ГГГГ-ММ-ДД"."""
    if type(value) is str and (fast := _clean_date(value)):
        return fast
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _is_number(value):
        return _date_from_serial(value)  # type: ignore[arg-type]
    if _is_blank(value):
        raise ValueError(f"Липсва дата. {DATE_FORM}")
    if isinstance(value, str):
        return _date_from_text(value)
    raise ValueError(f"{_quote(value)} не е дата. {DATE_FORM}")


def _clean_date(text: str) -> dt.date | None:
    """The date of an already clean ISO or Bulgarian date text; None sends it the general way."""
    if match := _CLEAN_ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _CLEAN_BG_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _date_from_serial(serial: int | float | Decimal) -> dt.date:
    """Excel counts days from 30.12.1899; a fraction is the time of day and is dropped."""
    if not math.isfinite(serial) or not 1 <= serial <= EXCEL_MAX_SERIAL:
        raise ValueError(f"Числото {_quote(serial)} не е дата от Excel. {DATE_FORM}")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def _date_from_text(text: str) -> dt.date:
    cleaned = _YEAR_SUFFIX.sub("", _SPACES.sub(" ", text).strip())
    if match := _ISO_DATE.fullmatch(cleaned):
        year, month, day = match.groups()
    elif match := _BG_DATE.fullmatch(cleaned):
        day, month, year = match.groups()
    else:
        raise ValueError(f"{_quote(text.strip())} не е дата. {DATE_FORM}")
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{_quote(text.strip())} не е съществуваща дата: проверете деня и месеца.") from None


def parse_amount(value: object) -> tuple[Decimal, str | None]:
    """An amount and the currency its text names ("BGN", "EUR" or None), from "1 234,50 лв.", "2500 EUR", 12.5 …"""
    if type(value) is str and (match := _CLEAN_AMOUNT.fullmatch(value)):
        integer, fraction = match.groups()
        if fraction is None:
            return Decimal(integer), None
        # "1.000" is ambiguous: the general way refuses it with its own words.
        if not (len(fraction) == 3 and len(integer) <= 3 and integer[0] != "0"):
            return Decimal(f"{integer}.{fraction}"), None
    if isinstance(value, Decimal):
        return _finite(value, value), None
    if _is_number(value):
        # Via str: Decimal(0.1) would carry the float's binary noise.
        return _finite(Decimal(str(value)), value), None
    if _is_blank(value):
        raise ValueError(f"Липсва сума. {AMOUNT_FORM}")
    if isinstance(value, str):
        return _amount_from_text(value)
    raise ValueError(f"{_quote(value)} не е сума. {AMOUNT_FORM}")


def plain_amount(text: str) -> Decimal | None:
    """The amount of a text such as "1234,50" or "1234.5", no currency, no grouping; None for any other text.

    The form of nearly every amount of an export, read in a fraction of parse_amount's time;
    parse_amount gives the same Decimal for it.
    """
    if _PLAIN_AMOUNT.fullmatch(text):
        return Decimal(text.replace(",", "."))
    return None


def _finite(amount: Decimal, original: object) -> Decimal:
    if not amount.is_finite():
        raise ValueError(f"{_quote(original)} не е сума. {AMOUNT_FORM}")
    return amount


def _amount_from_text(text: str) -> tuple[Decimal, str | None]:
    shown = text.strip()
    cleaned = _SPACES.sub(" ", shown).replace("\u2212", "-")  # the typographic minus of Word and Excel
    match = _AMOUNT_WITH_MARK.match(cleaned)
    if match is None:  # "." does not cross a line break: "12\n3" is no amount
        raise ValueError(f"{_quote(shown)} не е сума. {AMOUNT_FORM}")
    before, after = match.group("before"), match.group("after")  # type: ignore[union-attr]
    if before and after:
        raise ValueError(f"{_quote(shown)} не е сума: валутата е посочена два пъти. {AMOUNT_FORM}")
    mark = before or after
    currency = _CURRENCIES[mark.casefold()] if mark else None
    return _number_from_text(match.group("number"), shown), currency  # type: ignore[union-attr]


def _number_from_text(number: str, shown: str) -> Decimal:
    """The number part: spaces and one of ".", "," may group thousands; the last separator is the decimal mark."""
    number = number.strip()
    sign = ""
    if number[:1] in "+-":
        sign, number = number[:1], number[1:].strip()
    if not _NUMBER.fullmatch(number):
        raise ValueError(f"{_quote(shown)} не е сума. {AMOUNT_FORM}")
    integer, fraction = _split_decimal(number, shown)
    return Decimal(sign + integer + ("" if fraction is None else "." + fraction))


def _split_decimal(number: str, shown: str) -> tuple[str, str | None]:
    """Split into (integer digits, fraction digits or None), checking that thousands come in groups of three."""
    separators = [c for c in number if c in ".,"]
    decimal_mark = _decimal_mark(number, separators, shown)
    integer, _, fraction = number.rpartition(decimal_mark) if decimal_mark else (number, "", None)
    thousands = {c for c in separators if c != decimal_mark} | ({" "} if " " in integer else set())
    if len(thousands) > 1 or (fraction is not None and not fraction.isdigit()):
        raise ValueError(f"{_quote(shown)} не е сума. {AMOUNT_FORM}")
    if thousands:
        grouped = integer.replace(thousands.pop(), " ")
        if not _SPACED_GROUPS.fullmatch(grouped):
            raise ValueError(f"{_quote(shown)} не е сума: хилядите трябва да са групирани по три цифри. {AMOUNT_FORM}")
        integer = grouped.replace(" ", "")
    return integer, fraction


def _decimal_mark(number: str, separators: list[str], shown: str) -> str | None:
    """Which of "." and "," is the decimal mark; None for a whole number."""
    if not separators:
        return None
    if len(set(separators)) == 2:
        return separators[-1]
    mark = separators[0]
    if len(separators) > 1:  # "1.234.567" or "1,234,567": only thousands
        return None
    integer, fraction = number.split(mark)
    # "1.000" or "12,500": a Bulgarian reads thousands, an English system a fraction; refuse to guess.
    if len(fraction) == 3 and len(integer) <= 3 and integer.isdigit() and not integer.startswith("0"):
        raise ValueError(
            f"{_quote(shown)} е двусмислено: не е ясно дали „{mark}“ отделя хилядите или десетичните. "
            "Напишете 1000 или 1 000 за хиляда и 1,5 за едно и половина."
        )
    return mark


def parse_currency(value: object) -> str:
    """The code "BGN" or "EUR" from a currency mark: BGN, лв, лв., лева, EUR, €, евро (any case)."""
    if _is_blank(value):
        raise ValueError(f"Липсва валута. {CURRENCY_FORM}")
    if isinstance(value, str) and (code := _CURRENCIES.get(value.strip().casefold())):
        return code
    raise ValueError(f"{_quote(value)} не е валута. {CURRENCY_FORM}")


def parse_int(value: object) -> int:
    """A whole number from an int, a float without fraction, or text such as " 2025 "."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if type(value) is str and value.isascii() and value.isdigit():
        return int(value)
    if isinstance(value, (float, Decimal)) and math.isfinite(value) and value == int(value):
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value.strip())
    if _is_blank(value):
        raise ValueError(f"Липсва число. {INT_FORM}")
    raise ValueError(f"{_quote(value)} не е цяло число. {INT_FORM}")


def parse_bool(value: object) -> bool:
    """Yes or no from true/false, да/не, yes/no, 1/0, x; an empty cell is no."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if _is_number(value) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().casefold()
        if not word or word in _FALSE:
            return False
        if word in _TRUE:
            return True
    raise ValueError(f"{_quote(value)} не е „да“ или „не“. Очаква се да/не, true/false или x за „да“.")


def parse_text(value: object) -> str | None:
    """Text with runs of spaces collapsed (line breaks kept); numbers and dates as text; empty is None."""
    if value is None:
        return None
    if type(value) is str:
        # Most cells are one clean line already: no copy, so records share the reader's string.
        if value and not (_NEEDS_CLEANING.search(value) or value[0].isspace() or value[-1].isspace()):
            return value
        return _clean_text(value)
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, bool):
        return "да" if value else "не"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise ValueError(f"Очаква се текст, а стойността е списък или група от полета: {_quote(value)}.")


def _number_text(value: float | Decimal) -> str | None:
    if not math.isfinite(value):
        return None
    if value == int(value):
        return str(int(value))
    return format(value, "f") if isinstance(value, Decimal) else str(value)


_NEEDS_CLEANING = re.compile(r"[\t\n\r]|  ")


def _clean_text(text: str) -> str | None:
    """Collapse spaces between words; keep line breaks and each line's indentation (Markdown lists need it)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cleaned = [_collapse_line(line) for line in lines]
    return "\n".join(cleaned).strip() or None


def _collapse_line(line: str) -> str:
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return indent + re.sub(r"[ \t]+", " ", line.strip(" \t"))
