"""Keys and how the tutor works, on ? or F1."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static

HELP = """\
In the course list: ↑/↓ move, Enter opens an exercise, Space folds a chapter. Tab moves between panels.

# How this works

1. Read the instructions, then open **your file** (its path is at the top) in your own editor, or press **e**
   to open it in `$VISUAL` / `$EDITOR`.
2. Save. With watch mode on, every save is checked; **c** checks at any time.
3. A check runs your code in a separate process, so the tutor never freezes. The table shows each check;
   below it, every failing check's message with what was expected and what your code gave.
4. Stuck? **h** reveals hints one at a time, the one matching your mistake first.
5. When it passes, press **n** for the next exercise. The reference solution (**s**) opens only after a pass.

Your progress is saved in the workspace as you go: quit at any time and the tutor reopens where you left off.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        keys = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column()
        for key, text in self._keys:
            keys.add_row(key, text)
        with Vertical(id="help-dialog", classes="dialog"), VerticalScroll():
            yield Static(Text("Keys", style="bold"), classes="dialog-title")
            yield Static(keys)
            yield Markdown(HELP)
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
