"""Cell parsing: every accepted form, and a Bulgarian message quoting the value for the rest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator.values import parse_amount, parse_bool, parse_currency, parse_date, parse_int, parse_text

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2025-03-04",
        "04.03.2025",
        "4.3.2025",
        "04.03.2025 г.",
        "04.03.2025г.",
        "04.03.2025 г",
        f"04.03.2025{NBSP}г.",
        "  2025-03-04 ",
        "2025-03-04 г.",
        dt.date(2025, 3, 4),
        dt.datetime(2025, 3, 4, 15, 30),
        45720,  # Excel serial number
        45720.75,  # a serial with a time of day
        Decimal(45720),
    ],
)
def test_parse_date_forms(value: object) -> None:
    assert parse_date(value) == dt.date(2025, 3, 4)


def test_parse_date_excel_serial_range() -> None:
    assert parse_date(1) == dt.date(1899, 12, 31)
    assert parse_date(2958465) == dt.date(9999, 12, 31)


@pytest.mark.parametrize("value", [0, -5, 2958466, float("nan")])
def test_parse_date_serial_out_of_range(value: object) -> None:
    with pytest.raises(ValueError, match="не е дата от Excel"):
        parse_date(value)


@pytest.mark.parametrize("value", ["31.02.2025", "29.02.2025", "2025-13-01", "00.01.2025"])
def test_parse_date_impossible(value: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_date(value)
    assert f"„{value}“ не е съществуваща дата" in str(error.value)


@pytest.mark.parametrize("value", ["04/03/2025", "2025.03.04", "4 март 2025", "04.03.25", "2025-3-4", "вчера", True])
def test_parse_date_wrong_form(value: object) -> None:
    with pytest.raises(ValueError) as error:
        parse_date(value)
    message = str(error.value)
    assert f"„{value}“ не е дата" in message
    assert "ДД.ММ.ГГГГ" in message


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_date_missing(value: object) -> None:
    with pytest.raises(ValueError, match="Липсва дата"):
        parse_date(value)


def test_parse_date_leap_day() -> None:
    assert parse_date("29.02.2024 г.") == dt.date(2024, 2, 29)


# --- amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "amount", "currency"),
    [
        ("1234.50", "1234.50", None),
        ("1 234,50", "1234.50", None),
        ("1234,50 лв.", "1234.50", "BGN"),
        ("1 234,50 лв", "1234.50", "BGN"),
        ("1.234,50", "1234.50", None),
        ("1,234.50", "1234.50", None),
        ("2500 EUR", "2500", "EUR"),
        ("2500 eur", "2500", "EUR"),
        ("100 €", "100", "EUR"),
        ("€100", "100", "EUR"),
        ("1 000 евро", "1000", "EUR"),
        ("300 BGN", "300", "BGN"),
        ("3000лв.", "3000", "BGN"),
        ("1 000 лева", "1000", "BGN"),
        (f"1{NBSP}234,50{NBSP}лв.", "1234.50", "BGN"),
        (f"1{NNBSP}234{NNBSP}567,89", "1234567.89", None),
        ("1 234 567", "1234567", None),
        ("1.234.567,89", "1234567.89", None),
        ("1,234,567", "1234567", None),
        ("-1 234,50 лв.", "-1234.50", "BGN"),
        ("−250", "-250", None),  # typographic minus
        ("0,500", "0.500", None),
        ("1,5", "1.5", None),
        ("  42  ", "42", None),
    ],
)
def test_parse_amount_text(value: str, amount: str, currency: str | None) -> None:
    assert parse_amount(value) == (Decimal(amount), currency)


@pytest.mark.parametrize(
    ("value", "amount"),
    [(1500, "1500"), (1234.5, "1234.5"), (0.1, "0.1"), (Decimal("12.30"), "12.30"), (-300, "-300")],
)
def test_parse_amount_numbers(value: object, amount: str) -> None:
    parsed, currency = parse_amount(value)
    assert (parsed, currency) == (Decimal(amount), None)
    assert str(parsed) == amount  # no binary noise from floats


@pytest.mark.parametrize("value", ["abc", "12 лв. лв", "1 23,45", "12..5", "1,2,3.4.5", "1e5", "лв.", "1234,", "12 USD", True])
def test_parse_amount_invalid(value: object) -> None:
    with pytest.raises(ValueError) as error:
        parse_amount(value)
    assert f"„{value}“" in str(error.value)


def test_parse_amount_bad_grouping_says_why() -> None:
    with pytest.raises(ValueError, match="групирани по три цифри"):
        parse_amount("12 34,50")


@pytest.mark.parametrize("value", ["1.000", "12,500 лв.", "300.000"])
def test_parse_amount_ambiguous_separator_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="двусмислено"):
        parse_amount(value)


@pytest.mark.parametrize("value", [None, "", " "])
def test_parse_amount_missing(value: object) -> None:
    with pytest.raises(ValueError, match="Липсва сума"):
        parse_amount(value)


# --- currency, int, bool, text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [("BGN", "BGN"), ("bgn", "BGN"), ("лв", "BGN"), ("лв.", "BGN"), ("Лева", "BGN"), (" EUR ", "EUR"), ("€", "EUR"), ("ЕВРО", "EUR")],
)
def test_parse_currency(value: str, code: str) -> None:
    assert parse_currency(value) == code


@pytest.mark.parametrize("value", ["USD", "лири", 100])
def test_parse_currency_invalid(value: object) -> None:
    with pytest.raises(ValueError, match=f"„{value}“ не е валута"):
        parse_currency(value)


def test_parse_currency_missing() -> None:
    with pytest.raises(ValueError, match="Липсва валута"):
        parse_currency(None)


@pytest.mark.parametrize("value", ["2025", 2025, 2025.0, " 2025 ", Decimal("2025"), "+2025"])
def test_parse_int(value: object) -> None:
    assert parse_int(value) == 2025


@pytest.mark.parametrize("value", ["2025.5", 2025.5, "две", "20 25", True, float("inf")])
def test_parse_int_invalid(value: object) -> None:
    with pytest.raises(ValueError, match=f"„{value}“ не е цяло число"):
        parse_int(value)


def test_parse_int_missing() -> None:
    with pytest.raises(ValueError, match="Липсва число"):
        parse_int("")


@pytest.mark.parametrize("value", [True, "true", "TRUE", "да", "Да", "yes", "1", 1, "x", "X", "х"])
def test_parse_bool_true(value: object) -> None:
    assert parse_bool(value) is True


@pytest.mark.parametrize("value", [False, "false", "не", "НЕ", "no", "0", 0, None, "", "  "])
def test_parse_bool_false(value: object) -> None:
    assert parse_bool(value) is False


@pytest.mark.parametrize("value", ["може би", 2, "y"])
def test_parse_bool_invalid(value: object) -> None:
    with pytest.raises(ValueError, match=f"„{value}“ не е „да“ или „не“"):
        parse_bool(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("  Окръжен   съд –  Кюстендил ", "Окръжен съд – Кюстендил"),
        ("Първи  ред\r\nвтори\t\tред\n\n- точка\n  - подточка", "Първи ред\nвтори ред\n\n- точка\n  - подточка"),
        (2025, "2025"),
        (2025.0, "2025"),
        (12.5, "12.5"),
        (Decimal("3000.00"), "3000"),
        (dt.date(2025, 3, 4), "2025-03-04"),
        (dt.datetime(2025, 3, 4), "2025-03-04"),
        (None, None),
        ("", None),
        ("   \n  ", None),
    ],
)
def test_parse_text(value: object, text: str | None) -> None:
    assert parse_text(value) == text


def test_parse_text_refuses_a_list() -> None:
    with pytest.raises(ValueError, match="Очаква се текст"):
        parse_text([{"section": "доходи"}])
