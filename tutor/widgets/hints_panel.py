"""Hints revealed one at a time with `h`; the diagnosed one first when a check found the mistake."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Vertical
from textual.widget import AwaitMount
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.widgets import Markdown


class HintsPanel(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # The hints' Markdown widget (and Textual's Markdown module) is built when the first hint is shown,
        # not for the first screen, which rarely has one.
        self._body: Markdown | None = None
        self._body_mounted: AwaitMount | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="hints-title")

    def _hide_body(self) -> None:
        if self._body is not None:
            self._body.add_class("hidden")

    def _show_body(self, text: str) -> AwaitComplete:
        if self._body is None:
            from textual.widgets import Markdown

            self._body = Markdown(id="hints-body")
            self._body_mounted = self.mount(self._body)
        body, mounted = self._body, self._body_mounted
        body.remove_class("hidden")

        async def update() -> None:
            if mounted is not None:
                await mounted  # a no-op once mounted; orders the first update after the mount
            await body.update(text)

        return AwaitComplete(update())

    def show(self, hints: list[str], revealed: int, *, diagnosed: bool = False,
             passed: bool = False) -> AwaitComplete | None:
        """Returns an awaitable when hint text is (re)rendered: await it before scrolling to the hints."""
        total = len(hints)
        revealed = max(0, min(revealed, total))
        title = self.query_one("#hints-title", Static)
        if total == 0:
            title.update(Text("No hints for this exercise.", "dim"))
            self._hide_body()
            return None
        if revealed == 0:
            title.update(Text(f"Hints: {total}, none read (h shows one).", "dim") if passed else
                         Text.assemble(("Stuck? ", "bold"), f"Press h for a hint ({total} available)."))
            self._hide_body()
            return None
        more = "press h for the next" if revealed < total else "that is all of them"
        note = " · ordered by what the last check diagnosed" if diagnosed else ""
        title.update(Text.assemble(("Hints ", "bold"), (f"{revealed} of {total} shown — {more}{note}", "dim")))
        return self._show_body("\n\n".join(f"**Hint {i}.** {hint.strip()}"
                                           for i, hint in enumerate(hints[:revealed], 1)))
