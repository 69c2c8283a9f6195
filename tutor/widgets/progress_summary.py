"""One line at the top: exercises and points passed, watch mode, and whether a check is running."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from grader.catalog import Exercise
from grader.progress import ExerciseProgress

BAR_WIDTH = 16


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def totals(exercises: Iterable[Exercise], progress: Mapping[str, ExerciseProgress]) -> tuple[int, int, float, float]:
    """(exercises passed, exercises, points of passed exercises, total points)."""
    exercises = list(exercises)
    passed = [e for e in exercises if (p := progress.get(e.id)) is not None and p.passed]
    return len(passed), len(exercises), sum(e.points for e in passed), sum(e.points for e in exercises)


class ProgressSummary(Horizontal):
    """`gradschool ███░░░ 3/12 exercises passed · 14/60 points          ⟳ checking…  watch on`"""

    DEFAULT_CSS = """
    ProgressSummary { height: 1; }
    ProgressSummary #progress-left { width: auto; }
    ProgressSummary #progress-right { width: 1fr; text-align: right; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="progress-left")
        yield Static(id="progress-right")

    def show(self, exercises: Iterable[Exercise], progress: Mapping[str, ExerciseProgress], *,
             watching: bool, checking: bool) -> None:
        passed, count, points, total_points = totals(exercises, progress)
        fraction = points / total_points if total_points else 0.0
        self.query_one("#progress-left", Static).update(Text.assemble(
            ("gradschool ", "bold"),
            (bar(fraction), "green"),
            f" {passed}/{count} exercises passed · {points:g}/{total_points:g} points",
        ))
        self.query_one("#progress-right", Static).update(Text.assemble(
            ("⟳ checking…  ", "bold yellow") if checking else "",
            ("watch on" if watching else "watch off", "dim"),
        ))
