"""Every exercise in the catalog (picked up automatically as exercises are added): the reference solution earns
full marks, locally and on hidden cases; the untouched starter earns 0 with "not implemented yet" everywhere."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from grader.catalog import CatalogError, Exercise, default_catalog, load_catalog
from grader.engine import NOT_IMPLEMENTED, grade_exercise, load_checks
from grader.selfcheck import SelfCheck
from grader.workspace import Workspace

CATALOG = default_catalog()  # skips malformed folders, listing them in CATALOG.errors
EXERCISES = list(CATALOG)


def _failures(result) -> str:
    lines = [result.error or ""]
    lines += [f"[{c.target}] {c.name}: {c.diagnosis}: {c.message}" for c in result.checks if not c.passed]
    return "\n".join(lines)


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_solution_earns_full_marks_and_starter_earns_zero(exercise: Exercise, solutions_ws: Workspace,
                                                          starter_ws: Workspace) -> None:
    local = grade_exercise(solutions_ws, exercise, record=False)
    hidden = grade_exercise(solutions_ws, exercise, official=True, seed=20240611, record=False)
    starter = grade_exercise(starter_ws, exercise, record=False)

    for label, result in (("local", local), ("hidden cases", hidden)):
        assert result.passed, f"{exercise.id} solution, {label}:\n{_failures(result)}"
        assert result.score == result.max_score == exercise.points
        assert len(result.checks) == len(load_checks(exercise.checks_path))
        assert all(c.passed and c.points == c.max_points for c in result.checks)

    assert starter.score == 0.0 and not starter.passed
    assert starter.error is None, f"the starter broke the grader instead of failing: {starter.error}"
    assert starter.status == "not_implemented", _failures(starter)
    failing = [c for c in starter.checks if not c.passed]
    assert failing, "no check fails on the untouched starter"
    for check in failing:
        assert check.diagnosis == "not_implemented", f"{check.name}: {check.diagnosis}: {check.message}"
        assert check.message.startswith(NOT_IMPLEMENTED) or "not implemented" in check.message.lower()

    # every target a code exercise claims is checked; the self-check finds nothing to complain about
    if exercise.kind == "code":
        assert set(exercise.targets) <= {c.target for c in local.checks}
    assert SelfCheck(exercise, local, hidden, starter).problems == []


def test_no_exercise_folder_is_malformed() -> None:
    """A malformed folder is skipped for learners, so this is where it must show up."""
    assert CATALOG.errors == (), "\n".join(CATALOG.errors)
    assert "sigmoid" in [e.id for e in EXERCISES]


def test_ids_and_files_are_unique() -> None:
    ids = [e.id for e in EXERCISES]
    files = [e.file for e in EXERCISES]
    assert len(set(ids)) == len(ids), sorted(i for i in ids if ids.count(i) > 1)
    assert len(set(files)) == len(files), sorted(f for f in files if files.count(f) > 1)


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_exercise_metadata(exercise: Exercise) -> None:
    assert len(exercise.hints) >= 2
    assert all(h.text.strip() for h in exercise.hints)
    readme = exercise.instructions()
    assert re.search(rf"(?<![\d.]){re.escape(exercise.section)}(?![\d])", readme), (
        f"{exercise.instructions_path} does not mention section {exercise.section}")
    assert exercise.solution_path.is_file(), f"no reference solution at {exercise.solution_path}"
    assert exercise.starter_path.is_file() and exercise.checks_path.is_file()
    assert exercise.points > 0 and exercise.time_limit > 0


def test_duplicate_ids_are_rejected_by_name(tmp_path: Path, sigmoid: Exercise) -> None:
    """A second folder reusing an id must fail loudly, naming both folders."""
    for name in ("01-a", "02-b"):
        shutil.copytree(sigmoid.dir, tmp_path / "00-chapter" / name)
    with pytest.raises(CatalogError, match="duplicate exercise id 'sigmoid'") as error:
        load_catalog(tmp_path)
    assert "01-a" in str(error.value) and "02-b" in str(error.value)

