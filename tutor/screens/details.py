"""Every check of the last result, one at a time: message, diagnosis, expected vs. got, and its figures."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from grader.results import CheckResult, ExerciseResult
from tutor.figures import render_figures


def check_detail(check: CheckResult) -> Group:
    parts = [
        Text.assemble(("✓ passed" if check.passed else "✗ failed", "bold green" if check.passed else "bold red"),
                      f"   {check.points:g}/{check.max_points:g} points · target {check.target}",
                      (f" · diagnosis: {check.diagnosis}" if check.diagnosis else "", "bold yellow")),
        Text(check.name, style="bold"),
        Text(""),
        Text(check.message.rstrip()),
    ]
    if check.figures:  # the picture first (the graph, the curve), then the numbers
        parts += [Text(""), render_figures(check.figures, height=12)]
    if check.details.strip():
        parts += [Text(""), Text("Expected vs. got, and where", style="bold underline"), Text(check.details.rstrip())]
    return Group(*parts)


class DetailsScreen(ModalScreen[None]):
    """A list of the checks on the left (failing ones first selected), the chosen one on the right."""

    BINDINGS = [Binding("escape,q,d", "close", "Close")]

    def __init__(self, result: ExerciseResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        with Vertical(id="details-dialog", classes="dialog"):
            yield Static(Text.assemble(("Check details: ", "bold"), self.result.title,
                                       (f"   {self.result.score:g}/{self.result.max_score:g} points", "dim")),
                         classes="dialog-title")
            with Horizontal(id="details-body"):
                yield OptionList(*[Option(Text.assemble(("✓ " if c.passed else "✗ ",
                                                         "green" if c.passed else "bold red"), c.name), id=str(i))
                                   for i, c in enumerate(self.result.checks)], id="details-list")
                with VerticalScroll(id="details-scroll"):
                    yield Static(id="details-text")
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one("#details-list", OptionList)
        if not self.result.checks:
            self.query_one("#details-text", Static).update(Text(self.result.error or "No checks ran.", "bold red"))
            return
        first = next((i for i, c in enumerate(self.result.checks) if not c.passed), 0)
        options.highlighted = first
        options.focus()
        self._show(first)

    @on(OptionList.OptionHighlighted, "#details-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(int(event.option.id or 0))

    def _show(self, index: int) -> None:
        self.query_one("#details-text", Static).update(check_detail(self.result.checks[index]))
        self.query_one("#details-scroll", VerticalScroll).scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
