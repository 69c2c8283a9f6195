"""The terminal tutor, driven the way a learner drives it (keys, saves), with a fake grader.

Runs on a tiny course built in a temporary folder, so the tests do not depend on the shipped
exercises; the grade function is injected, so no learner code runs.
"""

from __future__ import annotations

import asyncio
import io
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.console import Console

import grader.catalog
from grader.catalog import Catalog, Exercise, load_catalog
from grader.results import CheckResult, ExerciseResult
from grader.workspace import Workspace
from tutor.app import GradschoolApp
from tutor.screens.confirm_reset import ConfirmResetScreen
from tutor.screens.solution import SolutionScreen
from tutor.widgets.course_tree import CourseTree

SIZE = (100, 32)

# (folder, exercise.toml, README, starter name, starter text, solution text)
COURSE = [
    (
        "02-backprop/01-sigmoid",
        """
id = "sigmoid-backward"
title = "Sigmoid backward"
chapter = 2
section = "2.4"
kind = "code"
targets = ["numpy"]
points = 2
file = "graphs/sigmoid.py"
hints = [
  "The derivative of the sigmoid is s * (1 - s), where s is the forward output.",
  { text = "Multiply by the upstream gradient; do not add it.", on = ["sign"] },
  "Keep the batch axis: the gradient has the same shape as the input.",
]
""",
        "# Sigmoid backward\n\nImplement `backward` for $\\sigma(x) = 1/(1+e^{-x})$.\n\n"
        "Your gradient must match a finite-difference check.\n",
        "sigmoid.py",
        "def backward(x, grad):\n    raise NotImplementedError\n",
        "def backward(x, grad):\n    s = 1 / (1 + np.exp(-x))\n    return grad * s * (1 - s)\n",
    ),
    (
        "02-backprop/02-affine",
        """
id = "affine-backward"
title = "Affine layer backward"
chapter = 2
section = "2.5"
kind = "code"
targets = ["numpy", "numba"]
points = 3
file = "graphs/affine.py"
hints = ["dW is x transposed times the upstream gradient.", "db sums the upstream gradient over the batch."]
""",
        "# Affine backward\n\nCompute dx, dW and db.\n",
        "affine.py",
        "def backward(x, W, grad):\n    raise NotImplementedError\n",
        "def backward(x, W, grad):\n    return grad @ W.T, x.T @ grad, grad.sum(0)\n",
    ),
    (
        "03-regularization/01-quiz",
        """
id = "reg-quiz"
title = "Regularization quiz"
chapter = 3
section = "3.1"
kind = "quiz"
targets = ["numpy"]
points = 1
file = "quizzes/regularization.toml"
hints = ["L2 shrinks weights proportionally.", "L1 drives small weights to exactly zero."]
""",
        "# Quiz\n\nAnswer in the TOML file.\n",
        "regularization.toml",
        'q1 = ""\n',
        'q1 = "b"\n',
    ),
]


def make_course(base: Path) -> tuple[Catalog, Path, Path]:
    exercises, solutions = base / "exercises", base / "solutions"
    for folder, meta, readme, starter_name, starter, solution in COURSE:
        ex_dir = exercises / folder
        ex_dir.mkdir(parents=True)
        (ex_dir / "exercise.toml").write_text(meta.strip() + "\n")
        (ex_dir / "README.md").write_text(readme)
        (ex_dir / starter_name).write_text(starter)
        (ex_dir / "checks.py").write_text("# checks run by the engine; unused with a fake grader\n")
        (solutions / folder).mkdir(parents=True)
        (solutions / folder / starter_name).write_text(solution)
    return load_catalog(exercises), exercises, solutions


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A workspace at ~/ws on the fake course (HOME is the tmp folder, so paths show as ~/ws/...)."""
    catalog, exercises, solutions = make_course(tmp_path / "course")
    monkeypatch.setattr(grader.catalog, "EXERCISES_DIR", exercises)
    monkeypatch.setattr(grader.catalog, "SOLUTIONS_DIR", solutions)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return Workspace.init(tmp_path / "ws", catalog=catalog)


# -- canned results ------------------------------------------------------------------------------

def failing(exercise: Exercise) -> ExerciseResult:
    return ExerciseResult(
        id=exercise.id, title=exercise.title, score=1.0, max_score=2.0, passed=False,
        checks=[
            CheckResult("shape of the gradient", True, "ok", 1.0, 1.0),
            CheckResult(
                "gradient matches finite differences", False,
                "dx differs from the numerical gradient: the sign is flipped",
                0.0, 1.0, diagnosis="sign",
                details="expected [0.196, -0.105]\ngot      [-0.196, 0.105]\nworst rel. error 2.0 at index 0",
            ),
        ],
        hints=[exercise.hints[1].text, exercise.hints[0].text, exercise.hints[2].text],
        duration_s=0.42, output="debug: x.shape = (4, 3)\n",
    )


def passing(exercise: Exercise) -> ExerciseResult:
    return ExerciseResult(
        id=exercise.id, title=exercise.title, score=2.0, max_score=2.0, passed=True,
        checks=[
            CheckResult("shape of the gradient", True, "ok", 1.0, 1.0),
            CheckResult("gradient matches finite differences", True, "max rel. error 3e-9", 1.0, 1.0),
        ],
        hints=[h.text for h in exercise.hints], duration_s=0.31,
    )


def timed_out(exercise: Exercise) -> ExerciseResult:
    return ExerciseResult(
        id=exercise.id, title=exercise.title, score=0.0, max_score=2.0, passed=False,
        error="learner process timed out after 20 s", status="timeout",
        hints=[h.text for h in exercise.hints], duration_s=20.0,
    )


class FakeGrader:
    """Stands in for grader.engine.grade_exercise: hands out canned results in turn and, like the
    engine, records each attempt in the workspace's progress."""

    def __init__(self, *makers: Callable[[Exercise], ExerciseResult], delay: float = 0.0) -> None:
        self.makers = list(makers) or [failing]
        self.delay = delay
        self.calls: list[str] = []
        self.threads: list[str] = []
        self.called = threading.Event()

    def __call__(self, workspace: Workspace, exercise: Exercise) -> ExerciseResult:
        self.threads.append(threading.current_thread().name)
        if self.delay:
            time.sleep(self.delay)
        maker = self.makers[min(len(self.calls), len(self.makers) - 1)]
        result = maker(exercise)
        workspace.progress.record(result)
        self.calls.append(exercise.id)
        self.called.set()
        return result


def run_app(app: GradschoolApp, scenario: Callable[..., Awaitable[None]]) -> None:
    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(main())


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)


async def check_and_wait(pilot, grader_: FakeGrader) -> None:
    before = len(grader_.calls)
    await pilot.press("c")
    await wait_for(pilot, lambda: len(grader_.calls) > before and pilot.app._grading is None)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(app: GradschoolApp, selector: str, width: int = 200) -> str:
    """What a Static shows, as plain text (tables included)."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(app.query_one(selector).content)
    return console.export_text()


def tree_label(app: GradschoolApp, exercise_id: str) -> str:
    tree = app.query_one(CourseTree)
    return str(tree._leaves[exercise_id].label)


# -- behaviour -----------------------------------------------------------------------------------

def test_opens_on_first_unpassed_exercise_with_instructions_and_file(course: Workspace) -> None:
    app = GradschoolApp(course, grade_fn=FakeGrader(), watch=False)

    async def scenario(pilot) -> None:
        assert app.exercise is not None and app.exercise.id == "sigmoid-backward"
        header = text_of(app, "#exercise-header")
        assert "Sigmoid backward" in header
        assert "~/ws/graphs/sigmoid.py" in header
        assert "Not checked yet" in text_of(app, "#result-status")
        assert tree_label(app, "sigmoid-backward").startswith("·")
        assert "0/3 exercises passed" in text_of(app, "#progress-left")

    run_app(app, scenario)


def test_resumes_on_the_current_exercise(course: Workspace) -> None:
    course.set_current("reg-quiz")
    app = GradschoolApp(course, grade_fn=FakeGrader(), watch=False)

    async def scenario(pilot) -> None:
        assert app.exercise.id == "reg-quiz"
        assert "~/ws/quizzes/regularization.toml" in text_of(app, "#exercise-header")

    run_app(app, scenario)


def test_failing_check_shows_table_message_and_details(course: Workspace) -> None:
    fake = FakeGrader(failing)
    app = GradschoolApp(course, grade_fn=fake, watch=False)

    async def scenario(pilot) -> None:
        await check_and_wait(pilot, fake)
        assert fake.calls == ["sigmoid-backward"]
        assert all(name != "MainThread" for name in fake.threads), "grading must not run on the UI thread"
        assert not app.query_one("#checks").has_class("hidden")
        rows = [line.split() for line in text_of(app, "#checks").splitlines() if line.strip(" ─")]
        assert rows[0] == ["Check", "Target", "Points"]
        assert rows[1] == ["✓", "shape", "of", "the", "gradient", "numpy", "1/1"]
        assert rows[2] == ["✗", "gradient", "matches", "finite", "differences", "numpy", "0/1"]
        failure = text_of(app, "#failure")
        assert "dx differs from the numerical gradient: the sign is flipped" in failure
        assert "expected [0.196, -0.105]" in failure and "got      [-0.196, 0.105]" in failure
        assert "Not yet" in text_of(app, "#result-status") and "1/2 points" in text_of(app, "#result-status")
        assert app.query_one("#error-banner").has_class("hidden")
        assert not app.query_one("#output").has_class("hidden")  # printed output, collapsed
        assert tree_label(app, "sigmoid-backward").startswith("✗")

    run_app(app, scenario)


def cuda_checked(exercise: Exercise) -> ExerciseResult:
    return ExerciseResult(
        id=exercise.id, title=exercise.title, score=1.0, max_score=1.0, passed=True,
        checks=[CheckResult("kernel matches the reference", True, "passed", 1.0, 1.0, target="cuda",
                            device="CUDA simulator",
                            notes=["kernel times not measured: the kernels ran in the CUDA simulator"])],
    )


def test_cuda_checks_say_where_they_ran(course: Workspace) -> None:
    fake = FakeGrader(cuda_checked)
    app = GradschoolApp(course, grade_fn=fake, watch=False)

    async def scenario(pilot) -> None:
        await check_and_wait(pilot, fake)
        table = text_of(app, "#checks")
        assert "cuda (sim)" in table
        assert "CUDA checks ran on: CUDA simulator" in table
        assert "kernel times not measured" in table

    run_app(app, scenario)


def test_pass_turns_mark_green_and_notifies_without_advancing(course: Workspace) -> None:
    fake = FakeGrader(failing, passing)
    app = GradschoolApp(course, grade_fn=fake, watch=False)

    async def scenario(pilot) -> None:
        await check_and_wait(pilot, fake)
        assert tree_label(app, "sigmoid-backward").startswith("✗")
        await check_and_wait(pilot, fake)
        assert tree_label(app, "sigmoid-backward").startswith("✓")
        assert app.exercise.id == "sigmoid-backward", "must not move on by itself"
        assert any("press n for the next exercise" in n.message.lower() for n in app._notifications)
        assert "1/3 exercises passed" in text_of(app, "#progress-left")
        assert "2/6 points" in text_of(app, "#progress-left")
        # two attempts: the score history sparkline appears
        assert not app.query_one("#history").has_class("hidden")
        assert list(app.query_one("#history-spark").data) == [0.5, 1.0]

    run_app(app, scenario)


def test_timeout_shows_banner_with_what_to_do(course: Workspace) -> None:
    fake = FakeGrader(timed_out)
    app = GradschoolApp(course, grade_fn=fake, watch=False)

    async def scenario(pilot) -> None:
        await check_and_wait(pilot, fake)
        banner = app.query_one("#error-banner")
        assert not banner.has_class("hidden")
        text = text_of(app, "#error-banner")
        assert "time limit" in text and "timed out after 20 s" in text and "Save again" in text

    run_app(app, scenario)


def test_grader_exception_is_shown_not_raised(course: Workspace) -> None:
    def broken(workspace: Workspace, exercise: Exercise) -> ExerciseResult:
        raise RuntimeError("engine exploded")

    app = GradschoolApp(course, grade_fn=broken, watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("c")
        await wait_for(pilot, lambda: app._grading is None)
        await pilot.pause()
        assert "bug in gradschool" in text_of(app, "#result-status")
        assert "engine exploded" in text_of(app, "#error-banner")

    run_app(app, scenario)


def test_ui_stays_responsive_while_checking(course: Workspace) -> None:
    fake = FakeGrader(passing, delay=3.0)
    app = GradschoolApp(course, grade_fn=fake, watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("c")
        await pilot.pause(0.1)
        assert "Checking" in text_of(app, "#result-status")
        assert "checking" in text_of(app, "#progress-right")
        started = time.monotonic()
        await pilot.press("n")  # the UI answers while the grader thread sleeps (3 s; a loaded CI is slow)
        assert time.monotonic() - started < 1.5
        assert app.exercise.id == "affine-backward"
        await wait_for(pilot, lambda: app._grading is None)
        await pilot.pause()
        assert tree_label(app, "sigmoid-backward").startswith("✓")
        assert "checking" not in text_of(app, "#progress-right")

    run_app(app, scenario)


def test_quitting_during_a_long_check_does_not_wait_for_it(course: Workspace) -> None:
    fake = FakeGrader(failing, delay=5.0)
    app = GradschoolApp(course, grade_fn=fake, watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("c")
        await pilot.pause(0.2)
        assert app._grading == "sigmoid-backward"
        await pilot.press("q")

    started = time.monotonic()
    run_app(app, scenario)
    assert time.monotonic() - started < 3.0


def test_history_of_earlier_sessions_shows_on_open(course: Workspace) -> None:
    sigmoid = course.catalog.get("sigmoid-backward")
    for result in (timed_out(sigmoid), failing(sigmoid), passing(sigmoid)):
        course.progress.record(result)
    app = GradschoolApp(course, grade_fn=FakeGrader(), watch=False)

    async def scenario(pilot) -> None:
        assert app.exercise.id == "affine-backward"  # the first one not passed yet
        await pilot.press("p")
        # the last attempt's full result is redrawn from progress.sqlite, with the score history
        assert "✓ Passed — 2/2 points" in text_of(app, "#result-status")
        assert list(app.query_one("#history-spark").data) == [0.0, 0.5, 1.0]
        assert tree_label(app, "sigmoid-backward").startswith("✓")

    run_app(app, scenario)


def test_hints_follow_diagnosis_and_count_persists(course: Workspace) -> None:
    fake = FakeGrader(failing)
    app = GradschoolApp(course, grade_fn=fake, watch=False)
    sigmoid = course.catalog.get("sigmoid-backward")

    async def scenario(pilot) -> None:
        assert "Press h for a hint (3 available)" in text_of(app, "#hints-title")
        await pilot.press("h")
        await pilot.pause()
        assert course.progress.hints_seen("sigmoid-backward") == 1
        body = app.query_one("#hints-body")
        assert sigmoid.hints[0].text in body.source  # no result yet: the catalog's order
        await check_and_wait(pilot, fake)
        # the check diagnosed "sign": its hint comes first now
        assert body.source.startswith(f"**Hint 1.** {sigmoid.hints[1].text}")
        await pilot.press("h")
        await pilot.pause()
        assert course.progress.hints_seen("sigmoid-backward") == 2
        assert sigmoid.hints[0].text in body.source and "Hint 2." in body.source
        assert "2 of 3 shown" in text_of(app, "#hints-title")
        await pilot.press("h", "h")
        await pilot.pause()
        assert course.progress.hints_seen("sigmoid-backward") == 3  # never past the last hint

    run_app(app, scenario)

    reopened = GradschoolApp(course, grade_fn=fake, watch=False)

    async def after_restart(pilot) -> None:
        assert "3 of 3 shown" in text_of(reopened, "#hints-title")

    run_app(reopened, after_restart)


def test_reset_with_confirmation_restores_starter_and_keeps_backup(course: Workspace) -> None:
    app = GradschoolApp(course, grade_fn=FakeGrader(), watch=False)
    exercise = course.catalog.get("sigmoid-backward")
    learner_file = course.file_for(exercise)
    learner_file.write_text("def backward(x, grad):\n    return grad  # my attempt\n")

    async def scenario(pilot) -> None:
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmResetScreen)
        await pilot.press("n")  # keep my file
        await pilot.pause()
        assert "my attempt" in learner_file.read_text()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmResetScreen)
        assert learner_file.read_text() == exercise.starter_path.read_text()
        backups = list(course.backups_dir.rglob("sigmoid.py.*"))
        assert len(backups) == 1 and "my attempt" in backups[0].read_text()
        assert any("saved to ~/ws/.gradschool/backups/graphs/sigmoid.py." in n.message for n in app._notifications)

    run_app(app, scenario)


def test_solution_only_after_a_pass(course: Workspace) -> None:
    fake = FakeGrader(passing)
    app = GradschoolApp(course, grade_fn=fake, watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, SolutionScreen)
        assert any("unlocks once your code passes" in n.message for n in app._notifications)
        await check_and_wait(pilot, fake)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SolutionScreen)
        assert "grad * s * (1 - s)" in app.screen.query_one("#solution-code").content.code
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SolutionScreen)

    run_app(app, scenario)


def test_next_and_previous_move_and_are_remembered(course: Workspace) -> None:
    app = GradschoolApp(course, grade_fn=FakeGrader(), watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("n")
        assert app.exercise.id == "affine-backward"
        assert "Affine layer backward" in text_of(app, "#exercise-header")
        await pilot.press("n")
        assert app.exercise.id == "reg-quiz"
        await pilot.press("n")  # stays on the last one
        assert app.exercise.id == "reg-quiz"
        await pilot.press("p")
        assert app.exercise.id == "affine-backward"
        assert course.current_exercise_id == "affine-backward"
        tree = app.query_one(CourseTree)
        await pilot.pause()
        assert tree.cursor_node is not None and tree.cursor_node.data == "affine-backward"

    run_app(app, scenario)


def test_quiz_uses_the_same_flow(course: Workspace) -> None:
    fake = FakeGrader(passing)
    course.set_current("reg-quiz")
    app = GradschoolApp(course, grade_fn=fake, watch=False)

    async def scenario(pilot) -> None:
        assert "quiz" in text_of(app, "#exercise-header")
        await check_and_wait(pilot, fake)
        assert fake.calls == ["reg-quiz"]
        assert tree_label(app, "reg-quiz").startswith("✓")

    run_app(app, scenario)


def test_missing_file_is_flagged_and_zoom_cycles(course: Workspace) -> None:
    course.file_for(course.catalog.get("sigmoid-backward")).unlink()
    app = GradschoolApp(course, grade_fn=FakeGrader(), watch=False)

    async def scenario(pilot) -> None:
        assert "missing: x restores the starter" in text_of(app, "#exercise-header")
        report, instructions = app.query_one("#report"), app.query_one("#exercise")
        await pilot.press("z")
        await pilot.pause()
        assert not report.display and instructions.display
        await pilot.press("z")
        await pilot.pause()
        assert report.display and not instructions.display
        await pilot.press("z")
        await pilot.pause()
        assert report.display and instructions.display

    run_app(app, scenario)


def test_selecting_in_the_tree_and_searching(course: Workspace) -> None:
    app = GradschoolApp(course, grade_fn=FakeGrader(), watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("slash")
        await pilot.press(*"quiz")
        await pilot.pause()
        tree = app.query_one(CourseTree)
        assert tree.visible_ids() == ["reg-quiz"]
        assert app.exercise.id == "sigmoid-backward"  # typing n/p/h/q in search does not trigger keys
        await pilot.press("enter")
        await pilot.pause()
        assert app.exercise.id == "reg-quiz"
        await pilot.press("slash", "escape")  # clears the search
        await pilot.pause()
        assert len(tree.visible_ids()) == 3

    run_app(app, scenario)


def test_edit_opens_the_editor_on_the_learner_file(course: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib

    import tutor.app

    monkeypatch.setenv("EDITOR", "myeditor --wait")
    calls: list[list[str]] = []
    monkeypatch.setattr(tutor.app.subprocess, "call", lambda cmd: calls.append(cmd) or 0)
    app = GradschoolApp(course, grade_fn=FakeGrader(), watch=False)
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)  # the headless test driver cannot suspend

    async def scenario(pilot) -> None:
        await pilot.press("e")
        await pilot.pause()
        assert calls == [["myeditor", "--wait", str(course.root / "graphs" / "sigmoid.py")]]

    run_app(app, scenario)


def test_saves_during_a_check_queue_one_more_check(course: Workspace) -> None:
    fake = FakeGrader(failing, passing, delay=1.5)  # long enough that a loaded machine still saves mid-check
    app = GradschoolApp(course, grade_fn=fake, watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("c")
        await pilot.pause(0.05)
        assert app._grading is not None and not fake.calls
        app.request_check("saved")  # three saves while the first check runs ...
        app.request_check("saved")
        app.request_check("saved")
        await wait_for(pilot, lambda: len(fake.calls) >= 2 and app._grading is None)
        await pilot.pause(1.8)
        assert fake.calls == ["sigmoid-backward"] * 2  # ... make one more check, not three, never two at once
        assert tree_label(app, "sigmoid-backward").startswith("✓")

    run_app(app, scenario)


def test_command_palette_jumps_to_an_exercise(course: Workspace) -> None:
    app = GradschoolApp(course, grade_fn=FakeGrader(), watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"affine layer")
        await pilot.pause(0.5)  # the palette searches in the background
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.exercise.id == "affine-backward"

    run_app(app, scenario)


def test_starting_the_app_does_not_import_the_engine() -> None:
    import subprocess
    import sys

    code = "import sys, tutor.app; print('grader.engine' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.split() == ["False", "False"]


def test_edit_without_editor_explains(course: Workspace) -> None:
    app = GradschoolApp(course, grade_fn=FakeGrader(), watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("e")
        await pilot.pause()
        assert any("$EDITOR" in n.message and "~/ws/graphs/sigmoid.py" in n.message for n in app._notifications)

    run_app(app, scenario)


@pytest.mark.parametrize("mode", [True, "poll"])
def test_watch_mode_regrades_on_save(course: Workspace, mode: bool | str) -> None:
    fake = FakeGrader(failing, passing)
    app = GradschoolApp(course, grade_fn=fake, watch=mode, debounce=0.05, poll_interval=0.1)
    learner_file = course.file_for(course.catalog.get("sigmoid-backward"))

    async def scenario(pilot) -> None:
        await pilot.pause(0.2)
        deadline = time.monotonic() + 10
        n = 0
        while not fake.calls:  # the watcher may need a moment to start: save again until it sees one
            assert time.monotonic() < deadline, "no re-check after saving the learner's file"
            n += 1
            learner_file.write_text(f"def backward(x, grad):\n    return grad  # save {n}\n")
            await pilot.pause(0.3)
        await wait_for(pilot, lambda: app._grading is None)
        assert fake.calls[0] == "sigmoid-backward"
        assert app.watch_backend == ("polling" if mode == "poll" else "watchfiles")
        # saves to other files in the folder are ignored
        calls = len(fake.calls)
        (learner_file.parent / "notes.txt").write_text("scratch")
        await pilot.pause(0.5)
        assert len(fake.calls) == calls

    run_app(app, scenario)


def test_watch_falls_back_to_polling_when_watchfiles_fails(course: Workspace,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import watchfiles

    def broken_awatch(*args, **kwargs):
        raise OSError("inotify watch limit reached")

    monkeypatch.setattr(watchfiles, "awatch", broken_awatch)
    fake = FakeGrader()
    app = GradschoolApp(course, grade_fn=fake, watch=True, poll_interval=0.1)
    learner_file = course.file_for(course.catalog.get("sigmoid-backward"))

    async def scenario(pilot) -> None:
        await wait_for(pilot, lambda: app.watch_backend == "polling")
        assert any("inotify watch limit reached" in n.message for n in app._notifications)
        learner_file.write_text("def backward(x, grad):\n    return -grad\n")
        await wait_for(pilot, lambda: bool(fake.calls))

    run_app(app, scenario)


def test_watch_off_does_not_regrade(course: Workspace) -> None:
    fake = FakeGrader()
    app = GradschoolApp(course, grade_fn=fake, watch=False)
    learner_file = course.file_for(course.catalog.get("sigmoid-backward"))

    async def scenario(pilot) -> None:
        learner_file.write_text("x = 1\n")
        await pilot.pause(0.5)
        assert fake.calls == []
        assert "watch off" in text_of(app, "#progress-right")

    run_app(app, scenario)


def test_empty_course_does_not_crash(course: Workspace) -> None:
    course.catalog = Catalog(())  # (Workspace(root, Catalog(())) would fall back to the default catalog)
    app = GradschoolApp(course, grade_fn=FakeGrader())

    async def scenario(pilot) -> None:
        await pilot.press("c", "h", "n", "s", "x")
        await pilot.pause()
        assert app.exercise is None

    run_app(app, scenario)


# -- snapshots -----------------------------------------------------------------------------------

async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    # Scrolling to the hints runs after the next refresh (call_after_refresh): let a few refreshes
    # pass so the snapshot never catches the panel mid-scroll.
    for _ in range(3):
        await pilot.pause(0.05)


def test_snapshot_fresh_workspace(course: Workspace, snap_compare) -> None:
    assert snap_compare(GradschoolApp(course, grade_fn=FakeGrader(), watch=False), terminal_size=SIZE,
                        run_before=settle)


def test_snapshot_after_failing_check(course: Workspace, snap_compare) -> None:
    fake = FakeGrader(failing)

    async def run_before(pilot) -> None:
        await check_and_wait(pilot, fake)

    assert snap_compare(GradschoolApp(course, grade_fn=fake, watch=False), terminal_size=SIZE,
                        run_before=run_before)


def test_snapshot_hint_shown(course: Workspace, snap_compare) -> None:
    fake = FakeGrader(failing)

    async def run_before(pilot) -> None:
        await check_and_wait(pilot, fake)
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(GradschoolApp(course, grade_fn=fake, watch=False), terminal_size=SIZE,
                        run_before=run_before)
