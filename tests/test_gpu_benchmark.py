"""benchmarks/gpu_kernels.py: without a GPU it says so and exits 0; --sim runs every CUDA exercise's solution
and the reference kernels through the timing harness in the CUDA simulator (a smoke test of the GPU path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "gpu_kernels.py"


def _run(*args: str, cuda: str = "sim") -> subprocess.CompletedProcess:
    env = {**os.environ, "GRADSCHOOL_CUDA": cuda}
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_without_a_gpu_it_says_so_and_exits_0() -> None:
    done = _run()
    assert done.returncode == 0, done.stderr
    assert "No GPU found" in done.stdout and "--sim" in done.stdout


def test_sim_mode_runs_every_cuda_exercise_solution_and_checks_its_values() -> None:
    from grader.catalog import default_catalog

    done = _run("--sim", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["device"] == "CUDA simulator"
    cuda_ids = {e.id for e in default_catalog() if "cuda" in e.targets}
    assert {r["exercise"] for r in report["rows"]} == cuda_ids
    assert all(r["ok"] for r in report["rows"])
    assert all(r["solution_ms"] is None and r["ratio"] is None for r in report["rows"])  # the simulator has no times
