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


# Where each reference launch sequence leaves its result: [(launch index, argument index)], in the order of the
# solution wrapper's outputs (as the benchmark flattens them).
REFERENCE_OUTPUTS = {
    "matmul": [(0, 2)], "elu_forward": [(0, 2)], "elu_backward": [(0, 3)], "softmax": [(0, 1)],
    "softmax_backward": [(0, 2)], "conv2d_forward": [(0, 3)], "conv2d_backward": [(0, 2), (1, 2), (2, 1)],
    "maxpool_forward": [(0, 1)], "maxpool_backward": [(0, 2)], "bilinear_forward": [(0, 2), (0, 3)],
    "bilinear_backward": [(1, 2), (2, 2)], "adam": [(0, 0), (0, 2), (0, 3)], "bn_forward": [(1, 6), (0, 1), (0, 2)],
    "bn_backward": [(2, 8), (1, 5), (1, 6)],
}

_CHECK_REFERENCES = """
import importlib.util, json, sys
import numpy as np
spec = importlib.util.spec_from_file_location("gpu_kernels", sys.argv[1])
bench = sys.modules["gpu_kernels"] = importlib.util.module_from_spec(spec)  # dataclasses look it up
spec.loader.exec_module(bench)
outputs = json.loads(sys.argv[2])
probe = bench._probe()
rng = np.random.default_rng(1)
bad = []
for case in bench._cases():
    inputs = case.args(rng, True)
    launches = probe.REFERENCE_LAUNCHES[case.reference](*(case.on_device(inputs) if case.on_device else inputs))
    for kernel, config, args in launches:  # once, in order, as the timing harness runs them
        kernel[config](*args)
    got = bench._flat(tuple(launches[k][2][a].copy_to_host() for k, a in outputs[case.reference]))
    expected = np.ravel(bench._flat(case.expected(*inputs)))  # the outputs' shapes are the solutions' business
    if got.shape != expected.shape or not np.allclose(got, expected, rtol=1e-6, atol=1e-6):
        bad.append(case.reference)
print(json.dumps({"wrong": bad, "launches": sorted(probe.REFERENCE_LAUNCHES),
                  "benchmarked": sorted({c.reference for c in bench._cases()})}))
"""


def test_every_reference_kernel_computes_the_graders_values_in_the_simulator() -> None:
    """The reference kernels the solutions are timed against: run once in the simulator on the benchmark's tiny
    inputs, each result against the grader's float64 reference (the benchmark itself checks only the solutions)."""
    env = {**os.environ, "NUMBA_ENABLE_CUDASIM": "1"}
    done = subprocess.run([sys.executable, "-c", _CHECK_REFERENCES, str(SCRIPT), json.dumps(REFERENCE_OUTPUTS)],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["launches"] == sorted(REFERENCE_OUTPUTS) == report["benchmarked"]
    assert report["wrong"] == []
