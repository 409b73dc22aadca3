"""Charts as inline SVG drawn on the server: no JavaScript, no CDN, prints as it shows.

Labels sit above their bars so a chart stays readable at 360 px; the SVG scales with its
box (viewBox, width 100 %). Every text is escaped; the caller marks the result safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

WIDTH = 400
ROW = 40
BAR = 16
COLOURS = ("#12355b", "#1f6f8b", "#2a9d8f", "#58a45d", "#b08d2f", "#c2671f", "#8c3b3b")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    note: str = ""  # printed after the number, e.g. "62 % of eligible"


def hbars(bars: list[Bar], *, title: str, colour: str | None = None) -> SafeString:
    """Horizontal bars, one per row, scaled to the largest value."""
    if not bars:
        return mark_safe("")
    top = max((b.value for b in bars), default=0) or 1
    height = ROW * len(bars) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = i * ROW + 4
        length = 0 if bar.value <= 0 else max(2.0, (WIDTH - 8) * bar.value / top)
        fill = colour or COLOURS[i % len(COLOURS)]
        number = number_format(bar.value, force_grouping=True)
        text = f'{escape(bar.label)}: <tspan font-weight="bold">{number}</tspan>'
        if bar.note:
            text += f' <tspan fill="#555">({escape(bar.note)})</tspan>'
        parts.append(f'<text x="2" y="{y + 12}" font-size="14">{text}</text>')
        parts.append(
            f'<rect x="2" y="{y + 17}" width="{length:.1f}" height="{BAR}" rx="2" fill="{fill}">'
            f"<title>{escape(bar.label)}: {number}</title></rect>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
