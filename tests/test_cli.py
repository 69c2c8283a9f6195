"""The `gradschool` command line: JSON listing, init, grade (exit codes and every report format), reset."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from grader.catalog import Catalog, Exercise
from grader.engine import load_checks
from grader.workspace import Workspace
from tutor.cli import main

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_default_workspace(gradschool_home: Path) -> None:
    """Every test here runs with an empty per-user default workspace location."""


def squash(text: str) -> str:
    """Text without whitespace: rich wraps long messages at the terminal width."""
    return "".join(text.split())


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`gradschool ARGS` as a real process, as a learner or CI runs it."""
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "tutor.cli", *args], capture_output=True, text=True,
                          cwd=cwd or PROJECT_ROOT, env=env, timeout=120)


def _strict_json(text: str):
    def reject(constant: str):
        raise ValueError(f"{constant} is not valid JSON")

    return json.loads(text, parse_constant=reject)


def _check_names(exercise: Exercise) -> list[str]:
    return [spec.name for spec in load_checks(exercise.checks_path)]


# -- list and init -----------------------------------------------------------------------------


def test_list_json_describes_every_exercise(capsys: pytest.CaptureFixture, catalog: Catalog) -> None:
    assert main(["list", "--json"]) == 0
    rows = _strict_json(capsys.readouterr().out)
    assert isinstance(rows, list)
    assert [r["id"] for r in rows] == [e.id for e in catalog]
    for row, exercise in zip(rows, catalog, strict=True):
        assert {"id", "title", "chapter", "section", "kind", "targets", "points", "file"} <= set(row)
        assert row["title"] == exercise.title and row["file"] == exercise.file
        assert row["chapter"] == exercise.chapter and row["section"] == exercise.section
        assert row["kind"] in ("code", "quiz") and row["targets"] == list(exercise.targets)
        assert row["points"] == exercise.points > 0


def test_init_creates_a_workspace_with_every_exercise_file(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                           catalog: Catalog) -> None:
    target = tmp_path / "course"
    assert main(["init", str(target)]) == 0
    assert str(target.resolve()) in squash(capsys.readouterr().out)
    for exercise in catalog:
        assert (target / exercise.file).read_bytes() == exercise.starter_path.read_bytes(), exercise.id
    Workspace(target)  # it is a workspace: no error


def test_init_solutions_fills_in_the_reference_solutions(tmp_path: Path, catalog: Catalog) -> None:
    target = tmp_path / "answers"
    assert main(["init", str(target), "--solutions"]) == 0
    for exercise in catalog:
        assert (target / exercise.file).read_bytes() == exercise.solution_path.read_bytes(), exercise.id


# -- grade: exit codes -------------------------------------------------------------------------


def test_grade_exits_0_when_every_requested_exercise_passes(solutions_ws: Workspace) -> None:
    done = run_cli("grade", "sigmoid", "--workspace", str(solutions_ws.root))
    assert done.returncode == 0, done.stdout + done.stderr


def test_grade_exits_1_on_the_untouched_starter(starter_ws: Workspace) -> None:
    done = run_cli("grade", "sigmoid", "--workspace", str(starter_ws.root))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "not implemented yet" in " ".join(done.stdout.split())


def test_grade_exits_2_on_an_unknown_exercise_id(solutions_ws: Workspace) -> None:
    done = run_cli("grade", "no-such-exercise", "--workspace", str(solutions_ws.root))
    assert done.returncode == 2
    assert "unknown exercise id(s): no-such-exercise" in " ".join(done.stderr.split())
    assert "gradschool list" in done.stderr  # what to do


def test_grade_exits_2_on_an_unknown_flag(solutions_ws: Workspace) -> None:
    done = run_cli("grade", "sigmoid", "--bogus", "--workspace", str(solutions_ws.root))
    assert done.returncode == 2
    assert "unrecognized arguments: --bogus" in done.stderr
    assert "usage: gradschool" in done.stderr  # what to do


def test_grade_exits_2_on_a_missing_workspace(tmp_path: Path) -> None:
    missing = tmp_path / "never-made"
    done = run_cli("grade", "sigmoid", "--workspace", str(missing))
    assert done.returncode == 2
    assert "does not exist" in done.stderr
    assert squash(f"gradschool init {missing}") in squash(done.stderr)  # what to do
    assert not missing.exists()


def test_grade_outside_any_workspace_says_how_to_make_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["grade", "sigmoid"]) == 2
    message = squash(capsys.readouterr().err)
    assert squash("No workspace here") in message
    assert squash("gradschool init DIR") in message and "--workspaceDIR" in message


# -- grade: report formats ---------------------------------------------------------------------


def _grade_json(ws: Workspace, capsys: pytest.CaptureFixture) -> tuple[int, dict]:
    code = main(["grade", "sigmoid", "--format", "json", "--workspace", str(ws.root)])
    return code, _strict_json(capsys.readouterr().out)


def test_json_report_of_a_passing_workspace(solutions_ws: Workspace, sigmoid: Exercise,
                                            capsys: pytest.CaptureFixture) -> None:
    code, report = _grade_json(solutions_ws, capsys)
    assert code == 0
    assert report["score"] == report["max_score"] == sigmoid.points
    (exercise,) = report["exercises"]
    assert {"id", "score", "max_score", "passed", "checks"} <= set(exercise)
    assert (exercise["id"], exercise["score"], exercise["max_score"], exercise["passed"]) == (
        "sigmoid", sigmoid.points, sigmoid.points, True)
    assert [c["name"] for c in exercise["checks"]] == _check_names(sigmoid)
    for check in exercise["checks"]:
        assert {"name", "passed", "message"} <= set(check)
        assert check["passed"] is True


def test_json_report_of_the_starter(starter_ws: Workspace, sigmoid: Exercise,
                                    capsys: pytest.CaptureFixture) -> None:
    code, report = _grade_json(starter_ws, capsys)
    assert code == 1
    assert report["score"] == 0 and report["max_score"] == sigmoid.points
    (exercise,) = report["exercises"]
    assert exercise["passed"] is False and exercise["score"] == 0
    assert exercise["checks"] and all(not c["passed"] for c in exercise["checks"])
    assert all("not implemented yet" in c["message"] for c in exercise["checks"])


@pytest.mark.parametrize("which", ["solutions", "starters"])
def test_junit_report_is_well_formed_with_a_testcase_per_check(which: str, request: pytest.FixtureRequest,
                                                               sigmoid: Exercise,
                                                               capsys: pytest.CaptureFixture) -> None:
    ws = request.getfixturevalue("solutions_ws" if which == "solutions" else "starter_ws")
    code = main(["grade", "sigmoid", "--format", "junit", "--workspace", str(ws.root)])
    root = ET.fromstring(capsys.readouterr().out.encode())
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == _check_names(sigmoid)
    failures = [c for c in cases if c.find("failure") is not None]
    if which == "solutions":
        assert code == 0 and failures == []
    else:
        assert code == 1 and len(failures) == len(cases)
        assert all("not implemented yet" in f.find("failure").get("message") for f in failures)
    assert int(root.get("failures")) == len(failures) and int(root.get("tests")) == len(cases)


@pytest.mark.parametrize("which", ["solutions", "starters"])
def test_gradescope_report_follows_the_spec(which: str, request: pytest.FixtureRequest, sigmoid: Exercise,
                                            capsys: pytest.CaptureFixture) -> None:
    ws = request.getfixturevalue("solutions_ws" if which == "solutions" else "starter_ws")
    code = main(["grade", "sigmoid", "--format", "gradescope", "--workspace", str(ws.root)])
    results = _strict_json(capsys.readouterr().out)  # invalid JSON fails the whole Gradescope run
    assert isinstance(results["score"], int | float)
    tests = results["tests"]
    assert len(tests) == len(_check_names(sigmoid))
    for test in tests:
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert isinstance(test["score"], int | float) and isinstance(test["max_score"], int | float)
        assert test["status"] in ("passed", "failed")
        assert test["status"] == ("passed" if test["score"] == test["max_score"] else "failed")
    assert sum(t["max_score"] for t in tests) == pytest.approx(sigmoid.points)
    assert sum(t["score"] for t in tests) == pytest.approx(results["score"])
    if which == "solutions":
        assert code == 0 and results["score"] == sigmoid.points
        assert all(t["status"] == "passed" for t in tests)
    else:
        assert code == 1 and results["score"] == 0
        assert all(t["status"] == "failed" and "not implemented yet" in t["output"] for t in tests)


@pytest.mark.parametrize("fmt", ["json", "junit", "gradescope", "text"])
def test_out_writes_the_report_to_a_file(fmt: str, tmp_path: Path, solutions_ws: Workspace,
                                         capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "reports" / f"report.{fmt}"
    assert main(["grade", "sigmoid", "--format", fmt, "--out", str(out),
                 "--workspace", str(solutions_ws.root)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "sigmoid" not in capsys.readouterr().out  # the report went to the file, not stdout
    if fmt == "junit":
        assert ET.fromstring(text.encode()).findall(".//testcase")
    elif fmt == "text":
        assert "sigmoid" in text and "8/8" in text
    else:
        assert _strict_json(text)["score"] == 8


def test_report_file_forged_by_learner_code_is_replaced_by_the_real_one(tmp_path: Path, sigmoid: Exercise,
                                                                        capsys: pytest.CaptureFixture) -> None:
    """Gradescope reads results.json: learner code that writes one there must not decide the grade."""
    ws = Workspace.init(tmp_path / "ws")
    out = tmp_path / "autograder" / "results" / "results.json"
    fake = json.dumps({"score": 100, "tests": [{"name": "all", "score": 100, "max_score": 100,
                                                "status": "passed"}]})
    ws.file_for(sigmoid).write_text(
        "from pathlib import Path\n"
        f"_out = Path({str(out)!r})\n"
        "_out.parent.mkdir(parents=True, exist_ok=True)\n"
        f"_out.write_text({fake!r})\n"
        "def sigmoid(x):\n"
        f"    _out.write_text({fake!r})\n"
        "    return x\n"
        "sigmoid_grad = sigmoid\n", encoding="utf-8")
    assert main(["grade", "sigmoid", "--format", "gradescope", "--out", str(out), "--workspace", str(ws.root)]) == 1
    results = _strict_json(out.read_text())
    assert results["score"] == 0
    assert all(t["status"] == "failed" for t in results["tests"])


# -- reset and locating the workspace ----------------------------------------------------------


def test_reset_restores_the_starter_and_keeps_a_backup(tmp_path: Path, sigmoid: Exercise,
                                                       capsys: pytest.CaptureFixture) -> None:
    ws = Workspace.init(tmp_path / "ws")
    mine = "# my attempt\nimport numpy as np\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n"
    ws.file_for(sigmoid).write_text(mine, encoding="utf-8")
    assert main(["reset", "sigmoid", "--workspace", str(ws.root)]) == 0
    assert ws.file_for(sigmoid).read_bytes() == sigmoid.starter_path.read_bytes()
    out = squash(capsys.readouterr().out)
    backups = [p for p in ws.backups_dir.rglob("*") if p.is_file()]
    assert [p.read_text(encoding="utf-8") for p in backups] == [mine]
    assert squash(str(backups[0])) in out  # the learner is told where their version went


def test_reset_of_an_unknown_id_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    ws = Workspace.init(tmp_path / "ws")
    assert main(["reset", "nope", "--workspace", str(ws.root)]) == 2
    assert "unknown exercise id(s): nope" in " ".join(capsys.readouterr().err.split())
    assert not ws.backups_dir.exists()


def test_workspace_is_found_from_the_current_folder(solutions_ws: Workspace, monkeypatch: pytest.MonkeyPatch,
                                                    sigmoid: Exercise, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(solutions_ws.file_for(sigmoid).parent)  # inside the workspace, one folder down
    assert main(["grade", "sigmoid", "--format", "json"]) == 0
    assert _strict_json(capsys.readouterr().out)["workspace"] == str(solutions_ws.root)


@pytest.mark.parametrize("where", ["before", "after"])
def test_workspace_flag_before_or_after_the_command(where: str, solutions_ws: Workspace, starter_ws: Workspace,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(starter_ws.root)  # --workspace wins over the current folder
    flag = ["--workspace", str(solutions_ws.root)]
    argv = [*flag, "grade", "sigmoid", "--format", "json"] if where == "before" else [
        "grade", "sigmoid", "--format", "json", *flag]
    assert main(argv) == 0
    assert _strict_json(capsys.readouterr().out)["workspace"] == str(solutions_ws.root)


def test_time_limit_caps_a_looping_exercise(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    ws = Workspace.init(tmp_path / "ws", solutions=True)
    (ws.root / "graphs" / "sigmoid.py").write_text("def sigmoid(x):\n    while True:\n        pass\n")
    import time

    started = time.monotonic()
    code = main(["grade", "sigmoid", "--workspace", str(ws.root), "--format", "json", "--time-limit", "1"])
    assert time.monotonic() - started < 6  # not the exercise's own 20 s
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["exercises"][0]["status"] == "timeout"
    assert "time limit of 1 s" in report["exercises"][0]["error"]
