"""Figures of a check's result, drawn with Rich in the terminal (no plotting library needed).

The figure dicts come from grader.checklib (ctx.plot: "line"; ctx.gradcheck: "bars") and
grader.graphwalk ("graph"); docs/report-format.md describes them. Each renderer sizes itself to the
width Rich gives it, so a figure fits a narrow results panel as well as the detail view.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.text import Text

COLORS = ("cyan", "magenta", "yellow", "green", "blue", "red")
# Braille dots: (column, row) -> bit, two columns by four rows per character cell.
_DOTS = {(0, 0): 0x01, (0, 1): 0x02, (0, 2): 0x04, (1, 0): 0x08, (1, 1): 0x10, (1, 2): 0x20, (0, 3): 0x40,
         (1, 3): 0x80}


def _fmt(value: float) -> str:
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    magnitude = abs(value)
    return f"{value:.2e}" if magnitude >= 1e4 or magnitude < 1e-2 else f"{value:.3g}"


def _points(values: list) -> list[tuple[float, float]]:
    """A series as (x, y) pairs: y values get x = 0, 1, ...; non-finite points are dropped."""
    if values and isinstance(values[0], list | tuple):
        pairs = [(float(p[0]), float(p[1])) for p in values if p is not None and len(p) == 2]
    else:
        pairs = [(float(i), float(v)) for i, v in enumerate(values) if v is not None]
    return [(x, y) for x, y in pairs if math.isfinite(x) and math.isfinite(y)]


class LinePlot:
    """A "line" figure: every series in a braille canvas, with the y range, x range and a legend."""

    def __init__(self, figure: dict, height: int = 10) -> None:
        self.figure = figure
        self.height = height

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(20, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        figure = self.figure
        log_y = bool(figure.get("log_y"))
        series = {str(name): _points(values) for name, values in (figure.get("series") or {}).items()}
        if log_y:
            series = {name: [(x, math.log10(y)) for x, y in pts if y > 0] for name, pts in series.items()}
        yield Text(str(figure.get("title", "")), style="bold")
        every = [p for pts in series.values() for p in pts]
        if not every:
            yield Text("  (nothing to draw: no finite values)", style="dim")
            return
        xs, ys = [p[0] for p in every], [p[1] for p in every]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        if x1 == x0:
            x1 = x0 + 1
        if y1 == y0:
            y0, y1 = y0 - 0.5, y0 + 0.5
        label_of = (lambda v: _fmt(10**v)) if log_y else _fmt
        labels = [label_of(y1), label_of((y0 + y1) / 2), label_of(y0)]
        gutter = max(len(s) for s in labels) + 1
        cols = max(8, options.max_width - gutter - 1)
        rows = max(3, self.height)
        cells: list[list[int]] = [[0] * cols for _ in range(rows)]
        owner: list[list[int]] = [[-1] * cols for _ in range(rows)]
        width_dots, height_dots = cols * 2, rows * 4
        for index, pts in enumerate(series.values()):
            previous = None
            for x, y in pts:
                dx = round((x - x0) / (x1 - x0) * (width_dots - 1))
                dy = round((y1 - y) / (y1 - y0) * (height_dots - 1))
                for px, py in _segment(previous, (dx, dy)):
                    cells[py // 4][px // 2] |= _DOTS[(px % 2, py % 4)]
                    owner[py // 4][px // 2] = index
                previous = (dx, dy)
        for r in range(rows):
            label = labels[0] if r == 0 else labels[2] if r == rows - 1 else labels[1] if r == rows // 2 else ""
            line = Text(label.rjust(gutter - 1) + " ", style="dim")
            line.append("┤" if label else "│", style="dim")
            for c in range(cols):
                bits = cells[r][c]
                if bits:
                    line.append(chr(0x2800 + bits), style=COLORS[owner[r][c] % len(COLORS)])
                else:
                    line.append(" ")
            yield line
        axis = Text(" " * gutter + "└" + "─" * cols, style="dim")
        yield axis
        left, right = _fmt(x0), _fmt(x1)
        x_label = str(figure.get("x_label", ""))
        middle = max(1, cols - len(left) - len(right))
        yield Text(" " * (gutter + 1) + left + x_label.center(middle)[:middle] + right, style="dim")
        legend = Text(" " * (gutter + 1))
        for index, (name, pts) in enumerate(series.items()):
            if index:
                legend.append("   ")
            legend.append("━━ ", style=COLORS[index % len(COLORS)])
            last = f" (last {label_of(pts[-1][1])})" if pts and pts[0][0] <= pts[-1][0] else ""
            legend.append(f"{name}{last}")
        y_label = str(figure.get("y_label", ""))
        if y_label or log_y:
            legend.append(f"   y: {y_label or 'value'}{' (log scale)' if log_y else ''}", style="dim")
        yield legend


def _segment(start: tuple[int, int] | None, end: tuple[int, int]) -> Iterable[tuple[int, int]]:
    """The dots of a straight line from start to end (Bresenham); just end when there is no start."""
    if start is None:
        yield end
        return
    (x, y), (x2, y2) = start, end
    dx, dy = abs(x2 - x), -abs(y2 - y)
    sx, sy = (1 if x < x2 else -1), (1 if y < y2 else -1)
    err = dx + dy
    while True:
        yield x, y
        if (x, y) == (x2, y2):
            return
        e2 = 2 * err
        if e2 >= dy:
            err += dy
            x += sx
        if e2 <= dx:
            err += dx
            y += sy


class BarPlot:
    """A "bars" figure: one horizontal bar per label (log scale when log_x), the tolerance marked."""

    def __init__(self, figure: dict) -> None:
        self.figure = figure

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        figure = self.figure
        labels = [str(label) for label in figure.get("labels", [])]
        values = list(figure.get("values", []))
        threshold = figure.get("threshold")
        log_x = bool(figure.get("log_x"))
        yield Text(str(figure.get("title", "")), style="bold")
        if not labels:
            yield Text("  (no bars)", style="dim")
            return
        finite = [v for v in values if v is not None and math.isfinite(v) and (v > 0 or not log_x)]
        if threshold:
            finite.append(float(threshold))

        def scale(v: float) -> float:
            return math.log10(max(v, 1e-300)) if log_x else v

        lo = min(scale(v) for v in finite) if finite else 0.0
        hi = max(scale(v) for v in finite) if finite else 1.0
        if log_x:
            lo = min(lo, scale(1e-12))
            hi = max(hi, lo + 1)
        lo = min(lo, 0.0) if not log_x else lo
        name_width = min(max(len(s) for s in labels), 24)
        width = max(8, options.max_width - name_width - 14)
        mark = None if not threshold else round((scale(float(threshold)) - lo) / (hi - lo) * (width - 1))
        for label, value in zip(labels, values, strict=False):
            bad = value is None or not math.isfinite(value) or (threshold is not None and value > threshold)
            length = width if value is None or not math.isfinite(value) else \
                max(1, round((scale(value) - lo) / (hi - lo) * (width - 1)) + 1) if value > 0 or not log_x else 0
            line = Text(label[:name_width].rjust(name_width) + " ")
            bar = ["█"] * length + [" "] * (width - length)
            if mark is not None and 0 <= mark < width and bar[mark] == " ":
                bar[mark] = "┊"
            line.append("".join(bar[:length]), style="red" if bad else "green")
            line.append("".join(bar[length:]), style="dim")
            line.append(" " + ("inf" if value is None else _fmt(value)), style="bold red" if bad else "")
            yield line
        if threshold:
            yield Text(" " * (name_width + 1) + f"┊ tolerance {_fmt(float(threshold))}   "
                       f"{figure.get('x_label', '')}", style="dim")


class GraphPlot:
    """A "graph" figure: the computation graph top to bottom, each node marked ✓ (agrees with the
    reference), ✗ (the first wrong one, highlighted) or · (not judged: it only inherits the error)."""

    def __init__(self, figure: dict) -> None:
        self.figure = figure

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        figure = self.figure
        nodes = figure.get("nodes", [])
        edges = [tuple(e) for e in figure.get("edges", [])]
        yield Text(str(figure.get("title", "")), style="bold")
        for k, node in enumerate(nodes):
            ok = node.get("ok")
            mark, style = ("✓", "bold green") if ok else ("✗", "bold red") if ok is False else ("·", "dim")
            parents = [a for a, b in edges if b == k]
            if k and parents != [k - 1]:
                come = ", ".join(f"{a + 1}" for a in parents) if parents else ""
                yield Text(f"   │{'  ← from node ' + come if come else ''}", style="dim")
            elif k:
                yield Text("   │", style="dim")
            line = Text(f" {mark} ", style=style)
            line.append(f"{k + 1} ", style="dim")
            label_style = "bold reverse red" if node.get("first_wrong") else ("" if ok is not None else "dim")
            line.append(str(node.get("label", "?")), style=label_style)
            if node.get("loss"):
                line.append("  (loss)", style="dim")
            if node.get("first_wrong"):
                line.append(f"  ◀ first wrong ({figure.get('phase') or 'check'})", style="bold red")
            yield line
        if any(n.get("ok") is None for n in nodes):
            yield Text("   · not judged: the walk stops at the first wrong node", style="dim")


def render_figure(figure: dict, *, height: int = 10):
    """The Rich renderable for one figure dict; unknown kinds are shown as their title."""
    kind = figure.get("kind")
    if kind == "line":
        return LinePlot(figure, height=height)
    if kind == "bars":
        return BarPlot(figure)
    if kind == "graph":
        return GraphPlot(figure)
    return Text(f"{figure.get('title', 'figure')} (a {kind!r} figure this tutor cannot draw)", style="dim")


def render_figures(figures: list[dict], *, height: int = 10) -> Group:
    parts = []
    for index, figure in enumerate(figures):
        if index:
            parts.append(Text(""))
        parts.append(render_figure(figure, height=height))
    return Group(*parts)
