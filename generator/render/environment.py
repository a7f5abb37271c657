"""The Jinja2 environment of generated pages: strict, autoescaped, with Bulgarian formatting filters."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.render.sanitize import safe_href

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = PROJECT_ROOT / "site_templates" / "pages"

# Fixed conversion rate of the lev to the euro (Council Decision of 8 July 2025).
BGN_PER_EUR = Decimal("1.95583")
EURO_YEAR = 2026  # Bulgaria adopted the euro on 1 January 2026
CURRENCY_SIGNS = {"BGN": "лв.", "EUR": "€"}
MONTHS = ("януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември", "октомври", "ноември", "декември")


def date_bg(day: dt.date | None) -> str:
    """15.05.2026 г."""
    return f"{day:%d.%m.%Y} г." if day else ""


def number_bg(amount: Decimal | int | None, places: int = 2) -> str:
    """1 234,50 — a narrow no-break space groups thousands, a comma marks decimals."""
    if amount is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(amount).quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def default_currency(year: int | None) -> str:
    """An amount exported without a currency is in leva for years before 2026, in euro from 2026."""
    return "EUR" if year is not None and year >= EURO_YEAR else "BGN"


def convert(amount: Decimal, currency: str) -> tuple[Decimal, str]:
    """The amount in the other currency at the fixed rate."""
    if currency == "BGN":
        return amount / BGN_PER_EUR, "EUR"
    return amount * BGN_PER_EUR, "BGN"


def money(amount: Decimal | None, currency: str | None, *, both: bool = False) -> str:
    """"1 234,50 лв." and, with both=True, the other currency beside it."""
    if amount is None:
        return ""
    currency = currency or "BGN"
    text = f"{number_bg(amount)} {CURRENCY_SIGNS.get(currency, currency)}"
    if both:
        other, other_currency = convert(amount, currency)
        text += f" (≈ {number_bg(other)} {CURRENCY_SIGNS[other_currency]})"
    return text


def make_environment(templates: Path = TEMPLATES) -> Environment:
    """A Jinja2 environment that fails on undefined names and escapes every value."""
    env = Environment(
        loader=FileSystemLoader(templates),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(date_bg=date_bg, number_bg=number_bg, money=money, safe_href=safe_href)
    env.globals.update(default_currency=default_currency)
    return env
