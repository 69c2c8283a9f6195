"""The exercise on screen: title, where the learner's file is, and the instructions."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Markdown as RichMarkdown
from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from grader.catalog import Exercise
from tutor.mathtext import markdown_math
from tutor.widgets.code_editor import CodeEditor
from tutor.widgets.quiz_form import QuizForm

EMPTY_COURSE = """\
# No exercises yet

This course has no exercises in its catalog. If you installed gradschool from source,
check that the `exercises/` folder is present, then start the tutor again.
"""


class RenderedOnce:
    """A Rich renderable drawn once per width: relayouts (zoom, tabs, a growing results panel) then cost
    a copy of segments instead of parsing and highlighting the Markdown again."""

    def __init__(self, renderable: object) -> None:
        self.renderable = renderable
        self._lines: dict[int, list[list[Segment]]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines = self._lines.get(width)
        if lines is None:
            lines = console.render_lines(self.renderable, options.update(height=None), pad=False)
            self._lines = {width: lines}
        new_line = Segment.line()
        for line in lines:
            yield from line
            yield new_line


def as_markdown(text: str) -> RenderedOnce:
    return RenderedOnce(RichMarkdown(text, code_theme="ansi_dark", inline_code_theme="ansi_dark", hyperlinks=False))


class ExerciseHeader(Static):
    """Title, chapter/section, targets and points, and the learner's file path."""

    def show(self, exercise: Exercise, file_label: str, *, exists: bool = True) -> None:
        kind = "quiz" if exercise.kind == "quiz" else " · ".join(exercise.targets)
        text = Text.assemble(
            (exercise.title, "bold"),
            (f"   {exercise.id}", "dim"),
            "\n",
            (f"{exercise.chapter_title()} · notes §{exercise.section} · {kind} · {exercise.points:g} points",
             "dim"),
            "\n",
            ("Your file: ", "bold"),
            (file_label, "bold underline" if exists else "bold red"),
            ("  missing: x restores the starter" if not exists else "", "dim"),
        )
        self.update(text)


class ExerciseView(Vertical):
    """Header, then two tabs: the instructions rendered as Markdown (LaTeX math shown as Unicode text), and
    the learner's file in the editor (or, for a quiz, the form of its questions)."""

    def __init__(self, *, autosave_delay: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self._autosave_delay = autosave_delay

    def compose(self) -> ComposeResult:
        yield ExerciseHeader(id="exercise-header")
        with TabbedContent(id="tabs", initial="tab-instructions"):
            with TabPane("Instructions", id="tab-instructions"), VerticalScroll(id="instructions-scroll"):
                # One Static holding Rich's Markdown, not Textual's Markdown widget (a widget per block):
                # hundreds fewer widgets make the first screen and every relayout much faster.
                yield Static(id="instructions")
            with TabPane("Your code", id="tab-code"):
                yield CodeEditor(id="editor", autosave_delay=self._autosave_delay)
                yield QuizForm(id="quiz", classes="hidden")

    def show(self, exercise: Exercise, file_label: str, *, exists: bool = True) -> None:
        self.query_one(ExerciseHeader).show(exercise, file_label, exists=exists)
        try:
            text = exercise.instructions()
        except OSError as exc:
            text = f"*The instructions for this exercise could not be read:* `{exc}`"
        self.query_one("#instructions", Static).update(as_markdown(markdown_math(text)))
        self.query_one("#instructions-scroll", VerticalScroll).scroll_home(animate=False)

    def show_empty(self) -> None:
        self.query_one(ExerciseHeader).update(Text("gradschool", style="bold"))
        self.query_one("#instructions", Static).update(as_markdown(EMPTY_COURSE))
