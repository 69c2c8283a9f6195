"""The course map: every chapter with its exercises, status, points and progress; c continues."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from grader.catalog import Exercise
from grader.progress import ExerciseProgress
from tutor.widgets.course_tree import status_mark
from tutor.widgets.progress_summary import bar, totals

STATUS_WORDS = {"✓": "passed", "✗": "failing", "·": "not started"}


class CourseMapScreen(ModalScreen[str | None]):
    """Dismisses with the id of the exercise to open (None: stay where you were)."""

    BINDINGS = [
        Binding("c", "continue", "Continue"),
        Binding("enter", "open", "Open", show=False),
        Binding("escape,m,q", "close", "Back"),
    ]

    def __init__(self, exercises: list[Exercise], progress: Mapping[str, ExerciseProgress],
                 continue_id: str | None) -> None:
        super().__init__()
        self.exercises = exercises
        self.progress = progress
        self.continue_id = continue_id

    def compose(self) -> ComposeResult:
        with Vertical(id="map"):
            yield Static(id="map-summary")
            yield DataTable(id="map-table", cursor_type="row", zebra_stripes=False)
        yield Footer()

    def on_mount(self) -> None:
        passed, count, points, total = totals(self.exercises, self.progress)
        fraction = points / total if total else 0.0
        where = next((e for e in self.exercises if e.id == self.continue_id), None)
        self.query_one("#map-summary", Static).update(Text.assemble(
            ("Course map  ", "bold"), (bar(fraction, 20), "green"),
            f" {passed}/{count} exercises · {points:g}/{total:g} points ({fraction:.0%})\n",
            ("c continues with ", "dim"), (where.title if where else "the first exercise", "bold"),
            ("   ↑/↓ move · Enter opens · Esc goes back", "dim"),
        ))
        table = self.query_one("#map-table", DataTable)
        # The title takes what the other columns leave (each column has 1 cell of padding on either side).
        title_width = max(20, min(64, self.app.size.width - 2 - (2 + 6 + 13 + 7 + 20) - 6 * 2 - 2))
        table.add_column("", key="mark", width=2)
        table.add_column("§", key="section", width=6)
        table.add_column("Exercise", key="title", width=title_width)
        table.add_column("Kind", key="kind", width=13)
        table.add_column("Points", key="points", width=7)
        table.add_column("Status", key="status", width=20)
        parts: dict[str, list[Exercise]] = {}
        for exercise in self.exercises:
            parts.setdefault(exercise.part, []).append(exercise)
        cursor = 0
        for part, members in parts.items():
            done = [e for e in members if (p := self.progress.get(e.id)) is not None and p.passed]
            got = sum(e.points for e in done)
            worth = sum(e.points for e in members)
            table.add_row(
                "", "", Text(f"{members[0].part_number()}. {members[0].chapter_title()}", "bold",
                             overflow="ellipsis", no_wrap=True),
                Text(bar(len(done) / len(members), 10), "green"), Text(f"{got:g}/{worth:g}", "bold"),
                Text(f"{len(done)}/{len(members)} passed", "bold"), key=f"part:{part}")
            for exercise in members:
                progress = self.progress.get(exercise.id)
                mark, style = status_mark(progress)
                best = progress.best_score if progress is not None else 0.0
                kind = "quiz" if exercise.kind == "quiz" else ",".join(exercise.targets)
                status = STATUS_WORDS[mark]
                if progress is not None and progress.attempts:
                    status += f" ({progress.attempts} attempt{'s' if progress.attempts != 1 else ''})"
                here = exercise.id == self.continue_id
                table.add_row(Text(mark, style), exercise.section,
                              Text(("▶ " if here else "  ") + exercise.title, "bold" if here else "",
                                   overflow="ellipsis", no_wrap=True),
                              Text(kind, "dim"), f"{best:g}/{exercise.points:g}", Text(status, style),
                              key=exercise.id)
                if here:
                    cursor = table.row_count - 1
        table.move_cursor(row=cursor)
        table.focus()

    def _selected(self) -> str | None:
        table = self.query_one("#map-table", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None or key.startswith("part:"):
            part = (key or "")[5:]
            return next((e.id for e in self.exercises if e.part == part), None)
        return key

    @on(DataTable.RowSelected, "#map-table")
    def action_open(self) -> None:
        self.dismiss(self._selected())

    def action_continue(self) -> None:
        self.dismiss(self.continue_id)

    def action_close(self) -> None:
        self.dismiss(None)
