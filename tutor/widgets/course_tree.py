"""The course outline: exercises grouped by chapter of the notes, each with a status mark."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from grader.catalog import Exercise
from grader.progress import ExerciseProgress

PASSED = "✓"
FAILING = "✗"
NOT_STARTED = "·"


def status_mark(progress: ExerciseProgress | None) -> tuple[str, str]:
    """The mark and its style: passed at least once, attempted but failing, or not started."""
    if progress is not None and progress.passed:
        return PASSED, "bold green"
    if progress is not None and progress.attempts:
        return FAILING, "bold red"
    return NOT_STARTED, "dim"


def _points(value: float) -> str:
    return f"{value:g} pt"


def matches(exercise: Exercise, query: str) -> bool:
    """Case-insensitive search over id, title, section, chapter and summary; words must all match."""
    haystack = " ".join(
        (exercise.id, exercise.title, exercise.section, str(exercise.chapter), exercise.chapter_title(),
         exercise.summary, exercise.kind, *exercise.targets)
    ).casefold()
    return all(word in haystack for word in query.casefold().split())


class CourseTree(Tree[str]):
    """Chapters as branches, exercises as leaves (node data: the exercise id)."""

    DEFAULT_CSS = """
    CourseTree { scrollbar-size-vertical: 1; overflow-x: hidden; }
    """

    def __init__(self, exercises: Iterable[Exercise], **kwargs) -> None:
        # Text labels, not str: a str label is parsed as markup (and imports Rich's emoji table) before the
        # first screen.
        super().__init__(Text("Course"), **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._exercises = list(exercises)
        self._progress: Mapping[str, ExerciseProgress] = {}
        self._leaves: dict[str, TreeNode[str]] = {}
        self._chapters: dict[str, TreeNode[str]] = {}  # by course part (chapter folder), in course order
        self._query = ""
        self._current: str | None = None

    def on_mount(self) -> None:
        self._rebuild()

    # -- public API ----------------------------------------------------------------------------

    @property
    def query_text(self) -> str:
        return self._query

    def set_progress(self, progress: Mapping[str, ExerciseProgress]) -> None:
        """Refresh every mark and chapter tally in place (expansion and cursor are kept)."""
        self._progress = progress
        for exercise in self._exercises:
            node = self._leaves.get(exercise.id)
            if node is not None:
                node.set_label(self._leaf_label(exercise))
        for chapter, node in self._chapters.items():
            node.set_label(self._chapter_label(chapter))

    def set_current(self, exercise_id: str | None) -> None:
        """Mark the exercise on screen and put the cursor on it."""
        previous, self._current = self._current, exercise_id
        for changed in (previous, exercise_id):
            if changed is not None and changed in self._leaves:
                self._leaves[changed].set_label(self._leaf_label(self._by_id(changed)))
        self._move_cursor_to_current()

    def filter(self, query: str) -> int:
        """Show only exercises matching query (all when empty); returns how many match."""
        self._query = query.strip()
        self._rebuild()
        return len(self._leaves)

    def visible_ids(self) -> list[str]:
        return list(self._leaves)

    # -- building ------------------------------------------------------------------------------

    def _by_id(self, exercise_id: str) -> Exercise:
        return next(e for e in self._exercises if e.id == exercise_id)

    def _visible(self) -> list[Exercise]:
        if not self._query:
            return self._exercises
        return [e for e in self._exercises if matches(e, self._query)]

    def _rebuild(self) -> None:
        self.clear()
        self._leaves.clear()
        self._chapters.clear()
        visible = self._visible()
        for exercise in visible:
            chapter = self._chapters.get(exercise.part)
            if chapter is None:
                chapter = self.root.add(Text(), data=None, expand=True)
                self._chapters[exercise.part] = chapter
            self._leaves[exercise.id] = chapter.add_leaf(self._leaf_label(exercise), data=exercise.id)
        for chapter_no, node in self._chapters.items():
            node.set_label(self._chapter_label(chapter_no))
        if not visible:
            message = f"nothing matches “{self._query}”" if self._query else "no exercises in this course yet"
            self.root.add_leaf(Text(message, style="italic dim"), data=None)
        self._move_cursor_to_current()

    def _move_cursor_to_current(self) -> None:
        node = self._leaves.get(self._current or "")
        if node is None:
            return
        # Line numbers exist only once the tree has laid its lines out.
        self.call_after_refresh(self.move_cursor, node)

    def _chapter_label(self, chapter: str) -> Text:
        members = [e for e in self._exercises if e.part == chapter]
        done = sum(1 for e in members if (p := self._progress.get(e.id)) is not None and p.passed)
        title = members[0].chapter_title() if members else ""
        number = members[0].part_number() if members else 0
        chapters = sorted({e.chapter for e in members}) or [0]
        notes = f"notes ch. {chapters[0]}" + (f"–{chapters[-1]}" if len(chapters) > 1 else "")
        return Text.assemble((f"{number}. {title}", "bold"), (f"  {done}/{len(members)}  {notes}", "dim"))

    def _leaf_label(self, exercise: Exercise) -> Text:
        mark, style = status_mark(self._progress.get(exercise.id))
        current = exercise.id == self._current
        return Text.assemble(
            (mark, style),
            " ",
            (exercise.section + " ", "dim"),
            (exercise.title, "bold" if current else ""),
            (f"  {_points(exercise.points)}", "dim"),
        )
