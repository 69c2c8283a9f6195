"""Keys and how the tutor works, on ? or F1."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# How this works

1. Read the instructions, then open **your file** (its path is at the top) in your own editor, or press **e**
   to open it in `$VISUAL` / `$EDITOR`.
2. Save. With watch mode on, every save is checked automatically; press **c** to check at any time.
3. A check runs your code in a separate process, so the tutor never freezes; the checks table shows what passed,
   and below it the failing check's message, with what was expected and what your code gave.
4. Stuck? **h** reveals hints one at a time, the one matching your mistake first.
5. When it passes, press **n** for the next exercise. The reference solution (**s**) opens only after a pass.

Your progress is saved in the workspace: close the tutor at any time and it reopens where you left off.

# Keys

| Key | What it does |
|---|---|
{rows}

Tree: ↑/↓ move, Enter opens an exercise, Space folds a chapter. Tab moves between panels.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        rows = "\n".join(f"| `{key}` | {text} |" for key, text in self._keys)
        with Vertical(id="help-dialog", classes="dialog"), VerticalScroll():
            yield Markdown(HELP.format(rows=rows))

    def action_close(self) -> None:
        self.dismiss(None)
