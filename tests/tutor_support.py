"""Helpers for the tutor's tests: a workspace on the fixed course in tests/fixtures/tutor_course, a grader
that judges the learner's file by its text (so editing really changes the result), and Pilot helpers.

The real course grows while these tests must not move: nothing here reads exercises/.
"""

from __future__ import annotations

import asyncio
import io
import shutil
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.console import Console

import grader.catalog
from grader.catalog import Exercise, load_catalog
from grader.results import CheckResult, ExerciseResult
from grader.workspace import Workspace
from tutor.app import GradschoolApp

FIXTURE = Path(__file__).parent / "fixtures" / "tutor_course"


def make_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A workspace at ~/ws (HOME is tmp_path) on a copy of the fixed course; times shown in UTC."""
    course = tmp_path / "course"
    shutil.copytree(FIXTURE, course)
    catalog = load_catalog(course / "exercises")
    monkeypatch.setattr(grader.catalog, "EXERCISES_DIR", course / "exercises")
    monkeypatch.setattr(grader.catalog, "SOLUTIONS_DIR", course / "solutions")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return Workspace.init(tmp_path / "ws", catalog=catalog)


LOSS_FIGURE = {"kind": "line", "title": "training loss", "x_label": "step", "y_label": "loss", "log_y": False,
               "series": {"train": [2.0 / (1 + 0.1 * i) for i in range(60)]}}


def sigmoid_result(exercise: Exercise, text: str) -> ExerciseResult:
    """Pass when the file has the right formula; a sign slip is diagnosed; else not implemented."""
    if "NotImplementedError" in text:
        return ExerciseResult(exercise.id, exercise.title, 0.0, exercise.points, False, status="not_implemented",
                              checks=[CheckResult("gradient matches central differences", False,
                                                  "not implemented yet", 0.0, 2.0)],
                              hints=[h.text for h in exercise.hints])
    if "grad * s * (1 - s)" in text and "-grad" not in text:
        return ExerciseResult(exercise.id, exercise.title, 2.0, 2.0, True, checks=[
            CheckResult("shape of the gradient", True, "passed", 1.0, 1.0),
            CheckResult("gradient matches central differences", True, "passed", 1.0, 1.0, figures=[
                {"kind": "bars", "source": "gradcheck", "title": "gradient check: d sigmoid / dx",
                 "x_label": "relative error (log scale)", "log_x": True, "threshold": 1e-6, "labels": ["x"],
                 "values": [3e-10], "calls": 1}]),
        ], hints=[h.text for h in exercise.hints], duration_s=0.3)
    return ExerciseResult(exercise.id, exercise.title, 1.0, 2.0, False, checks=[
        CheckResult("shape of the gradient", True, "passed", 1.0, 1.0),
        CheckResult("gradient matches central differences", False,
                    "dx differs from the numerical gradient: the sign is flipped", 0.0, 1.0, diagnosis="sign",
                    details="expected [0.196, -0.105]\ngot      [-0.196, 0.105]\nworst rel. error 2.0 at index 0",
                    figures=[LOSS_FIGURE]),
    ], hints=[exercise.hints[1].text, exercise.hints[0].text], duration_s=0.4)


def quiz_result(exercise: Exercise, text: str) -> ExerciseResult:
    import tomllib

    answers = tomllib.loads(text)
    q1 = answers.get("q1", "") in ("1/8", "0.125")
    q2 = answers.get("q2", "") == "b"
    checks = [CheckResult("q1: the seed of loss.grad", q1, "passed" if q1 else "q1 is not right. Read L791.",
                          1.0 if q1 else 0.0, 1.0, "quiz"),
              CheckResult("q2: fan-out", q2, "passed" if q2 else "q2 is not right. Reread eq. (20).",
                          1.0 if q2 else 0.0, 1.0, "quiz")]
    score = sum(c.points for c in checks)
    return ExerciseResult(exercise.id, exercise.title, score, 2.0, q1 and q2, checks=checks,
                          hints=[h.text for h in exercise.hints])


class TextGrader:
    """Grades by reading the learner's file (as the engine would), records the attempt, optionally slowly."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls: list[str] = []
        self.texts: list[str] = []
        self.done = threading.Event()

    def __call__(self, workspace: Workspace, exercise: Exercise) -> ExerciseResult:
        text = workspace.file_for(exercise).read_text()
        if self.delay:
            time.sleep(self.delay)
        result = (quiz_result if exercise.kind == "quiz" else sigmoid_result)(exercise, text)
        workspace.progress.record(result)
        self.calls.append(exercise.id)
        self.texts.append(text)
        return result


def run_app(app: GradschoolApp, scenario: Callable[..., Awaitable[None]], size: tuple[int, int] = (100, 32)) -> None:
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(main())


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause(0.05)


def text_of(app: GradschoolApp, selector: str, width: int = 200) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(app.screen.query_one(selector).content)
    return console.export_text()


def messages(app: GradschoolApp) -> str:
    return "\n".join(n.message for n in app._notifications)
