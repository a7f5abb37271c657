"""Small bar charts drawn at build time as inline SVG, each with a text alternative; no chart library."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

from generator.render.environment import number_bg

WIDTH, HEIGHT, BAR_GAP, LABEL = 320, 120, 8, 16


def bar_chart(chart_id: str, title: str, values: dict[int, Decimal]) -> Markup:
    """An SVG bar chart of euro totals by year; `title` and a per-year description are its text alternative."""
    years = sorted(values)
    peak = max((abs(v) for v in values.values()), default=Decimal(0)) or Decimal(1)
    bar_width = (WIDTH - BAR_GAP * (len(years) + 1)) / max(len(years), 1)
    description = "; ".join(f"{year} г.: {number_bg(values[year])} €" for year in years)
    parts = [
        f'<svg class="portal-chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT + LABEL}" width="{WIDTH}" height="{HEIGHT + LABEL}" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    for index, year in enumerate(years):
        height = float(abs(values[year]) / peak) * (HEIGHT - 4)
        x = BAR_GAP + index * (bar_width + BAR_GAP)
        parts.append(f'<rect x="{x:.1f}" y="{HEIGHT - height:.1f}" width="{bar_width:.1f}" height="{height:.1f}"></rect>')
        parts.append(f'<text x="{x + bar_width / 2:.1f}" y="{HEIGHT + LABEL - 3}" text-anchor="middle">{year}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
