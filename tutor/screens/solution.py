"""The reference solution, shown read-only (only offered once the learner has passed)."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

LEXERS = {".py": "python", ".toml": "toml", ".md": "markdown"}


class SolutionScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,s", "close", "Close"),
    ]

    def __init__(self, title: str, solution_label: str, code: str, suffix: str) -> None:
        super().__init__()
        self._title = title
        self._label = solution_label
        self._code = code
        self._lexer = LEXERS.get(suffix, "text")

    def compose(self) -> ComposeResult:
        with Vertical(id="solution-dialog", classes="dialog"):
            yield Static(Text.assemble(("Reference solution: ", "bold"), self._title), classes="dialog-title")
            yield Static(Text.assemble(
                (self._label, "dim"),
                ("\nCompare it with yours: there is often more than one good way. Esc closes.", "dim"),
            ))
            with VerticalScroll(id="solution-scroll"):
                yield Static(Syntax(self._code, self._lexer, line_numbers=True, word_wrap=False,
                                    theme="ansi_dark"), id="solution-code")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#solution-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
