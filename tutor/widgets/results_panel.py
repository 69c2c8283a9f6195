"""What the last check found: a status line, a crash banner, the checks table, failure details, output."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Collapsible, Label, Sparkline, Static

from grader.catalog import Exercise
from grader.progress import ExerciseProgress
from grader.results import CheckResult, ExerciseResult
from tutor.figures import render_figures


def _target_label(check: CheckResult) -> str:
    if check.device == "CUDA simulator":
        return f"{check.target} (sim)"
    return f"{check.target} (GPU)" if check.device else check.target


def _pts(value: float) -> str:
    return f"{value:g}"


def error_advice(result: ExerciseResult, exercise: Exercise, file_label: str) -> tuple[str, str]:
    """A headline saying what happened to the learner's process, and what to do about it."""
    status = result.status
    if status == "timeout":
        return (
            f"Your code ran past the time limit ({exercise.time_limit:g} s) and was stopped.",
            "Look for a loop that never ends or a very slow pure-Python loop. Numba compiles on the first "
            "call, which counts too: keep test sizes small. Save again to re-check.",
        )
    if status == "missing":
        return (
            f"Your file {file_label} is missing.",
            "Press x to put the starter back (anything there is backed up first).",
        )
    if status == "not_implemented" and exercise.kind == "quiz":
        return (
            "Not answered yet.",
            "Answer the questions in the Quiz tab (o), then ctrl+s saves and checks; or edit the answers file "
            f"{file_label} yourself.",
        )
    if status == "not_implemented":
        return (
            "Not implemented yet: your code still raises NotImplementedError.",
            f"Fill in the TODOs in {file_label} and save; press h for a hint.",
        )
    return (
        "Your code crashed before the checks could finish.",
        "Read the error below (the last lines of a traceback point at your file), fix it and save.",
    )


class ResultsPanel(Vertical):
    """Shows one ExerciseResult; learner-written text is never parsed as markup."""

    def compose(self) -> ComposeResult:
        yield Static(id="result-status")
        yield Static(id="error-banner", classes="hidden")
        yield Static(id="checks", classes="hidden")
        yield Static(id="failure", classes="hidden")
        yield Static(id="figures", classes="hidden")
        with Collapsible(id="output", title="Printed output", collapsed=True, classes="hidden"):
            yield Static(id="output-text")
        with Horizontal(id="history", classes="hidden"):
            yield Label(id="history-label")
            yield Sparkline([], id="history-spark")

    # -- states --------------------------------------------------------------------------------

    def show_idle(self, progress: ExerciseProgress | None, *, watching: bool,
                  history: list[tuple[float, float, float, bool]] | None = None) -> None:
        """No result in this session yet: say what the last recorded attempt was and how to check."""
        how = "Press c to check" + (", or just save your file: watch mode re-checks on every save." if watching
                                   else " (watch mode is off: w turns it on).")
        if progress is None or not progress.attempts:
            text = Text.assemble(("Not checked yet. ", "bold"), how)
        else:
            state = ("passed", "green") if progress.passed else ("not passing yet", "red")
            text = Text.assemble(
                ("Last time: ", "bold"),
                (state[0], f"bold {state[1]}"),
                f", best {_pts(progress.best_score)}/{_pts(progress.max_score)} points over "
                f"{progress.attempts} attempt{'s' if progress.attempts != 1 else ''}. ",
                how,
            )
        self._status(text)
        self._clear_result()
        self._fill_history(history or [])

    def show_checking(self, file_label: str, reason: str, *, elapsed: float = 0.0, note: str = "") -> None:
        """Keep the previous result on screen, dimmed, while a check runs."""
        why = " (saved)" if reason == "saved" else ""
        text = Text.assemble(("⟳ Checking ", "bold yellow"), file_label, f"{why} …")
        if elapsed >= 1.0:
            text.append(f" {elapsed:.0f} s", "yellow")
            text.append("  (k cancels)", "dim")
        if note:
            text.append(f"\n{note}", "italic yellow")
        self._status(text)
        self.add_class("stale")

    def show_cancelled(self) -> None:
        self.remove_class("stale")
        self._status(Text.assemble(("Check cancelled. ", "bold yellow"), "Press c to check again."))

    def show_internal_error(self, message: str) -> None:
        self.remove_class("stale")
        self._clear_result()
        self._status(Text("The grader itself failed: this is a bug in gradschool, not in your code.", "bold red"))
        banner = self.query_one("#error-banner", Static)
        banner.update(Text(message.rstrip()))
        banner.remove_class("hidden")

    def show_result(self, result: ExerciseResult, exercise: Exercise, file_label: str,
                    history: list[tuple[float, float, float, bool]]) -> None:
        self.remove_class("stale")
        self._status(self._headline(result))
        banner = self.query_one("#error-banner", Static)
        if result.error or result.status == "not_implemented":
            headline, advice = error_advice(result, exercise, file_label)
            text = Text.assemble((headline, "bold"), "\n", advice)
            if result.error:
                text.append("\n\n")
                text.append(result.error.rstrip())
            banner.update(text)
            banner.set_class(result.status == "not_implemented", "soft")
            banner.remove_class("hidden")
        else:
            banner.add_class("hidden")
        self._fill_table(result.checks)
        self._fill_failure(result.checks)
        self._fill_figures(result.checks)
        self._fill_output(result.output)
        self._fill_history(history)

    # -- pieces --------------------------------------------------------------------------------

    def _status(self, text: Text) -> None:
        self.query_one("#result-status", Static).update(text)

    def _clear_result(self) -> None:
        self.remove_class("stale")
        for selector in ("#error-banner", "#checks", "#failure", "#figures", "#output", "#history"):
            self.query_one(selector).add_class("hidden")

    @staticmethod
    def _headline(result: ExerciseResult) -> Text:
        score = f"{_pts(result.score)}/{_pts(result.max_score)} points"
        took = f" · checked in {result.duration_s:.1f} s" if result.duration_s else ""
        if result.passed:
            return Text.assemble(("✓ Passed", "bold green"), f" — {score}{took}. ", ("n: next exercise", "dim"))
        failing = sum(1 for c in result.checks if not c.passed)
        if result.error or result.status == "not_implemented":
            what = {"timeout": "timed out", "missing": "file missing",
                    "not_implemented": "not implemented yet"}.get(result.status, "crashed")
            return Text.assemble(("✗ ", "bold red"), (what, "bold red"), f" — {score}{took}")
        return Text.assemble(
            ("✗ Not yet", "bold red"),
            f" — {score}, {failing} of {len(result.checks)} check{'s' if len(result.checks) != 1 else ''} "
            f"failing{took}. ",
            ("h: hint · d: details", "dim"),
        )

    def _fill_table(self, checks: list[CheckResult]) -> None:
        table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False, padding=(0, 1))
        table.add_column("", width=1, no_wrap=True)
        table.add_column("Check", ratio=1, overflow="fold")
        table.add_column("Target", no_wrap=True, style="dim")
        table.add_column("Points", justify="right", no_wrap=True)
        for check in checks:
            table.add_row(
                Text("✓", "bold green") if check.passed else Text("✗", "bold red"),
                Text(check.name, "" if check.passed else "bold"),
                _target_label(check),
                f"{_pts(check.points)}/{_pts(check.max_points)}",
            )
        # Where CUDA checks ran and what checks noted (kernel times on a GPU), each line once.
        lines = [f"CUDA checks ran on: {device}" for device in dict.fromkeys(c.device for c in checks if c.device)]
        lines += list(dict.fromkeys(note for c in checks for note in c.notes))
        widget = self.query_one("#checks", Static)
        widget.update(Group(table, Text("\n".join(lines), "dim")) if lines else table)
        widget.set_class(not checks, "hidden")

    def _fill_failure(self, checks: list[CheckResult]) -> None:
        """Every failing check's message and details in full; identical messages are shown once."""
        groups: dict[tuple[str, str], list[CheckResult]] = {}
        for check in checks:
            if not check.passed:
                groups.setdefault((check.message.rstrip(), check.details.rstrip()), []).append(check)
        widget = self.query_one("#failure", Static)
        if not groups:
            widget.add_class("hidden")
            return
        text = Text()
        for number, ((message, details), same) in enumerate(groups.items()):
            if number:
                text.append("\n\n")
            first = same[0]
            text.append(f"✗ {first.name}", "bold red")
            text.append(f"  ({first.target}, {_pts(first.points)}/{_pts(first.max_points)} points)\n", "dim")
            text.append(message)
            if details.strip():
                text.append("\n")
                text.append(details, "italic")
            if len(same) > 1:
                others = ", ".join(c.name for c in same[1:])
                text.append(f"\n(the same for: {others})", "dim")
        widget.update(text)
        widget.remove_class("hidden")

    MAX_FIGURES = 3

    def _fill_figures(self, checks: list[CheckResult]) -> None:
        """The figures of the failing checks (else of all checks), the first few; d shows every one."""
        failing = [f for c in checks if not c.passed for f in c.figures]
        figures = failing or [f for c in checks for f in c.figures]
        widget = self.query_one("#figures", Static)
        if not figures:
            widget.add_class("hidden")
            return
        parts = [render_figures(figures[: self.MAX_FIGURES], height=8)]
        if len(figures) > self.MAX_FIGURES:
            parts.append(Text(f"… {len(figures) - self.MAX_FIGURES} more figure(s): press d", "dim"))
        widget.update(Group(*parts))
        widget.remove_class("hidden")

    def _fill_output(self, output: str) -> None:
        collapsible = self.query_one("#output", Collapsible)
        if not output.strip():
            collapsible.add_class("hidden")
            return
        lines = output.rstrip().count("\n") + 1
        collapsible.title = f"Printed output ({lines} line{'s' if lines != 1 else ''})"
        self.query_one("#output-text", Static).update(Text(output.rstrip()))
        collapsible.remove_class("hidden")

    def _fill_history(self, history: list[tuple[float, float, float, bool]]) -> None:
        box = self.query_one("#history", Horizontal)
        if len(history) < 2:
            box.add_class("hidden")
            return
        fractions = [score / max_score if max_score else 0.0 for _, score, max_score, _ in history]
        self.query_one("#history-spark", Sparkline).data = fractions
        passes = sum(1 for *_, passed in history if passed)
        self.query_one("#history-label", Label).update(
            f"Score, last {len(history)} attempts ({passes} passed): "
        )
        box.remove_class("hidden")
