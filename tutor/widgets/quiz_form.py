"""Quizzes answered in place: each question of the learner's answers file with an input or a choice.

The questions are read from the comments of the answers file itself (the format of
exercises/*/NN-quiz-*/): `# q1. question…`, continuation lines `#     …`, choices `#   a) …`, then the
answer line `q1 = ""`. Saving rewrites only the answer lines, atomically, so the comments stay.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from grader.results import CheckResult
from tutor.drafts import atomic_write, read_text

QUESTION = re.compile(r"^#\s*(q\w*?\d+)[.:)]\s*(.*)$")
CHOICE = re.compile(r"^#\s+([a-z])\)\s*(.*)$")
ANSWER = re.compile(r"^(q\w*?\d+)\s*=.*$")


@dataclass
class Question:
    key: str
    text: str
    choices: list[tuple[str, str]] = field(default_factory=list)  # (letter, text)
    answer: str = ""


def parse_quiz(source: str) -> list[Question]:
    """The questions of an answers file, in order, with the learner's current answers."""
    questions: dict[str, Question] = {}
    current: Question | None = None
    for line in source.splitlines():
        stripped = line.strip()
        if match := QUESTION.match(stripped):
            current = Question(match.group(1), match.group(2).strip())
            questions[current.key] = current
        elif current is not None and stripped.startswith("#"):
            if match := CHOICE.match(stripped):
                current.choices.append((match.group(1), match.group(2).strip()))
            elif stripped.lstrip("#").strip():
                if current.choices:  # a choice's text wrapped onto the next line
                    letter, text = current.choices[-1]
                    current.choices[-1] = (letter, f"{text} {stripped.lstrip('#').strip()}")
                else:
                    current.text += " " + stripped.lstrip("#").strip()
        elif ANSWER.match(stripped):
            current = None
        elif not stripped:
            continue
    try:
        values = tomllib.loads(source)
    except tomllib.TOMLDecodeError:
        values = {}
    for key, value in values.items():
        if key in questions and not isinstance(value, dict | list):
            questions[key].answer = str(value).strip() if not isinstance(value, bool) else ""
    return list(questions.values())


def with_answers(source: str, answers: dict[str, str]) -> str:
    """source with each answer line `key = …` replaced by `key = "value"` (missing ones appended)."""
    lines = source.splitlines()
    done = set()
    for i, line in enumerate(lines):
        match = ANSWER.match(line.strip())
        if match and match.group(1) in answers:
            key = match.group(1)
            lines[i] = f"{key} = {json.dumps(answers[key].strip(), ensure_ascii=False)}"
            done.add(key)
    lines += [f"{key} = {json.dumps(value.strip(), ensure_ascii=False)}" for key, value in answers.items()
              if key not in done]
    return "\n".join(lines) + "\n"


class QuizForm(VerticalScroll):
    """One block per question; ctrl+s (or the button) saves the answers and checks them."""

    BINDINGS = [Binding("ctrl+s", "save", "Save+check", priority=True)]

    class Saved(Message):
        """The answers were written (check: the learner asked for a check too)."""

        def __init__(self, path: Path, check: bool) -> None:
            super().__init__()
            self.path = path
            self.check = check

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.path: Path | None = None
        self.questions: list[Question] = []

    async def load(self, path: Path) -> None:
        self.path = path
        source = read_text(path)
        self.questions = parse_quiz(source or "")
        await self.remove_children()
        widgets = []
        if source is None:
            widgets.append(Static(Text("Your answers file is missing: x restores it.", "bold red")))
        elif not self.questions:
            widgets.append(Static(Text("No questions found in the answers file; e opens it in your editor.", "dim")))
        for number, question in enumerate(self.questions, 1):
            parts = [Static(Text.assemble((f"{number}. ", "bold"), question.text), classes="quiz-text")]
            if question.choices:
                buttons = [RadioButton(f"{letter}) {text}", value=letter == question.answer.lower().strip("() ."),
                                       id=f"choice-{question.key}-{letter}")
                           for letter, text in question.choices]
                parts.append(RadioSet(*buttons, id=f"answer-{question.key}", classes="quiz-choices"))
            else:
                parts.append(Input(question.answer, placeholder="a number, e.g. 0.5 or 3/4",
                                   id=f"answer-{question.key}", classes="quiz-input"))
            parts.append(Static("", id=f"feedback-{question.key}", classes="quiz-feedback"))
            widgets.append(Vertical(*parts, classes="quiz-question", id=f"quiz-{question.key}"))
        if self.questions:
            widgets.append(Horizontal(Button("Save answers and check (ctrl+s)", id="quiz-save", variant="primary"),
                                      classes="quiz-buttons"))
        await self.mount_all(widgets)

    def answers(self) -> dict[str, str]:
        out = {}
        for question in self.questions:
            widget = self.query_one(f"#answer-{question.key}")
            if isinstance(widget, RadioSet):
                pressed = widget.pressed_button
                out[question.key] = (pressed.id or "").rsplit("-", 1)[-1] if pressed is not None else ""
            elif isinstance(widget, Input):
                out[question.key] = widget.value
        return out

    def save(self, *, notify: bool = True) -> bool:
        """Write the answers (atomically); notify: post Saved asking for a check."""
        if self.path is None or not self.questions:
            return False
        source = read_text(self.path) or ""
        atomic_write(self.path, with_answers(source, self.answers()))
        self.post_message(self.Saved(self.path, notify))
        return True

    def action_save(self) -> None:
        self.save()

    @on(Button.Pressed, "#quiz-save")
    def _save_pressed(self) -> None:
        self.save()

    @on(Input.Submitted, ".quiz-input")
    def _submitted(self) -> None:
        self.save()

    def show_feedback(self, checks: list[CheckResult] | None) -> None:
        """Under each question: ✓, or ✗ with the check's message (which never gives the answer away)."""
        by_key = {}
        for check in checks or []:
            key = re.split(r"[:\s]", check.name, maxsplit=1)[0]
            by_key[key] = check
        for question in self.questions:
            widget = self.query(f"#feedback-{question.key}")
            if not widget:
                continue
            check = by_key.get(question.key)
            if check is None:
                text = Text("")
            elif check.passed:
                text = Text("✓ right", "bold green")
            else:
                text = Text.assemble(("✗ ", "bold red"), check.message)
            widget.first(Static).update(text)
