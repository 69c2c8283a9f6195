"""Ask before putting the starter back over the learner's file."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmResetScreen(ModalScreen[bool]):
    """Dismisses with True to reset, False to keep the file as it is."""

    BINDINGS = [
        Binding("y", "confirm", "Reset"),
        Binding("escape,n", "cancel", "Keep my file"),
    ]

    def __init__(self, title: str, file_label: str, backups_label: str) -> None:
        super().__init__()
        self._title = title
        self._file_label = file_label
        self._backups_label = backups_label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Text(f"Reset “{self._title}”?", "bold"), classes="dialog-title")
            yield Static(Text.assemble(
                "This puts the starter code back in\n  ",
                (self._file_label, "bold"),
                "\nYour current version is copied to\n  ",
                (self._backups_label, "bold"),
                "\nfirst, so nothing is lost. Your progress and attempts are kept.",
            ))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Reset (y)", variant="error", id="confirm")
                yield Button("Keep my file (n)", variant="primary", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
