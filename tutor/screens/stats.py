"""Your statistics, from the workspace's progress.sqlite: per exercise and the latest attempts."""

from __future__ import annotations

import time
from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from grader.catalog import Exercise
from grader.progress import Attempt, ExerciseStats


def when(stamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp)) if stamp else "—"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min" if minutes else f"{int(seconds)} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


class StatsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,t", "close", "Close")]

    def __init__(self, exercises: list[Exercise], stats: Mapping[str, ExerciseStats],
                 recent: list[Attempt]) -> None:
        super().__init__()
        self.exercises = exercises
        self.stats = stats
        self.recent = recent

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-dialog", classes="dialog"):
            yield Static(id="stats-summary", classes="dialog-title")
            yield DataTable(id="stats-table", cursor_type="row", show_cursor=False)
            yield Static(Text("Latest attempts", style="bold"), id="recent-title")
            yield DataTable(id="recent-table", cursor_type="row", show_cursor=False)
        yield Footer()

    def on_mount(self) -> None:
        rows = [(e, self.stats[e.id]) for e in self.exercises if e.id in self.stats]
        attempts = sum(s.attempts for _, s in rows)
        hints = sum(s.hints_seen for _, s in rows)
        passed = sum(1 for _, s in rows if s.passed_at is not None)
        self.query_one("#stats-summary", Static).update(Text.assemble(
            ("Your statistics  ", "bold"),
            f"{attempts} attempt{'s' if attempts != 1 else ''} on {sum(1 for _, s in rows if s.attempts)} "
            f"exercise(s) · {passed} passed · {hints} hint{'s' if hints != 1 else ''} read",
        ))
        table = self.query_one("#stats-table", DataTable)
        title_width = max(16, min(48, self.app.size.width - 84))
        table.add_column("Exercise", width=title_width)
        for column in ("Attempts", "Best", "Hints", "First try", "Passed", "Time to pass"):
            table.add_column(column)
        for exercise, stat in rows:
            to_pass = (stat.passed_at - stat.first_at) if stat.passed_at and stat.first_at else None
            passed_text = (Text(f"✓ after {stat.attempts_to_pass}", "green") if stat.passed_at is not None
                           else Text("not yet", "red") if stat.attempts else Text("—", "dim"))
            table.add_row(Text(exercise.title, overflow="ellipsis", no_wrap=True), str(stat.attempts),
                          f"{stat.best_score:g}/{exercise.points:g}",
                          str(stat.hints_seen), when(stat.first_at), passed_text, duration(to_pass))
        if not rows:
            table.add_row(Text("No attempts yet: check an exercise (c) and it shows here.", "dim"),
                          "", "", "", "", "", "")
        titles = {e.id: e.title for e in self.exercises}
        recent = self.query_one("#recent-table", DataTable)
        recent.add_column("When")
        recent.add_column("Exercise", width=title_width)
        for column in ("Score", "Result"):
            recent.add_column(column)
        for attempt in self.recent:
            result = Text("✓ passed", "green") if attempt.passed else Text(f"✗ {attempt.summary[:60]}", "red")
            title = titles.get(attempt.exercise_id, attempt.exercise_id)
            recent.add_row(when(attempt.graded_at), Text(title, overflow="ellipsis", no_wrap=True),
                           f"{attempt.score:g}/{attempt.max_score:g}", result)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
