"""The geometry of the impact page's charts, drawn as SVG by the templates (no JavaScript).

Only coordinates and the values to print are computed here; labels arrive already in the
reader's language, and the templates format the numbers in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

WIDTH = 720
ROW_HEIGHT = 30
BAR_GAP = 2
TOP = 28
BOTTOM = 12
LABEL_WIDTH = 250
#: Labels longer than this are shortened with an ellipsis (the table beside has them whole).
LABEL_CHARS = 32
VALUE_ROOM = 56
LINE_HEIGHT = 300
LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 56, 24, 20, 44


def nice_ticks(maximum: float, count: int = 5) -> list[int]:
    """Round tick values from 0 covering ``maximum``: steps of 1, 2 or 5 × 10ⁿ."""
    if maximum <= 0:
        return [0, 1]
    rough = maximum / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    step = max(int(step), 1)
    top = step * math.ceil(maximum / step)
    return list(range(0, top + 1, step))


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int

    @property
    def value_x(self) -> float:
        return self.x + self.width + 4

    @property
    def value_y(self) -> float:
        return self.y + self.height / 2


@dataclass
class BarRow:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass
class Tick:
    position: float
    label: object


@dataclass
class BarChart:
    """Horizontal bars, one group per row (country, kind, sector), one bar per series."""

    id: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    rows: list[BarRow]
    ticks: list[Tick]
    series: list[str]
    top: int = TOP

    @property
    def plot_bottom(self) -> float:
        return self.height - BOTTOM


def bar_chart(chart_id: str, rows: list[tuple[str, list[int]]], series: list[str]) -> BarChart:
    """``rows``: (label, one value per series)."""
    maximum = max((v for _label, values in rows for v in values), default=0)
    ticks = nice_ticks(maximum)
    # Room for the longest label (about 7.5 units a character at the labels' size).
    longest = max((min(len(label), LABEL_CHARS) for label, _values in rows), default=0)
    left, right = min(max(80, round(longest * 7.5) + 16), LABEL_WIDTH), WIDTH - VALUE_ROOM
    scale = (right - left) / ticks[-1]
    bar_height = (ROW_HEIGHT - 8 - BAR_GAP * (len(series) - 1)) / max(len(series), 1)
    drawn = []
    for index, (label, values) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT + 4
        bars = [
            Bar(
                x=left,
                y=round(y + n * (bar_height + BAR_GAP), 2),
                width=round(value * scale, 2),
                height=round(bar_height, 2),
                value=value,
                series=n,
            )
            for n, value in enumerate(values)
        ]
        drawn.append(BarRow(label, round(y + (ROW_HEIGHT - 8) / 2, 2), bars))
    return BarChart(
        id=chart_id,
        width=WIDTH,
        height=TOP + len(rows) * ROW_HEIGHT + BOTTOM,
        plot_left=left,
        plot_right=right,
        rows=drawn,
        ticks=[Tick(round(left + t * scale, 2), t) for t in ticks],
        series=series,
    )


@dataclass
class Line:
    name: str
    series: int
    points: str
    last_x: float
    last_y: float
    last_value: int


@dataclass
class Marker:
    x: float
    month: date
    count: int


@dataclass
class LineChart:
    """Cumulative lines month by month, with the months an AlpCafé was held marked below."""

    id: str
    width: int = WIDTH
    height: int = LINE_HEIGHT
    left: int = LINE_LEFT
    right: int = WIDTH - LINE_RIGHT
    top: int = LINE_TOP
    bottom: int = LINE_HEIGHT - LINE_BOTTOM
    lines: list[Line] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)

    @property
    def marker_y(self) -> int:
        return self.bottom + 30


def line_chart(
    chart_id: str,
    months: list[date],
    series: list[tuple[str, list[int]]],
    events: list[int],
) -> LineChart:
    """``series``: (name, one cumulative value per month); ``events``: AlpCafés per month."""
    chart = LineChart(id=chart_id)
    if not months:
        return chart
    maximum = max((v for _name, values in series for v in values), default=0)
    ticks = nice_ticks(maximum)
    span = max(len(months) - 1, 1)

    def x(index: int) -> float:
        return round(chart.left + (chart.right - chart.left) * index / span, 2)

    def y(value: int) -> float:
        return round(chart.bottom - (chart.bottom - chart.top) * value / ticks[-1], 2)

    chart.y_ticks = [Tick(y(t), t) for t in ticks]
    for n, (name, values) in enumerate(series):
        # A step line: a figure holds until the month it changes.
        points = [(x(0), y(values[0]))]
        for index in range(1, len(values)):
            points.append((x(index), y(values[index - 1])))
            points.append((x(index), y(values[index])))
        chart.lines.append(
            Line(
                name=name,
                series=n,
                points=" ".join(f"{px},{py}" for px, py in points),
                last_x=points[-1][0],
                last_y=points[-1][1],
                last_value=values[-1],
            )
        )
    # About six labelled months: every January on long spans, else every few months.
    step = max(1, math.ceil(len(months) / 6))
    if len(months) > 24:
        years = max(1, math.ceil(len(months) / 12 / 6))
        chart.x_ticks = [
            Tick(x(i), m) for i, m in enumerate(months) if m.month == 1 and m.year % years == 0
        ]
    else:
        chart.x_ticks = [Tick(x(i), m) for i, m in enumerate(months) if i % step == 0]
    chart.markers = [Marker(x(i), months[i], count) for i, count in enumerate(events) if count]
    return chart
