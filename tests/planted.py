"""Shared by the tests/test_planted_bugs_*.py files: grade a reference solution with one planted bug, and
assert what a planted bug must do (lose points through a failing check, never by breaking the grader)."""

from __future__ import annotations

from dataclasses import dataclass

from grader.catalog import Exercise
from grader.engine import grade_exercise
from grader.results import ExerciseResult
from grader.workspace import Workspace


@dataclass(frozen=True)
class Bug:
    """One planted bug: `old` replaced by `new` in the exercise's reference solution; where given, a failing
    check must carry `diagnosis` and a failing check's message must contain `message`."""

    exercise: str
    description: str
    old: str
    new: str
    diagnosis: str | None = None
    message: str | None = None


def grade_with_bug(workspace: Workspace, exercise: Exercise, old: str, new: str) -> ExerciseResult:
    """Grade `exercise` in `workspace` with `old` replaced by `new` in its reference solution; the workspace's
    file is restored afterwards. `old` must occur exactly once, so a changed solution cannot hide a bug."""
    reference = exercise.solution_path.read_text(encoding="utf-8")
    assert reference.count(old) == 1, (f"{exercise.id}: the planted bug's old text occurs {reference.count(old)} "
                                       f"times in the reference solution, not once: {old!r}")
    path = workspace.file_for(exercise)
    path.write_text(reference.replace(old, new), encoding="utf-8")
    try:
        return grade_exercise(workspace, exercise, record=False)
    finally:
        path.write_text(reference, encoding="utf-8")


def failure_report(result: ExerciseResult) -> str:
    lines = [f"[{c.target}] {c.name}: {c.diagnosis}: {c.message}" for c in result.checks if not c.passed]
    return "\n".join([result.error or ""] + lines)


def assert_loses_points(result: ExerciseResult, what: str, *, diagnosis: str | None = None,
                        message: str | None = None) -> None:
    """The bug fails at least one check (no full marks), the grader itself does not break, and, where given,
    a failing check has that diagnosis and a failing check's message contains that text."""
    failed = [c for c in result.checks if not c.passed]
    report = failure_report(result)
    assert result.error is None, f"{what}: broke the grader instead of failing a check: {result.error}"
    assert not result.passed and result.score < result.max_score, f"{what}: the planted bug earns full marks"
    assert failed and all(c.diagnosis != "grader_error" for c in failed), f"{what}:\n{report}"
    if diagnosis is not None:
        assert diagnosis in {c.diagnosis for c in failed}, f"{what}: expected diagnosis {diagnosis!r}:\n{report}"
    if message is not None:
        assert any(message in c.message for c in failed), f"{what}: no message says {message!r}:\n{report}"
