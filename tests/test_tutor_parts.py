"""The tutor's parts on their own: figures (drawn, and attached by gradcheck and the graph walk), drafts and
atomic writes, the quiz parser, progress statistics, the grading process and `gradschool serve`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from grader import graphwalk as gw
from grader.checklib import CheckContext, active_context
from grader.progress import ProgressStore
from grader.results import ExerciseResult
from tutor.drafts import MISSING, DraftStore, atomic_write, digest
from tutor.figures import render_figure
from tutor.widgets.quiz_form import parse_quiz, with_answers

ROOT = Path(__file__).resolve().parent.parent


def drawn(figure: dict, width: int = 60) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(render_figure(figure))
    return console.export_text()


# -- figures ------------------------------------------------------------------------------------------

def test_line_plot_draws_each_series_with_range_and_legend() -> None:
    text = drawn({"kind": "line", "title": "loss", "x_label": "step", "y_label": "loss", "log_y": False,
                  "series": {"train": [4.0, 2.0, 1.0, 0.5], "path": [[0, 0], [1, 1], [2, 4]]}})
    lines = text.splitlines()
    assert lines[0] == "loss"
    assert "4 ┤" in text and "0 ┤" in text  # the y range
    assert any(ch in text for ch in "⠁⠂⠄⡀⢀⠈⠐⠠")  # braille dots were drawn
    assert "━━ train (last 0.5)" in text and "━━ path" in text and "step" in text


def test_line_plot_log_scale_and_empty_series() -> None:
    text = drawn({"kind": "line", "title": "t", "log_y": True, "series": {"a": [1e-6, 1e-3, 1.0]}})
    assert "1.00e-06" in text and "(log scale)" in text
    assert "nothing to draw" in drawn({"kind": "line", "title": "t", "series": {"a": [None, float("nan")]}})


def test_bars_mark_values_over_the_tolerance() -> None:
    text = drawn({"kind": "bars", "title": "gradient check", "labels": ["W", "b"], "values": [1e-9, 0.3],
                  "threshold": 1e-6, "log_x": True, "x_label": "relative error"})
    w_line = next(line for line in text.splitlines() if line.startswith("W "))
    b_line = next(line for line in text.splitlines() if line.startswith("b "))
    assert w_line.count("█") < b_line.count("█")
    assert "tolerance 1.00e-06" in text and "0.3" in b_line


def test_graph_marks_nodes_and_the_first_wrong_one() -> None:
    figure = {"kind": "graph", "title": "your computation graph", "phase": "backward",
              "nodes": [{"label": "Affine(x, P1.A, P1.b)", "ok": None, "first_wrong": False},
                        {"label": "Sigmoid(node 1)", "ok": False, "first_wrong": True},
                        {"label": "CrossEntropyLoss(node 2, y)", "ok": True, "first_wrong": False, "loss": True}],
              "edges": [[0, 1], [1, 2]]}
    text = drawn(figure)
    assert " · 1 Affine(x, P1.A, P1.b)" in text
    assert " ✗ 2 Sigmoid(node 1)  ◀ first wrong (backward)" in text
    assert " ✓ 3 CrossEntropyLoss(node 2, y)  (loss)" in text
    assert "not judged" in text


def test_unknown_figure_kind_shows_its_title() -> None:
    assert "histogram" in drawn({"kind": "histogram", "title": "histogram"})


def _ctx() -> CheckContext:
    return CheckContext("ex", "a check", "numpy", False, 0)


def test_gradcheck_attaches_one_bars_figure_per_check() -> None:
    ctx = _ctx()
    x, w = np.linspace(-1, 1, 5), np.linspace(0.5, 1.5, 3)

    def f(inputs):
        return float(np.sum(np.sin(inputs["x"])) + np.sum(inputs["w"] ** 2))

    ctx.gradcheck("d f", f, {"x": x, "w": w}, {"x": np.cos(x), "w": 2 * w})
    figure = ctx.figures[0]
    assert figure["kind"] == "bars" and figure["labels"] == ["x", "w"] and figure["threshold"] == 1e-6
    assert all(v < 1e-6 for v in figure["values"])
    ctx.gradcheck("d f again", f, {"x": x, "w": w}, {"x": np.cos(x), "w": 2 * w})
    assert len(ctx.figures) == 1 and ctx.figures[0]["labels"] == ["1: x", "1: w", "2: x", "2: w"]
    with pytest.raises(Exception, match="gradient of w"):
        ctx.gradcheck("wrong", f, {"x": x, "w": w}, {"x": np.cos(x), "w": -2 * w})
    assert ctx.figures[0]["values"][-1] > 1e-6, "a failing tensor's bar is kept on failure"
    json.dumps(ctx.figures)  # plain data


def _affine_sigmoid_dump(wrong_sigmoid: bool) -> dict:
    rng = np.random.default_rng(0)
    x, A, b = rng.standard_normal((3, 2)), rng.standard_normal((2, 4)), rng.standard_normal(4)
    h = x @ A + b
    s = 1 / (1 + np.exp(-np.clip(h, -10, 10)))
    G = rng.standard_normal((3, 4))
    to_h = G * s * (1 - s) * (-1 if wrong_sigmoid else 1)
    nodes = [
        {"kind": "Affine", "class": "Affine", "inputs": {"x": "x", "A": "P.A", "b": "P.b"}, "value": h,
         "grad": to_h, "sent": {"x": [to_h @ A.T], "A": [x[:, :, None] * to_h[:, None, :]], "b": [to_h]},
         "stray": []},
        {"kind": "Sigmoid", "class": "Sigmoid", "inputs": {"x": "#0"}, "value": s, "grad": G,
         "sent": {"x": [to_h]}, "stray": []},
    ]
    objects = {"x": {"kind": "input", "value": x, "grad": None},
               "P.A": {"kind": "parameter", "value": A, "grad": (x[:, :, None] * to_h[:, None, :]).sum(0)},
               "P.b": {"kind": "parameter", "value": b, "grad": to_h.sum(0)}}
    return {"nodes": nodes, "objects": objects, "registered": [True, True], "backward_order": [1, 0],
            "error": None}


def test_graph_figure_from_the_walk() -> None:
    dump = _affine_sigmoid_dump(wrong_sigmoid=True)
    finding = gw.walk(dump, figure=False)
    assert finding is not None and finding.node == 1
    figure = gw.graph_figure(dump, finding)
    assert [n["label"] for n in figure["nodes"]] == ["Affine(x, P.A, P.b)", "Sigmoid(node 1)"]
    assert [n["ok"] for n in figure["nodes"]] == [None, False]
    assert figure["nodes"][1]["first_wrong"] and figure["edges"] == [[0, 1]] and figure["phase"] == "backward"
    figure = gw.graph_figure(dump, None)
    assert [n["ok"] for n in figure["nodes"]] == [True, True]


def test_walk_attaches_the_graph_to_the_running_check() -> None:
    ctx = _ctx()
    assert active_context() is ctx
    gw.walk(_affine_sigmoid_dump(wrong_sigmoid=False))
    gw.walk(_affine_sigmoid_dump(wrong_sigmoid=True))
    graphs = [f for f in ctx.figures if f["kind"] == "graph"]
    assert len(graphs) == 1 and graphs[0]["nodes"][1]["first_wrong"], "one graph per check: the last walk's"
    json.dumps(ctx.figures)


# -- drafts and atomic writes --------------------------------------------------------------------------

def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "dir" / "f.py"
    atomic_write(target, "one\n")
    atomic_write(target, "two\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["f.py"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tutor.drafts

    target = tmp_path / "f.py"
    target.write_text("old\n")

    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(tutor.drafts.os, "replace", broken)
    with pytest.raises(OSError):
        atomic_write(target, "new\n")
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["f.py"]


def test_draft_store_round_trip(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    assert store.read("a/b.py") is None
    store.write("a/b.py", "text", digest("base"))
    draft = store.read("a/b.py")
    assert draft is not None and draft.text == "text" and draft.base == digest("base")
    store.discard("a/b.py")
    assert store.read("a/b.py") is None
    assert digest(None) == MISSING
    store.path_for("a/b.py").parent.mkdir(parents=True, exist_ok=True)
    store.path_for("a/b.py").write_text("{not json")
    assert store.read("a/b.py") is None, "a torn draft is ignored, never a crash"


# -- quizzes -------------------------------------------------------------------------------------------

def test_parse_the_course_quiz_and_write_answers_keeping_comments() -> None:
    quiz = next(ROOT.glob("exercises/*/*quiz-graphs/quiz_graphs.toml"), None)
    assert quiz is not None, "the chapter-1 quiz (quiz-graphs) is gone"
    source = quiz.read_text()
    questions = parse_quiz(source)
    assert [q.key for q in questions] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    assert [letter for letter, _ in questions[5].choices] == ["a", "b", "c", "d"]
    assert not questions[0].choices and "loss.grad" in questions[0].text
    out = with_answers(source, {"q1": "1/8", "q6": "b"})
    import tomllib

    assert tomllib.loads(out)["q1"] == "1/8" and tomllib.loads(out)["q6"] == "b"
    assert out.count("#") == source.count("#"), "comments are kept"
    assert parse_quiz(out)[0].answer == "1/8"


def test_with_answers_escapes_and_appends() -> None:
    out = with_answers('q1 = ""\n', {"q1": 'a "quoted" \\ value', "q2": "3"})
    import tomllib

    assert tomllib.loads(out) == {"q1": 'a "quoted" \\ value', "q2": "3"}


# -- progress statistics --------------------------------------------------------------------------------

def test_progress_stats_and_recent(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.sqlite")

    def result(score: float, passed: bool) -> ExerciseResult:
        return ExerciseResult("ex", "Ex", score, 2.0, passed)

    store.record(result(0.0, False), graded_at=100.0)
    store.record(result(1.0, False), graded_at=160.0)
    store.record(result(2.0, True), graded_at=400.0)
    store.record(result(1.0, False), graded_at=500.0)
    store.set_hints_seen("ex", 2)
    store.set_hints_seen("other", 1)
    stats = store.stats()
    ex = stats["ex"]
    assert (ex.attempts, ex.best_score, ex.first_at, ex.last_at, ex.passed_at, ex.attempts_to_pass,
            ex.hints_seen) == (4, 2.0, 100.0, 500.0, 400.0, 3, 2)
    assert stats["other"].attempts == 0 and stats["other"].hints_seen == 1
    recent = store.recent(2)
    assert [a.graded_at for a in recent] == [500.0, 400.0] and recent[1].passed


# -- the grading process and serve ------------------------------------------------------------------------

def test_grading_process_grades_and_can_be_stopped(solutions_ws, sigmoid) -> None:
    from tutor.grading import GradeProcess

    process = GradeProcess(solutions_ws.root)
    # The session workspace is shared with other tests of this worker: compare counts, not absolutes.
    attempts_before = solutions_ws.progress.get("sigmoid").attempts
    try:
        result = process(solutions_ws, sigmoid)
        assert result.passed and result.id == "sigmoid"
        assert any(f["kind"] == "bars" for c in result.checks for f in c.figures)
        assert solutions_ws.progress.get("sigmoid").attempts == attempts_before, "the tutor records, not the process"
    finally:
        process.stop()
    assert process._proc is None


def test_serve_runs_the_tutor_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import textual_serve.server

    import tutor.cli

    served = {}

    class FakeServer:
        def __init__(self, command, host, port, title, public_url):
            served.update(command=command, host=host, port=port)

        def serve(self):
            served["served"] = True

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    workspace = tmp_path / "ws"
    assert tutor.cli.main(["init", str(workspace)]) == 0
    assert tutor.cli.main(["--workspace", str(workspace), "serve", "--port", "8123"]) == 0
    assert served["served"] and served["port"] == 8123
    assert served["command"].endswith(f"-m tutor.cli --workspace {workspace.resolve()} tutor")


def test_the_tutor_process_never_imports_numba_before_grading(tmp_path: Path) -> None:
    """`python -X importtime` of the tutor's first screen: neither numba nor numpy nor the engine."""
    workspace = tmp_path / "ws"
    subprocess.run([sys.executable, "-m", "tutor.cli", "init", str(workspace)], check=True, capture_output=True)
    code = ("from pathlib import Path; from grader.workspace import Workspace; from tutor.app import GradschoolApp; "
            f"GradschoolApp(Workspace(Path({str(workspace)!r}))).run(headless=True, size=(100, 30))")
    ready = tmp_path / "ready"
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "GRADSCHOOL_READY_FILE": str(ready)}, cwd=ROOT)
    assert ready.exists(), out.stderr[-2000:]
    assert ready.read_text().split("\n")[1] == "", "numpy/numba/the engine were imported before the first screen"
    imported = {line.split("|")[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert "numba" not in imported and "numpy" not in imported and "grader.engine" not in imported
