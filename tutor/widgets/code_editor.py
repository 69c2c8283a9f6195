"""The learner's file in an editor: Python highlighting, line numbers, undo; saved by itself, atomically.

Each change goes to a draft at once (tutor.drafts) and to the file after a short pause (autosave_delay),
so a killed tutor loses nothing. The editor knows the text it last loaded or saved (its baseline): a
change on disk with that same text is its own save and is ignored; any other change reloads the editor
when it holds no unsaved edits, and otherwise becomes a conflict in which neither version is dropped.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea

from tutor.drafts import DraftStore, atomic_write, digest, read_text


def _language_for(path: Path) -> str | None:
    return {".py": "python", ".toml": "toml", ".md": "markdown"}.get(path.suffix)


_QUERIES: dict[tuple[int, str], tuple[object, object]] = {}


def _cache_highlight_queries() -> None:
    """Textual compiles the tree-sitter highlight query again for every document it loads (~80 ms for
    Python): compile it once per language, so that moving to another exercise stays instant."""
    try:
        from textual.document._syntax_aware_document import SyntaxAwareDocument
    except ImportError:
        return
    if getattr(SyntaxAwareDocument, "_gradschool_cached", False):
        return
    compile_query = SyntaxAwareDocument.prepare_query

    def prepare_query(self, query: str):
        key = (id(self.language), query)
        if key not in _QUERIES:  # the language is kept in the value: its id cannot be reused meanwhile
            _QUERIES[key] = (self.language, compile_query(self, query))
        return _QUERIES[key][1]

    SyntaxAwareDocument.prepare_query = prepare_query  # type: ignore[method-assign]
    SyntaxAwareDocument._gradschool_cached = True  # type: ignore[attr-defined]


class CodeEditor(Vertical):
    """Status line (file, saved or not) above a TextArea holding the learner's file."""

    BINDINGS = [
        Binding("ctrl+s", "save_and_check", "Save+check", priority=True),
        Binding("escape", "app.leave_search", "Leave editor"),
        Binding("f1", "app.help", "Help"),
        Binding("f5", "take_disk", "Load disk version", show=False),
    ]

    class Saved(Message):
        """The editor wrote the learner's file (check=True: the learner asked for a check as well)."""

        def __init__(self, path: Path, check: bool) -> None:
            super().__init__()
            self.path = path
            self.check = check

    def __init__(self, *, autosave_delay: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.autosave_delay = autosave_delay
        self.path: Path | None = None
        self.rel: str = ""
        self.drafts: DraftStore | None = None
        self.baseline: str | None = None  # the file's text as last loaded or saved (None: no file)
        self.conflict = False  # the file changed on disk while this editor held unsaved edits
        self.saved_at: float | None = None
        self._timer: Timer | None = None
        self._backup = None  # callable(Path) -> Path | None, keeps a copy of a file before it is replaced

    def compose(self) -> ComposeResult:
        yield Static(id="editor-status")
        area = TextArea.code_editor("", id="code", soft_wrap=False, show_line_numbers=True)
        yield area

    @property
    def area(self) -> TextArea:
        return self.query_one("#code", TextArea)

    @property
    def text(self) -> str:
        return self.area.text

    @property
    def dirty(self) -> bool:
        return self.path is not None and self.area.text != (self.baseline or "")

    # -- opening -----------------------------------------------------------------------------------

    def open(self, path: Path, rel: str, drafts: DraftStore, backup=None) -> str | None:
        """Show path; recover a draft left by a killed session. Returns a notice for the learner, if any."""
        self._stop_timer()
        self.path, self.rel, self.drafts, self._backup = path, rel, drafts, backup
        self.conflict = False
        disk = read_text(path)
        self.baseline = disk
        _cache_highlight_queries()
        language = _language_for(path)
        language = language if language in self.area.available_languages else None
        if self.area.language != language:
            try:
                self.area.language = language
            except Exception:  # no tree-sitter grammar installed: plain text still edits fine
                self.area.language = None
        self._load(disk or "")
        draft = drafts.read(rel)
        notice = None
        if draft is not None:
            if draft.text == (disk or ""):
                drafts.discard(rel)
            elif draft.base == digest(disk):
                self._load(draft.text)
                self.save()
                stamp = time.strftime("%H:%M:%S", time.localtime(draft.saved_at))
                notice = (f"Recovered your unsaved edits to {rel} from {stamp} (the tutor had stopped before "
                          f"saving them). They are saved now.")
            else:
                self._load(draft.text)
                self.conflict = True
                notice = self._conflict_notice("since your last unsaved edits")
        self._show_status()
        return notice

    def _load(self, text: str) -> None:
        area = self.area
        area.load_text(text)
        area.move_cursor((0, 0))

    def _conflict_notice(self, when: str) -> str:
        return (f"{self.rel} changed on disk {when}. The editor keeps your version (not saved) and the file "
                f"keeps the other: ctrl+s saves yours (the file's version is backed up first); F5 loads the "
                f"file's version (yours is kept in .gradschool/drafts/kept/).")

    # -- saving ------------------------------------------------------------------------------------

    def save(self, *, check: bool = False, force: bool = False) -> bool:
        """Write the editor's text to the file (atomically). In a conflict, only when forced."""
        self._stop_timer()
        if self.path is None or self.drafts is None:
            return False
        if self.conflict and not force:
            return False
        text = self.area.text
        if self.conflict and self._backup is not None:
            self._backup(self.path)
        if text != self.baseline:
            try:
                atomic_write(self.path, text)
            except OSError as exc:
                self.app.notify(f"Could not save {self.rel}: {exc}. Your text is kept in the draft.",
                                severity="error", timeout=10)
                return False
            self.baseline = text
            self.saved_at = time.time()
        self.conflict = False
        self.drafts.discard(self.rel)
        self._show_status()
        self.post_message(self.Saved(self.path, check))
        return True

    def flush(self) -> None:
        """Save pending edits now (before a check, a reset, another exercise, $EDITOR or quitting)."""
        if self.dirty and not self.conflict:
            self.save()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.path is None or self.drafts is None:
            return
        if not self.dirty:
            self.drafts.discard(self.rel)
            self._show_status()
            return
        with contextlib.suppress(OSError):  # the save below reports a full disk or a read-only folder
            self.drafts.write(self.rel, self.area.text, digest(self.baseline))
        self._show_status()
        if not self.conflict:
            self._stop_timer()
            self._timer = self.set_timer(self.autosave_delay, self.save, name="autosave")

    # -- the file changed on disk ------------------------------------------------------------------

    def disk_changed(self) -> str:
        """React to a change of the file on disk: "own" (this editor's save, or nothing new),
        "reloaded" (the editor had no unsaved edits and now shows the file) or "conflict"."""
        if self.path is None:
            return "own"
        disk = read_text(self.path)
        if disk == self.baseline or (disk is not None and disk == self.area.text):
            if disk == self.area.text and self.dirty:  # saved elsewhere with the very same text
                self.baseline = disk
                self.drafts and self.drafts.discard(self.rel)
                self._show_status()
            return "own"
        if not self.dirty and not self.conflict:
            self.baseline = disk
            cursor = self.area.cursor_location
            self._load(disk or "")
            row = min(cursor[0], self.area.document.line_count - 1)
            self.area.move_cursor((row, 0))
            self._show_status()
            return "reloaded"
        if not self.conflict:
            self.conflict = True
            self._stop_timer()
            self.app.notify(self._conflict_notice("while you were editing"), title="Two versions",
                            severity="warning", timeout=20)
            self._show_status()
        return "conflict"

    def action_save_and_check(self) -> None:
        was_conflict = self.conflict
        if self.save(check=True, force=True) and was_conflict:
            self.app.notify(f"Saved your version of {self.rel}; the file's previous version is in "
                            f".gradschool/backups/.", title="Kept yours")

    def action_take_disk(self) -> None:
        """Resolve a conflict for the file on disk; the editor's text is kept aside first."""
        if self.path is None or self.drafts is None:
            return
        kept = self.drafts.keep_copy(self.rel, self.area.text) if self.dirty else None
        disk = read_text(self.path)
        self.baseline = disk
        self._load(disk or "")
        self.conflict = False
        self.drafts.discard(self.rel)
        self._show_status()
        if kept is not None:
            self.app.notify(f"Loaded {self.rel} from disk; your editor text is kept in {kept.name} under "
                            f".gradschool/drafts/kept/.", title="Loaded the file's version")

    # -- while editing, the results give the editor more room ---------------------------------------------

    def on_descendant_focus(self) -> None:
        setter = getattr(self.app, "set_editing", None)
        if setter is not None:
            setter(True)

    def on_descendant_blur(self) -> None:
        setter = getattr(self.app, "set_editing", None)
        if setter is not None:
            setter(False)

    # -- status ------------------------------------------------------------------------------------

    def _show_status(self) -> None:
        status = Text.assemble((self.rel or "no file", "bold"), "  ")
        if self.conflict:
            status.append("⚠ changed on disk too: ctrl+s keeps yours, F5 loads the file's", "bold yellow")
        elif self.dirty:
            status.append("● editing (saved by itself in a moment)", "yellow")
        elif self.path is not None and self.baseline is None:
            status.append("file missing: type to create it, or x restores the starter", "bold red")
        elif self.saved_at is not None:
            status.append(f"✓ saved {time.strftime('%H:%M:%S', time.localtime(self.saved_at))}", "green")
        else:
            status.append("ctrl+s save & check · ctrl+z undo · esc leaves the editor", "dim")
        self.query_one("#editor-status", Static).update(status)
