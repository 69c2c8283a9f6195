"""The engine keeps grading when an exercise itself is broken (a course bug, not the learner's)."""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.catalog import load_catalog
from grader.engine import grade_workspace
from grader.paths import EXERCISES_DIR, SOLUTIONS_DIR
from grader.workspace import Workspace

SIGMOID = Path("01-computation-graphs/01-sigmoid")


def _course_with_a_broken_exercise(root: Path) -> Path:
    """The sigmoid exercise, and a copy of it whose checks.py does not even import."""
    for tree, source in (("exercises", EXERCISES_DIR), ("solutions", SOLUTIONS_DIR)):
        shutil.copytree(source / SIGMOID, root / tree / SIGMOID)
        broken = root / tree / SIGMOID.parent / "02-broken"
        shutil.copytree(source / SIGMOID, broken)
    meta = root / "exercises" / SIGMOID.parent / "02-broken" / "exercise.toml"
    meta.write_text(meta.read_text().replace('id = "sigmoid"', 'id = "broken"')
                    .replace('file = "graphs/sigmoid.py"', 'file = "graphs/broken.py"'))
    for tree in ("exercises", "solutions"):
        (root / tree / SIGMOID.parent / "02-broken" / "sigmoid.py").rename(
            root / tree / SIGMOID.parent / "02-broken" / "broken.py")
    (root / "exercises" / SIGMOID.parent / "02-broken" / "checks.py").write_text("import no_such_module\n")
    return root / "exercises"


def test_an_exercise_whose_checks_do_not_load_does_not_stop_the_others(tmp_path: Path) -> None:
    catalog = load_catalog(_course_with_a_broken_exercise(tmp_path / "course"))
    workspace = Workspace.init(tmp_path / "ws", solutions=True, catalog=catalog)
    report = grade_workspace(workspace, list(catalog), record=False)
    by_id = {r.id: r for r in report.exercises}
    assert by_id["sigmoid"].passed and by_id["sigmoid"].score == 8
    broken = by_id["broken"]
    assert broken.score == 0 and not broken.passed and broken.status == "error"
    assert "could not be loaded" in broken.error and "not with your code" in broken.error
