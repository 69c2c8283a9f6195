"""Snapshots of the tutor's main screens at 80x24 and 120x40, on the fixed course in tests/fixtures/tutor_course
(the real course grows; these pictures must not). Times are fixed and shown in UTC; no file is saved by the
editor before a picture (its status line would show the clock).

Update after an intended change of the layout: pytest tests/test_tutor_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tutor_support import TextGrader, make_workspace, settle, sigmoid_result, wait_for

from grader.workspace import Workspace
from tutor.app import GradschoolApp

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
DAY = 1_790_000_000.0  # 2026-09-21 UTC


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    return make_workspace(tmp_path, monkeypatch)


def app_for(ws: Workspace, grader_: TextGrader | None = None) -> GradschoolApp:
    return GradschoolApp(ws, grade_fn=grader_ or TextGrader(), watch=False)


async def steady(pilot) -> None:
    pilot.app.editor.area.cursor_blink = False
    await settle(pilot)


async def failing_check(pilot) -> None:
    """A learner's attempt with a sign slip, checked (the file is written directly: no editor save)."""
    app = pilot.app
    path = app.workspace.file_for(app.exercise)
    path.write_text(path.read_text().replace("raise NotImplementedError", "return -grad * s * (1 - s)"))
    app.editor.disk_changed()
    await pilot.press("c")
    await wait_for(pilot, lambda: app._grading is None and app.workspace.progress.get("fx-sigmoid").attempts)
    await steady(pilot)


def record_history(ws: Workspace) -> None:
    sigmoid = ws.catalog.get("fx-sigmoid")
    ws.progress.record(sigmoid_result(sigmoid, "raise NotImplementedError"), graded_at=DAY)
    ws.progress.record(sigmoid_result(sigmoid, "return -grad * s * (1 - s)"), graded_at=DAY + 300)
    ws.progress.record(sigmoid_result(sigmoid, "return grad * s * (1 - s)"), graded_at=DAY + 840)
    ws.progress.set_hints_seen("fx-sigmoid", 1)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_instructions(ws: Workspace, snap_compare, size: str) -> None:
    assert snap_compare(app_for(ws), terminal_size=SIZES[size], run_before=steady)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_editor(ws: Workspace, snap_compare, size: str) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("o")
        await steady(pilot)

    assert snap_compare(app_for(ws), terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_failing_check(ws: Workspace, snap_compare, size: str) -> None:
    assert snap_compare(app_for(ws), terminal_size=SIZES[size], run_before=failing_check)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_details(ws: Workspace, snap_compare, size: str) -> None:
    async def run_before(pilot) -> None:
        await failing_check(pilot)
        await pilot.press("d")
        await steady(pilot)

    assert snap_compare(app_for(ws), terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_course_map(ws: Workspace, snap_compare, size: str) -> None:
    record_history(ws)

    async def run_before(pilot) -> None:
        await pilot.press("m")
        await steady(pilot)

    assert snap_compare(app_for(ws), terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_stats(ws: Workspace, snap_compare, size: str) -> None:
    record_history(ws)

    async def run_before(pilot) -> None:
        await pilot.press("t")
        await steady(pilot)

    assert snap_compare(app_for(ws), terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_quiz(ws: Workspace, snap_compare, size: str) -> None:
    ws.set_current("fx-quiz")

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: bool(pilot.app.quiz.query("#answer-q2")))
        await pilot.press("o")
        await steady(pilot)

    assert snap_compare(app_for(ws), terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_help(ws: Workspace, snap_compare, size: str) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("question_mark")
        await steady(pilot)

    assert snap_compare(app_for(ws), terminal_size=SIZES[size], run_before=run_before)
