"""Workspaces: a learner's files are never lost, progress is real SQLite that survives, errors say what to do."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from grader.catalog import Catalog, Exercise
from grader.engine import grade_exercise
from grader.workspace import Workspace, WorkspaceError

LEARNER_TEXT = "# my own work, not the starter\ndef sigmoid(x):\n    return x\n"


def _one(sigmoid: Exercise) -> Catalog:
    return Catalog((sigmoid,))


def test_init_copies_every_starter(tmp_path: Path, catalog: Catalog) -> None:
    ws = Workspace.init(tmp_path / "ws")
    for exercise in catalog:
        assert ws.file_for(exercise).read_bytes() == exercise.starter_path.read_bytes(), exercise.id


def test_init_never_overwrites_a_learners_file(tmp_path: Path, sigmoid: Exercise) -> None:
    ws = Workspace.init(tmp_path / "ws", catalog=_one(sigmoid))
    path = ws.file_for(sigmoid)
    path.write_text(LEARNER_TEXT, encoding="utf-8")
    Workspace.init(tmp_path / "ws", catalog=_one(sigmoid))
    Workspace.init(tmp_path / "ws", solutions=True, catalog=_one(sigmoid))
    assert path.read_text(encoding="utf-8") == LEARNER_TEXT


def test_init_restores_only_missing_files(tmp_path: Path, sigmoid: Exercise) -> None:
    ws = Workspace.init(tmp_path / "ws", catalog=_one(sigmoid))
    ws.file_for(sigmoid).unlink()
    Workspace.init(tmp_path / "ws", catalog=_one(sigmoid))
    assert ws.file_for(sigmoid).read_bytes() == sigmoid.starter_path.read_bytes()


def test_init_refuses_a_path_that_is_a_file(tmp_path: Path, sigmoid: Exercise) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    with pytest.raises(WorkspaceError, match="not a folder"):
        Workspace.init(target, catalog=_one(sigmoid))
    assert target.read_text() == "mine"


def test_reset_restores_the_starter_and_backs_up_the_learners_file(tmp_path: Path, sigmoid: Exercise) -> None:
    ws = Workspace.init(tmp_path / "ws", catalog=_one(sigmoid))
    path = ws.file_for(sigmoid)
    path.write_text(LEARNER_TEXT, encoding="utf-8")
    saved = ws.reset(sigmoid)
    assert path.read_bytes() == sigmoid.starter_path.read_bytes()
    assert saved is not None and saved.is_file()
    assert saved.read_text(encoding="utf-8") == LEARNER_TEXT
    assert saved.is_relative_to(ws.backups_dir)


def test_reset_twice_in_a_row_keeps_the_learners_work(tmp_path: Path, sigmoid: Exercise,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A double press of reset (or reset, then reset all) within one second: the first backup must survive."""
    ws = Workspace.init(tmp_path / "ws", catalog=_one(sigmoid))
    ws.file_for(sigmoid).write_text(LEARNER_TEXT, encoding="utf-8")
    monkeypatch.setattr(time, "strftime", lambda *args: "20250101-120000")  # both resets in the same second
    ws.reset(sigmoid)
    ws.reset(sigmoid)
    backups = [p.read_text(encoding="utf-8") for p in ws.backups_dir.rglob("*") if p.is_file()]
    assert LEARNER_TEXT in backups


def test_reset_of_a_deleted_file_restores_it(tmp_path: Path, sigmoid: Exercise) -> None:
    ws = Workspace.init(tmp_path / "ws", catalog=_one(sigmoid))
    ws.file_for(sigmoid).unlink()
    assert ws.reset(sigmoid) is None
    assert ws.file_for(sigmoid).read_bytes() == sigmoid.starter_path.read_bytes()


def test_progress_is_a_real_sqlite_file_that_survives_reopening(tmp_path: Path, sigmoid: Exercise) -> None:
    ws = Workspace.init(tmp_path / "ws", catalog=_one(sigmoid))
    first = grade_exercise(ws, sigmoid)  # the starter: 0 points
    ws.file_for(sigmoid).write_text(sigmoid.solution_path.read_text(encoding="utf-8"), encoding="utf-8")
    second = grade_exercise(ws, sigmoid)
    assert (first.score, second.score) == (0.0, sigmoid.points)
    ws.set_current(sigmoid.id)

    db_path = ws.meta_dir / "progress.sqlite"
    assert db_path.read_bytes()[:16] == b"SQLite format 3\x00"
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT exercise_id, score, passed, status FROM attempts ORDER BY id").fetchall()
    assert rows == [(sigmoid.id, 0.0, 0, "not_implemented"), (sigmoid.id, sigmoid.points, 1, "graded")]

    reopened = Workspace(tmp_path / "ws", _one(sigmoid))
    progress = reopened.progress.get(sigmoid.id)
    assert (progress.attempts, progress.best_score, progress.passed) == (2, sigmoid.points, True)
    assert progress.last_status == "graded"
    assert reopened.current_exercise_id == sigmoid.id
    assert [passed for _, _, _, passed in reopened.progress.history(sigmoid.id)] == [False, True]


def test_official_and_unrecorded_grading_leave_progress_alone(tmp_path: Path, sigmoid: Exercise) -> None:
    ws = Workspace.init(tmp_path / "ws", solutions=True, catalog=_one(sigmoid))
    grade_exercise(ws, sigmoid, official=True, seed=5)
    grade_exercise(ws, sigmoid, record=False)
    assert ws.progress.get(sigmoid.id).attempts == 0


def test_locate_a_missing_folder_says_how_to_create_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(WorkspaceError) as error:
        Workspace.locate(missing)
    assert "does not exist" in str(error.value)
    assert f"gradschool init {missing}" in str(error.value)
    assert not missing.exists()  # locating never creates anything


def test_locate_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a gradschool workspace.*gradschool init"):
        Workspace.locate(tmp_path)


def test_locate_from_inside_a_workspace(tmp_path: Path, sigmoid: Exercise, monkeypatch: pytest.MonkeyPatch,
                                        gradschool_home: Path) -> None:
    ws = Workspace.init(tmp_path / "ws", catalog=_one(sigmoid))
    monkeypatch.chdir(ws.file_for(sigmoid).parent)
    assert Workspace.locate().root == ws.root


def test_locate_with_no_workspace_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           gradschool_home: Path) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(WorkspaceError, match="No workspace here.*gradschool init DIR.*--workspace DIR"):
        Workspace.locate()
    assert not gradschool_home.exists()
