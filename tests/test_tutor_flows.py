"""The tutor's main flows, driven by keys with Pilot on the fixed course (tests/fixtures/tutor_course):
edit in the editor, check, fail with a diagnosis, fix, pass, hint, reset, restart; nothing typed is lost."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from tutor_support import TextGrader, make_workspace, messages, run_app, text_of, wait_for

from grader.workspace import Workspace
from tutor.app import GradschoolApp
from tutor.drafts import DraftStore, atomic_write, digest
from tutor.screens.confirm_reset import ConfirmResetScreen
from tutor.screens.course_map import CourseMapScreen
from tutor.screens.details import DetailsScreen
from tutor.screens.help import HelpScreen
from tutor.screens.stats import StatsScreen

FIX = '    s = 1 / (1 + np.exp(-x))\n    return grad * s * (1 - s)\n'


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    return make_workspace(tmp_path, monkeypatch)


def sigmoid_file(ws: Workspace) -> Path:
    return ws.file_for(ws.catalog.get("fx-sigmoid"))


async def replace_body(pilot, body: str) -> None:
    """In the editor: select the `raise …` line (the last line of the starter) and type body instead."""
    area = pilot.app.editor.area
    lines = area.text.rstrip("\n").split("\n")
    last = len(lines) - 1
    area.selection = area.selection.__class__((last, 0), (last, len(lines[last])))
    area.replace(body.rstrip("\n"), (last, 0), (last, len(lines[last])))
    await pilot.pause()


def test_edit_check_fail_fix_pass_hint_reset_restart(ws: Workspace) -> None:
    grader_ = TextGrader()
    app = GradschoolApp(ws, grade_fn=grader_, watch=False, autosave_delay=0.1)
    path = sigmoid_file(ws)

    async def scenario(pilot) -> None:
        await pilot.press("o")  # the editor tab, focused
        await pilot.pause()
        assert app.focused is app.editor.area
        assert app.editor.area.language == "python"
        assert app.editor.area.show_line_numbers
        # type in the editor: a sign slip first
        await replace_body(pilot, FIX.replace("return grad", "return -grad"))
        await pilot.press("ctrl+s")  # save and check
        await wait_for(pilot, lambda: len(grader_.calls) == 1 and app._grading is None)
        await pilot.pause()
        assert "-grad * s" in path.read_text()
        assert "Not yet" in text_of(app, "#result-status")
        assert "the sign is flipped" in text_of(app, "#failure")
        assert "training loss" in text_of(app, "#figures")
        # the detail view: expected vs got
        await pilot.press("escape", "d")
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)
        detail = text_of(app, "#details-text")
        assert "diagnosis: sign" in detail and "expected [0.196, -0.105]" in detail
        await pilot.press("escape")
        # a hint, the diagnosed one first
        await pilot.press("h")
        await pilot.pause()
        assert ws.progress.hints_seen("fx-sigmoid") == 1
        assert "upstream gradient" in app.query_one("#hints-body").source
        # fix it in the editor: undo works, and the fix passes
        await pilot.press("o")
        await replace_body(pilot, FIX)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "return grad" not in app.editor.text
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert "return grad * s" in app.editor.text
        await pilot.press("ctrl+r")  # check from inside the editor
        await wait_for(pilot, lambda: len(grader_.calls) == 2 and app._grading is None)
        await pilot.pause()
        assert grader_.texts[-1].endswith(FIX), "the check must see the editor's latest text"
        assert "Passed" in text_of(app, "#result-status")
        assert str(app.query_one("CourseTree")._leaves["fx-sigmoid"].label).startswith("✓")
        # reset: the starter comes back, the editor shows it, my version is backed up
        await pilot.press("escape", "x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmResetScreen)
        await pilot.press("y")
        await pilot.pause()
        assert "NotImplementedError" in path.read_text() and "NotImplementedError" in app.editor.text
        backups = list(ws.backups_dir.rglob("sigmoid.py.*"))
        assert len(backups) == 1 and backups[0].read_text().endswith(FIX)
        # my own version again, then quit
        await pilot.press("o")
        await replace_body(pilot, FIX)
        await pilot.press("escape", "q")

    run_app(app, scenario)
    assert path.read_text().endswith(FIX), "quitting saves the editor"

    reopened = GradschoolApp(ws, grade_fn=grader_, watch=False)

    async def after_restart(pilot) -> None:
        assert reopened.exercise.id == "fx-sigmoid"
        assert reopened.editor.text.endswith(FIX)
        assert "✓ Passed" in text_of(reopened, "#result-status") or "passed" in text_of(reopened, "#result-status")
        assert "1 of 2 shown" in text_of(reopened, "#hints-title")
        assert str(reopened.query_one("CourseTree")._leaves["fx-sigmoid"].label).startswith("✓")

    run_app(reopened, after_restart)


def test_autosave_is_atomic_debounced_and_drops_the_draft(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    import tutor.drafts

    writes: list[Path] = []
    real_replace = tutor.drafts.os.replace
    monkeypatch.setattr(tutor.drafts.os, "replace", lambda a, b: (writes.append(Path(b)), real_replace(a, b)))
    app = GradschoolApp(ws, grade_fn=TextGrader(), watch=False, autosave_delay=0.3)
    path = sigmoid_file(ws)

    async def scenario(pilot) -> None:
        await pilot.press("o")
        await pilot.press(*"# note")
        draft = app.drafts.path_for("basics/sigmoid.py")
        assert draft.exists(), "every change is in the draft at once"
        assert "# note" in json.loads(draft.read_text())["text"]
        assert "# note" not in path.read_text(), "the file waits for a pause in typing"
        await wait_for(pilot, lambda: "# note" in path.read_text())
        assert not draft.exists()
        assert path in writes, "the file is written by rename (atomic)"
        assert "saved" in text_of(app, "#editor-status")

    run_app(app, scenario)


def test_a_killed_session_is_recovered_from_its_draft(ws: Workspace) -> None:
    """kill -9 mid-edit leaves the draft (written on every change) and the old file: a new app recovers it."""
    path = sigmoid_file(ws)
    before = path.read_text()
    typed = before.replace("raise NotImplementedError", "return grad  # typed just before the crash")
    DraftStore(ws.meta_dir / "drafts").write("basics/sigmoid.py", typed, digest(before))
    app = GradschoolApp(ws, grade_fn=TextGrader(), watch=False)

    async def scenario(pilot) -> None:
        assert app.editor.text == typed
        assert path.read_text() == typed, "recovered text is saved to the file"
        assert not app.drafts.path_for("basics/sigmoid.py").exists()
        assert "Recovered your unsaved edits" in messages(app)

    run_app(app, scenario)


def test_a_draft_older_than_the_file_keeps_both_versions(ws: Workspace) -> None:
    path = sigmoid_file(ws)
    before = path.read_text()
    mine = before + "# mine, unsaved\n"
    DraftStore(ws.meta_dir / "drafts").write("basics/sigmoid.py", mine, digest(before))
    theirs = before + "# saved later in another editor\n"
    path.write_text(theirs)
    app = GradschoolApp(ws, grade_fn=TextGrader(), watch=False, autosave_delay=0.05)

    async def scenario(pilot) -> None:
        assert app.editor.text == mine and app.editor.conflict
        assert path.read_text() == theirs, "newer disk content is never overwritten silently"
        assert "changed on disk" in messages(app)
        await pilot.pause(0.2)
        assert path.read_text() == theirs, "no autosave during a conflict"
        await pilot.press("o", "ctrl+s")  # keep mine: theirs goes to the backups first
        await pilot.pause()
        assert path.read_text() == mine and not app.editor.conflict
        assert any(b.read_text() == theirs for b in ws.backups_dir.rglob("sigmoid.py.*"))

    run_app(app, scenario)


def test_conflict_can_take_the_file_and_keeps_the_editor_text(ws: Workspace) -> None:
    path = sigmoid_file(ws)
    before = path.read_text()
    DraftStore(ws.meta_dir / "drafts").write("basics/sigmoid.py", before + "# mine\n", "not-the-base")
    app = GradschoolApp(ws, grade_fn=TextGrader(), watch=False)

    async def scenario(pilot) -> None:
        assert app.editor.conflict
        await pilot.press("o", "f5")
        await pilot.pause()
        assert app.editor.text == before and not app.editor.conflict
        kept = list((ws.meta_dir / "drafts" / "kept").iterdir())
        assert len(kept) == 1 and kept[0].read_text().endswith("# mine\n")

    run_app(app, scenario)


@pytest.mark.parametrize("mode", [True, "poll"])
def test_own_saves_do_not_reload_or_check_but_external_edits_do(ws: Workspace, mode: bool | str) -> None:
    grader_ = TextGrader()
    app = GradschoolApp(ws, grade_fn=grader_, watch=mode, debounce=0.05, poll_interval=0.1, autosave_delay=0.1)
    path = sigmoid_file(ws)

    async def scenario(pilot) -> None:
        await pilot.pause(0.3)
        await pilot.press("o")
        await pilot.press(*"# mine")
        await wait_for(pilot, lambda: "# mine" in path.read_text())
        await pilot.pause(0.6)
        assert grader_.calls == [], "the editor's own autosave is not a change to react to"
        assert app.editor.text.count("# mine") == 1 and not app.editor.dirty
        # edited elsewhere while the editor holds no unsaved edits: reload and check
        deadline = time.monotonic() + 10
        n = 0
        while not grader_.calls:
            assert time.monotonic() < deadline, "no check after an external save"
            n += 1
            atomic_write(path, f"def backward(x, grad):\n    return grad  # elsewhere {n}\n")
            await pilot.pause(0.3)
        await wait_for(pilot, lambda: app._grading is None)
        assert "# elsewhere" in app.editor.text
        # edited elsewhere while the editor has unsaved edits: a conflict, both kept
        app.editor.autosave_delay = 30
        await pilot.press("o")
        await pilot.press(*"XYZ")
        path.write_text("# third version\n")
        await wait_for(pilot, lambda: app.editor.conflict)
        assert "XYZ" in app.editor.text and path.read_text() == "# third version\n"

    run_app(app, scenario)


def test_cancel_a_running_check_records_nothing(ws: Workspace) -> None:
    grader_ = TextGrader(delay=3.0)
    app = GradschoolApp(ws, grade_fn=grader_, watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("c")
        await pilot.pause(1.2)
        assert "Checking" in text_of(app, "#result-status") and "k cancels" in text_of(app, "#result-status")
        assert app._grading is not None
        await pilot.press("k")
        await pilot.pause()
        assert app._grading is None
        assert "cancelled" in text_of(app, "#result-status")
        assert "checking" not in text_of(app, "#progress-right")

    run_app(app, scenario)
    assert ws.progress.get("fx-sigmoid").attempts == 0


def test_numba_exercise_says_it_is_compiling(ws: Workspace) -> None:
    grader_ = TextGrader(delay=4.0)
    ws.set_current("fx-affine-njit")
    app = GradschoolApp(ws, grade_fn=grader_, watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("c")
        await wait_for(pilot, lambda: "Numba compiles" in text_of(app, "#result-status"), timeout=5)
        started = time.monotonic()
        await pilot.press("i")  # keys are answered while the check runs (generous: CI machines are busy)
        assert time.monotonic() - started < 2.0 and app._grading is not None
        await wait_for(pilot, lambda: app._grading is None)

    run_app(app, scenario)


def test_quiz_answered_in_the_form_with_feedback(ws: Workspace) -> None:
    grader_ = TextGrader()
    ws.set_current("fx-quiz")
    app = GradschoolApp(ws, grade_fn=grader_, watch=False)
    path = ws.file_for(ws.catalog.get("fx-quiz"))

    async def scenario(pilot) -> None:
        await settle_quiz(pilot)
        assert [q.key for q in app.quiz.questions] == ["q1", "q2"]
        assert app.quiz.questions[1].choices[1] == ("b", "they are added")
        await pilot.press("o")
        await pilot.pause()
        app.quiz.query_one("#answer-q1").value = "1/8"
        app.quiz.query_one("#choice-q2-c").value = True
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(grader_.calls) == 1 and app._grading is None)
        await pilot.pause()
        text = path.read_text()
        assert 'q1 = "1/8"' in text and 'q2 = "c"' in text and "# q1. edf seeds" in text, "comments are kept"
        assert "✓ right" in str(app.quiz.query_one("#feedback-q1").content)
        assert "q2 is not right" in str(app.quiz.query_one("#feedback-q2").content)
        app.quiz.query_one("#choice-q2-b").value = True
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(grader_.calls) == 2 and app._grading is None)
        await pilot.pause()
        assert "✓ right" in str(app.quiz.query_one("#feedback-q2").content)
        assert "Passed" in text_of(app, "#result-status")

    run_app(app, scenario)


async def settle_quiz(pilot) -> None:
    await wait_for(pilot, lambda: bool(pilot.app.quiz.questions) and bool(pilot.app.quiz.query("#answer-q2")))
    await pilot.pause()


def test_course_map_shows_status_and_continues(ws: Workspace) -> None:
    sigmoid = ws.catalog.get("fx-sigmoid")
    ws.progress.record(TextGrader.__call__.__globals__["sigmoid_result"](sigmoid, "grad * s * (1 - s)"))
    ws.set_current("fx-sigmoid")
    app = GradschoolApp(ws, grade_fn=TextGrader(), watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)
        assert app.screen.continue_id == "fx-affine-njit", "the current exercise passed: continue with the next"
        summary = text_of(app, "#map-summary")
        assert "1/3 exercises" in summary and "2/7 points" in summary
        await pilot.press("c")
        await pilot.pause()
        assert app.exercise.id == "fx-affine-njit"
        await pilot.press("m", "down", "down", "down", "down", "enter")  # chapter 2's header, then its quiz
        await pilot.pause()
        assert app.exercise.id == "fx-quiz"

    run_app(app, scenario)


def test_stats_screen_lists_attempts_and_hints(ws: Workspace) -> None:
    grader_ = TextGrader()
    app = GradschoolApp(ws, grade_fn=grader_, watch=False)

    async def scenario(pilot) -> None:
        await pilot.press("c")
        await wait_for(pilot, lambda: app._grading is None and grader_.calls)
        await pilot.press("h", "t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert "1 attempt on 1 exercise(s) · 0 passed · 1 hint read" in text_of(app, "#stats-summary")
        table = app.screen.query_one("#stats-table")
        assert table.row_count == 1 and table.get_row_at(0)[1] == "1"
        assert app.screen.query_one("#recent-table").row_count == 1

    run_app(app, scenario)


def test_help_lists_every_binding_and_palette_runs_actions(ws: Workspace) -> None:
    app = GradschoolApp(ws, grade_fn=TextGrader(), watch=False)

    async def scenario(pilot) -> None:
        listed = " ".join(key for key, _ in app.KEY_HELP).lower()
        for binding in app.BINDINGS:
            key = binding.key.split(",")[0].replace("question_mark", "?").replace("slash", "/").replace("escape", "esc")
            assert key in listed, f"{key} is missing from the help screen"
        actions = {action for _, action, _ in app.PALETTE_ACTIONS}
        for binding in app.BINDINGS:
            if binding.action not in ("leave_search",):
                assert binding.action in actions, f"{binding.action} is not in the command palette"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"course map")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)

    run_app(app, scenario)


def test_kill_9_mid_edit_then_restart_finds_the_text(tmp_path: Path) -> None:
    """The real thing: the tutor in a pseudo-terminal, a few keys typed into its editor, SIGKILL before the
    autosave, and a new tutor on the same workspace."""
    import fcntl
    import os
    import pty
    import signal
    import struct
    import subprocess
    import sys
    import termios

    from grader.catalog import default_catalog

    assert any(e.id == "sigmoid" for e in default_catalog()), "the course's sigmoid exercise is gone"
    workspace = Workspace.init(tmp_path / "ws", catalog=default_catalog())
    workspace.set_current("sigmoid")
    path = workspace.file_for(workspace.catalog.get("sigmoid"))
    before = path.read_text()
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "tutor.cli", "--workspace", str(workspace.root), "--no-watch",
                             "tutor"], stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                            env={**os.environ, "TERM": "xterm-256color"})
    os.close(slave)
    draft = DraftStore(workspace.meta_dir / "drafts").path_for(workspace.catalog.get("sigmoid").file)
    screen = b""
    try:
        deadline = time.monotonic() + 60
        while b"Instructions" not in screen:  # the first screen is drawn
            assert time.monotonic() < deadline, "the tutor did not start"
            screen += os.read(master, 65536)
        os.write(master, b"o")
        time.sleep(0.5)
        os.write(master, b"# typed before the crash")
        while not draft.exists() or "crash" not in draft.read_text():
            assert time.monotonic() < deadline, "no draft was written"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert draft.exists() or "# typed before the crash" in path.read_text()

    app = GradschoolApp(Workspace(workspace.root), grade_fn=TextGrader(), watch=False)

    async def scenario(pilot) -> None:
        await pilot.pause()
        assert "# typed before the crash" in app.editor.text
        assert "# typed before the crash" in path.read_text() and path.read_text() != before

    run_app(app, scenario)
