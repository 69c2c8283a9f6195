"""`gradschool grade-batch`: a class of submissions, hostile ones among them, graded into a CSV, one JSON report
per learner and a class summary; the correct learner's marks do not depend on anyone else."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest

from grader.batch import grade_batch
from grader.catalog import Exercise
from grader.workspace import Workspace
from tutor.cli import main

SEGFAULT = "import ctypes\ndef sigmoid(x):\n    return ctypes.string_at(0)\nsigmoid_grad = sigmoid\n"
EXITS = "import os\ndef sigmoid(x):\n    os._exit(0)\nsigmoid_grad = sigmoid\n"
LOOPS = "def sigmoid(x):\n    while True:\n        pass\nsigmoid_grad = sigmoid\n"


def _forger(out: Path) -> str:
    """Learner code that knows where the instructor's reports go and rewrites them while it is graded."""
    fake = {"score": 8, "max_score": 8, "passed": True, "exercises": []}
    return (
        "import json\nfrom pathlib import Path\n"
        f"_out = Path({str(out)!r})\n"
        "def _forge():\n"
        "    (_out / 'reports').mkdir(parents=True, exist_ok=True)\n"
        f"    fake = json.dumps({fake!r})\n"
        "    for name in ('alice.json', 'erin.json', 'mallory.json'):\n"
        "        (_out / 'reports' / name).write_text(fake)\n"
        "    (_out / 'grades.csv').write_text('learner,sigmoid,total,max_total\\nmallory,8,8,8\\n')\n"
        "    (_out / 'summary.json').write_text(fake)\n"
        "_forge()\n"
        "def sigmoid(x):\n"
        "    _forge()\n"
        "    return x\n"
        "sigmoid_grad = sigmoid\n"
    )


def _bare(folder: Path, exercise: Exercise, text: str) -> None:
    """A submission without workspace metadata: just the learner's file at its path."""
    path = folder / exercise.file
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclasses.dataclass
class Batch:
    exit_code: int
    out: Path
    submissions: Path
    rows: dict[str, dict[str, str]]
    header: list[str]
    summary: dict
    before: dict[str, dict[str, bytes]]


PASSING = {"alice", "erin"}  # the learners whose code is correct, by construction


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, sigmoid: Exercise) -> Batch:
    root = tmp_path_factory.mktemp("batch")
    subs, out = root / "submissions", root / "out"
    solution = sigmoid.solution_path.read_text(encoding="utf-8")
    Workspace.init(subs / "alice", solutions=True)  # correct, a full workspace
    Workspace.init(subs / "bob")  # untouched starters
    Workspace.init(subs / "gina")  # untouched starters
    _bare(subs / "carol", sigmoid, SEGFAULT)
    _bare(subs / "dave", sigmoid, EXITS)
    _bare(subs / "erin" / "erin-submission-main", sigmoid, solution)  # unzipped: one folder down
    (subs / "frank").mkdir()  # submitted nothing
    _bare(subs / "mallory", sigmoid, _forger(out))
    before = {learner.name: _snapshot(learner) for learner in subs.iterdir()}
    code = main(["grade-batch", str(subs), "sigmoid", "--out", str(out), "--jobs", "1"])
    with (out / "grades.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = {row[0]: dict(zip(header, row, strict=True)) for row in reader}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return Batch(code, out, subs, rows, header, summary, before)


LEARNERS = ["alice", "bob", "carol", "dave", "erin", "frank", "gina", "mallory"]


def test_grades_csv_has_a_row_per_learner_and_a_column_per_exercise(batch: Batch) -> None:
    assert batch.header[0] == "learner"
    assert "sigmoid" in batch.header and "total" in batch.header
    assert sorted(batch.rows) == LEARNERS
    for learner, row in batch.rows.items():
        expected = 8.0 if learner in PASSING else 0.0
        assert float(row["sigmoid"]) == expected, (learner, row)
        assert float(row["total"]) == expected, (learner, row)


def test_correct_learners_get_full_marks_next_to_hostile_ones(batch: Batch) -> None:
    for learner in PASSING:
        report = json.loads((batch.out / "reports" / f"{learner}.json").read_text())
        assert [(e["id"], e["score"], e["passed"]) for e in report.get("exercises", [])] == [
            ("sigmoid", 8, True)], (learner, report)
        assert report["score"] == report["max_score"] == 8, learner


def test_a_report_per_learner_that_says_what_happened(batch: Batch) -> None:
    reports = {p.stem: json.loads(p.read_text()) for p in (batch.out / "reports").glob("*.json")}
    assert sorted(reports) == LEARNERS
    error = {name: reports[name]["exercises"][0]["error"] or "" for name in ("carol", "dave", "frank")}
    assert "segmentation fault" in error["carol"]
    assert "exit code 0" in error["dave"]
    assert "no exercise files found" in error["frank"]
    assert reports["bob"]["exercises"][0]["status"] == "not_implemented"
    assert reports["mallory"]["score"] == 0 and reports["mallory"]["exercises"][0]["passed"] is False


def test_summary_has_pass_rates_and_the_most_common_mistakes(batch: Batch, sigmoid: Exercise) -> None:
    assert batch.summary["learners"] == len(LEARNERS)
    (row,) = batch.summary["exercises"]
    assert row["id"] == "sigmoid"
    assert row["passed"] == len(PASSING)
    assert row["pass_rate"] == pytest.approx(len(PASSING) / len(LEARNERS), abs=1e-4)
    mistakes = row["common_mistakes"]
    counts = [m["count"] for m in mistakes]
    assert counts == sorted(counts, reverse=True) and all(c >= 1 for c in counts)
    # bob and gina left the starter untouched and frank sent nothing: not started, not a mistake
    assert row["not_started"] == 3
    assert not any("not_implemented" in m["mistake"] for m in mistakes)
    named = " | ".join(m["mistake"] for m in mistakes)
    assert "segmentation fault" in named and "exit code 0" in named  # carol's and dave's crashes


def test_exit_code_says_not_everyone_passed(batch: Batch) -> None:
    assert batch.exit_code == 1


def test_submissions_are_read_never_written(batch: Batch) -> None:
    """Except by the hostile learner's own code, nothing is added to or changed in a submission."""
    for learner, files in batch.before.items():
        assert _snapshot(batch.submissions / learner) == files, learner


def test_a_time_limit_stops_an_infinite_loop_without_holding_up_the_class(tmp_path: Path,
                                                                          sigmoid: Exercise) -> None:
    fast = dataclasses.replace(sigmoid, time_limit=4)
    subs = tmp_path / "subs"
    Workspace.init(subs / "alice", solutions=True)
    _bare(subs / "lou", sigmoid, LOOPS)
    summary = grade_batch(subs, tmp_path / "out", [fast], jobs=2)
    reports = {p.stem: json.loads(p.read_text()) for p in (tmp_path / "out" / "reports").glob("*.json")}
    assert reports["alice"]["score"] == 8
    assert reports["lou"]["score"] == 0 and "time limit" in reports["lou"]["exercises"][0]["error"]
    assert reports["lou"]["exercises"][0]["duration_s"] < 4 + 4
    assert summary.learners == 2 and not summary.all_passed


def test_batch_of_an_empty_class(tmp_path: Path, sigmoid: Exercise) -> None:
    (tmp_path / "subs").mkdir()
    summary = grade_batch(tmp_path / "subs", tmp_path / "out", [sigmoid], jobs=1)
    assert summary.learners == 0
    assert (tmp_path / "out" / "grades.csv").read_text().splitlines()[0].startswith("learner,sigmoid")
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["exercises"][0]["pass_rate"] == 0.0


def test_batch_refuses_a_missing_submissions_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["grade-batch", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert "is not a folder of submissions" in " ".join(capsys.readouterr().err.split())


def test_exercise_ids_may_follow_the_options(tmp_path: Path, sigmoid: Exercise) -> None:
    """`grade-batch SUBMISSIONS --out DIR ID` (ids last, as with `grade`) grades just that exercise."""
    subs = tmp_path / "subs"
    Workspace.init(subs / "alice", solutions=True)
    assert main(["grade-batch", str(subs), "--out", str(tmp_path / "out"), "--jobs", "1", "sigmoid"]) == 0
    with (tmp_path / "out" / "grades.csv").open(newline="") as handle:
        assert next(csv.reader(handle)) == ["learner", "sigmoid", "total", "max_total"]


def test_official_batch_grades_every_learner_on_the_same_hidden_cases(tmp_path: Path, sigmoid: Exercise,
                                                                      monkeypatch) -> None:
    from grader import engine

    monkeypatch.delenv("GRADSCHOOL_OFFICIAL_SEED", raising=False)
    engine.official_seed.cache_clear()
    seeds: list[int] = []
    real = engine.stable_seed
    monkeypatch.setattr(engine, "stable_seed", lambda *parts: seeds.append(parts[-1]) or real(*parts))
    subs = tmp_path / "subs"
    for learner in ("ana", "ben", "cleo"):
        Workspace.init(subs / learner, solutions=True)
    summary = grade_batch(subs, tmp_path / "out", [sigmoid], jobs=2, official=True)
    assert summary.all_passed
    assert len(seeds) >= 3 and len(set(seeds)) == 1  # one hidden seed for the whole class
    written = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert written["official_seed"] == seeds[0]
    assert "official_seed" not in (tmp_path / "out" / "reports" / "ana.json").read_text()
    engine.official_seed.cache_clear()
