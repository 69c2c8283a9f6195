"""Hints revealed one at a time with `h`; the diagnosed one first when a check found the mistake."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Vertical
from textual.widgets import Markdown, Static


class HintsPanel(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="hints-title")
        yield Markdown(id="hints-body", classes="hidden")

    def show(self, hints: list[str], revealed: int, *, diagnosed: bool = False,
             passed: bool = False) -> AwaitComplete | None:
        """Returns an awaitable when hint text is (re)rendered: await it before scrolling to the hints."""
        total = len(hints)
        revealed = max(0, min(revealed, total))
        title = self.query_one("#hints-title", Static)
        body = self.query_one("#hints-body", Markdown)
        if total == 0:
            title.update(Text("No hints for this exercise.", "dim"))
            body.add_class("hidden")
            return None
        if revealed == 0:
            title.update(Text(f"Hints: {total}, none read (h shows one).", "dim") if passed else
                         Text.assemble(("Stuck? ", "bold"), f"Press h for a hint ({total} available)."))
            body.add_class("hidden")
            return None
        more = "press h for the next" if revealed < total else "that is all of them"
        note = " · ordered by what the last check diagnosed" if diagnosed else ""
        title.update(Text.assemble(("Hints ", "bold"), (f"{revealed} of {total} shown — {more}{note}", "dim")))
        body.remove_class("hidden")
        return body.update("\n\n".join(f"**Hint {i}.** {hint.strip()}" for i, hint in enumerate(hints[:revealed], 1)))
