"""The CUDA target says where it ran ("CUDA simulator" or "GPU <name>") in every CUDA check's result, in the
text and JSON reports, and records kernel timings on a GPU (notes say why there are none in the simulator)."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from rich.console import Console

from grader import sandbox
from grader.checklib import CheckContext
from grader.formats import to_json
from grader.formats.text import print_report
from grader.results import CheckResult, ExerciseResult, GradeReport


def _ctx() -> CheckContext:
    return CheckContext("demo", "demo check", "cuda", False, 0)


def test_device_label_names_the_simulator_or_the_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sandbox.cuda_device_label("sim") == "CUDA simulator"
    monkeypatch.setattr(sandbox, "_gpu_name", lambda: "NVIDIA H100 80GB HBM3")
    assert sandbox.cuda_device_label("gpu") == "GPU NVIDIA H100 80GB HBM3"
    monkeypatch.setenv("GRADSCHOOL_CUDA", "sim")
    assert sandbox.cuda_device_label() == "CUDA simulator"


def test_kernel_times_in_the_simulator_add_one_note_and_no_timing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADSCHOOL_CUDA", "sim")
    ctx = _ctx()
    assert ctx.kernel_times([{"kernel": "k", "learner_ms": 1.0, "reference_ms": 1.0}]) == []
    ctx.kernel_times(None)
    assert ctx.timings == [] and len(ctx.notes) == 1 and "CUDA simulator" in ctx.notes[0]


def test_kernel_times_on_a_gpu_keep_valid_rows_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADSCHOOL_CUDA", "gpu")
    ctx = _ctx()
    rows = ctx.kernel_times([{"kernel": "elu", "learner_ms": 0.3, "reference_ms": 0.1},
                             {"kernel": "bad", "learner_ms": float("nan"), "reference_ms": 1.0},
                             {"kernel": "neg", "learner_ms": -1.0, "reference_ms": 1.0}, "garbage"])
    assert rows == ctx.timings == [{"kernel": "elu", "learner_ms": 0.3, "reference_ms": 0.1,
                                    "ratio": pytest.approx(3.0)}]
    assert "3.00x" in ctx.notes[0]
    other = _ctx()
    other.kernel_times("not a list")
    assert other.timings == [] and "could not be measured" in other.notes[0]


def _report(device: str, notes: list[str]) -> GradeReport:
    checks = [CheckResult("numpy check", True, "passed", 1, 1, "numpy"),
              CheckResult("cuda check", True, "passed", 1, 1, "cuda", device=device, notes=notes,
                          timings=[{"kernel": "k", "learner_ms": 2.0, "reference_ms": 1.0, "ratio": 2.0}])]
    return GradeReport([ExerciseResult("demo", "Demo", 2, 2, True, checks)])


def test_text_and_json_reports_show_the_device_and_the_notes() -> None:
    report = _report("GPU NVIDIA H100", ["k: 2.0000 ms, reference 1.0000 ms (2.00x the reference's time)"])
    out = io.StringIO()
    print_report(report, Console(file=out, width=120), verbose=True)
    text = out.getvalue()
    assert "CUDA checks ran on: GPU NVIDIA H100" in text and "2.00x the reference" in text
    data = json.loads(to_json(report))
    numpy_check, cuda_check = data["exercises"][0]["checks"]
    assert numpy_check["device"] == "" and cuda_check["device"] == "GPU NVIDIA H100"
    assert cuda_check["timings"][0]["ratio"] == 2.0 and cuda_check["notes"]
    again = ExerciseResult.from_dict(data["exercises"][0])  # the progress store reads reports back
    assert again.checks[1].device == "GPU NVIDIA H100" and again.checks[1].timings == cuda_check["timings"]


def test_a_graded_cuda_exercise_says_it_ran_in_the_simulator(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from grader.engine import grade_workspace
    from grader.workspace import Workspace

    monkeypatch.setenv("GRADSCHOOL_CUDA", "sim")
    ws = Workspace.init(tmp_path / "ws", solutions=True)
    (result,) = grade_workspace(ws, ws.catalog.select(["elu-grid-stride-cuda"]), record=False).exercises
    assert result.passed, [(c.name, c.message) for c in result.checks if not c.passed]
    assert {c.device for c in result.checks} == {"CUDA simulator"}
    notes = [n for c in result.checks for n in c.notes]
    assert notes == ["kernel times not measured: the kernels ran in the CUDA simulator (no GPU), whose times say "
                     "nothing about a GPU"]
    assert all(c.timings == [] for c in result.checks)
    assert np.isfinite(result.duration_s)


def test_cudacheck_reads_atomics_and_races_from_the_source() -> None:
    from grader.cudacheck import calls_in, kernel_problem, subscript_updates, with_helpers

    source = '''
from numba import cuda

@cuda.jit(device=True)
def _add(dx, r, v):
    dx[r] += v

@cuda.jit
def racy(dy, dx):
    k = cuda.grid(1)
    local = cuda.local.array(4, float64)
    local[0] += 1.0
    _add(dx, k, dy[k])
    dx[k] = dx[k] + dy[k]

@cuda.jit
def atomic(dy, dx):
    k = cuda.grid(1)
    cuda.atomic.add(dx, k, dy[k])

def empty(x):
    pass
'''
    racy = with_helpers(source, "racy")
    assert [f.name for f in racy] == ["racy", "_add"]
    assert [u for f in racy for u in subscript_updates(f)] == ["dx[k] = dx[k] + dy[k]", "dx[r] += v"]
    (atomic,) = with_helpers(source, "atomic")
    assert subscript_updates(atomic) == [] and "cuda.atomic.add" in calls_in(atomic)
    assert kernel_problem(source, "atomic") is None
    assert kernel_problem(source, "empty")[1] == "cuda"  # not @cuda.jit
    assert kernel_problem(source, "missing")[1] == "shape"
    assert kernel_problem("def (", "atomic")[1] == "syntax"
