"""Server-drawn SVG charts: the geometry is computed here and the templates draw it, so a
chart needs no JavaScript and every chart has a table of the same numbers beside it.

Used by the student progress page (mastery per objective) and the parent's child page
(scores over time). Both are percent charts, 0 to 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BAR_CHART_WIDTH = 520
BAR_LABEL_WIDTH = 130
BAR_VALUE_WIDTH = 56
BAR_ROW_HEIGHT = 32
BAR_THICKNESS = 18

LINE_CHART_WIDTH = 480
LINE_CHART_HEIGHT = 230
LINE_PADDING_LEFT = 44
LINE_PADDING_RIGHT = 32
LINE_PADDING_TOP = 16
LINE_PADDING_BOTTOM = 40


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    percent: int
    y: int
    width: int
    text_y: int
    tone: str


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    label_width: int
    plot_width: int
    value_x: int
    bars: tuple[Bar, ...]


def _tone(percent: int) -> str:
    if percent >= 85:
        return "success"
    if percent >= 50:
        return "brand"
    return "warning"


def percent_bar_chart(items: Sequence[tuple[str, int]]) -> BarChart:
    """Horizontal bars, one row per (label, percent from 0 to 100)."""
    plot_width = BAR_CHART_WIDTH - BAR_LABEL_WIDTH - BAR_VALUE_WIDTH
    bars = []
    for index, (label, percent) in enumerate(items):
        clamped = max(0, min(100, percent))
        top = index * BAR_ROW_HEIGHT + (BAR_ROW_HEIGHT - BAR_THICKNESS) // 2
        bars.append(
            Bar(
                label=label,
                percent=clamped,
                y=top,
                width=round(plot_width * clamped / 100),
                text_y=top + BAR_THICKNESS - 4,
                tone=_tone(clamped),
            )
        )
    return BarChart(
        width=BAR_CHART_WIDTH,
        height=max(len(bars), 1) * BAR_ROW_HEIGHT,
        label_width=BAR_LABEL_WIDTH,
        plot_width=plot_width,
        value_x=BAR_CHART_WIDTH - BAR_VALUE_WIDTH + 8,
        bars=tuple(bars),
    )


@dataclass(frozen=True, slots=True)
class LinePoint:
    label: str
    percent: float
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class GridLine:
    percent: int
    y: int

    @property
    def label_y(self) -> int:
        return self.y + 4


@dataclass(frozen=True, slots=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    bottom: int
    points: tuple[LinePoint, ...]
    gridlines: tuple[GridLine, ...]

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x},{point.y}" for point in self.points)

    @property
    def axis_label_x(self) -> int:
        return self.left - 8

    @property
    def date_label_y(self) -> int:
        return self.bottom + 24

    @property
    def label_x_positions(self) -> tuple[LinePoint, ...]:
        """The points whose labels fit under the axis: at most about six, always the last."""
        step = max(1, -(-len(self.points) // 6))
        chosen = [point for index, point in enumerate(self.points) if index % step == 0]
        if self.points and chosen[-1] is not self.points[-1]:
            if len(chosen) > 1:
                chosen.pop()
            chosen.append(self.points[-1])
        return tuple(chosen)


def percent_line_chart(items: Sequence[tuple[str, float]]) -> LineChart:
    """A line through (label, percent) points, left to right in the order given."""
    plot_left = LINE_PADDING_LEFT
    plot_right = LINE_CHART_WIDTH - LINE_PADDING_RIGHT
    plot_top = LINE_PADDING_TOP
    plot_bottom = LINE_CHART_HEIGHT - LINE_PADDING_BOTTOM
    plot_height = plot_bottom - plot_top

    def y_of(percent: float) -> int:
        return round(plot_bottom - plot_height * max(0.0, min(100.0, percent)) / 100)

    count = len(items)
    span = plot_right - plot_left
    points = tuple(
        LinePoint(
            label=label,
            percent=percent,
            x=round(plot_left + (span * index / (count - 1) if count > 1 else span / 2)),
            y=y_of(percent),
        )
        for index, (label, percent) in enumerate(items)
    )
    return LineChart(
        width=LINE_CHART_WIDTH,
        height=LINE_CHART_HEIGHT,
        left=plot_left,
        right=plot_right,
        bottom=plot_bottom,
        points=points,
        gridlines=tuple(GridLine(percent=value, y=y_of(value)) for value in (0, 25, 50, 75, 100)),
    )
