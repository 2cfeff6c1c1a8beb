"""Small bar charts rendered on the server as accessible SVG (no JavaScript)."""

from __future__ import annotations

from markupsafe import Markup, escape


def bar_chart(title: str, data: list[tuple[str, int]], width: int = 640,
              bar_height: int = 22) -> Markup:
    """A horizontal bar chart with a <title>, one labelled bar per item, values as text."""
    label_width = 200
    top = 8
    height = top + len(data) * (bar_height + 6) + 8
    biggest = max((value for _label, value in data), default=0) or 1
    scale = (width - label_width - 60) / biggest
    rows = []
    for i, (label, value) in enumerate(data):
        y = top + i * (bar_height + 6)
        w = max(value * scale, 1 if value else 0)
        rows.append(
            f'<g><text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" rx="3">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text x="{label_width + w + 6:.1f}" y="{y + bar_height * 0.7:.1f}">{value}</text>'
            "</g>"
        )
    return Markup(
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} '
        f'{height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(rows)}</svg>'
    )


def column_chart(title: str, data: list[tuple[str, int]], width: int = 720,
                 height: int = 200) -> Markup:
    """A vertical column chart over time; every column has a <title> with its value."""
    if not data:
        return Markup("")
    bottom = height - 24
    biggest = max(value for _label, value in data) or 1
    step = width / len(data)
    cols = []
    for i, (label, value) in enumerate(data):
        h = (bottom - 10) * value / biggest
        x = i * step + 2
        cols.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{max(step - 4, 1):.1f}" '
                    f'height="{h:.1f}"><title>{escape(label)}: {value}</title></rect>')
    first, last = escape(data[0][0]), escape(data[-1][0])
    return Markup(
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} '
        f'{height}" width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}'
        f'</title>{"".join(cols)}<text x="0" y="{height - 6}">{first}</text>'
        f'<text x="{width}" y="{height - 6}" text-anchor="end">{last}</text></svg>'
    )
