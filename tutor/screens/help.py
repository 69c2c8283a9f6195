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
Under 100 columns the list hides: m (course map) and / (search) reach every exercise.

# How this works

1. Read the instructions (**i**), then press **o** for **your code**: an editor with Python highlighting,
   line numbers and undo (ctrl+z, ctrl+y). It saves by itself a moment after you stop typing; **ctrl+s**
   saves and checks; **esc** leaves it, so that single keys are commands again. Prefer your own editor?
   **e** opens `$VISUAL` / `$EDITOR`; with watch mode on (**w**), each save made there is checked.
2. A check runs your code in a separate process, so the tutor never freezes; **k** cancels it. The first
   check of a Numba exercise compiles your kernels: it says so while it does.
3. The table shows each check; below it, every failing check's message with its diagnosis and what was
   expected and what your code gave, and figures (loss curves, gradient errors per tensor, your
   computation graph with the first wrong node). **d** shows every check in detail.
4. Stuck? **h** reveals hints one at a time, the one matching your mistake first.
5. When it passes, press **n** for the next exercise. The reference solution (**s**) opens only after a pass.
   Quizzes are answered in their **Quiz** tab (o), one field or choice per question.

Nothing you type is lost: every change is kept in a draft in `.gradschool/drafts/` until it is saved, and
a draft left by a crash is recovered on the next start (if the file changed elsewhere meanwhile, both
versions are kept and the tutor says so). Progress is saved in the workspace as you go: quit at any time
and the tutor reopens where you left off (**m** then **c** continues with the first exercise not passed).
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
