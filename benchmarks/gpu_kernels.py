"""Times every CUDA exercise's reference solution against the course's reference kernels on a real GPU:
`python benchmarks/gpu_kernels.py [--repeats N] [--json]`.

Each row is one kernel launch sequence of a solution wrapper (e.g. `softmax_cuda: softmax_rows_kernel`),
re-run on device copies of its arguments (no transfers), median of --repeats runs after a warm-up, timed
with CUDA events; the reference kernels are those in exercises/07-gpu-kernels/_shared/cuda_reference.py,
which the grader also times learner kernels against on a GPU. The solution's output is compared with the
grader's float64 reference first (the `ok` column).

Without a GPU it says so and exits 0. `--sim` runs everything in Numba's CUDA simulator on tiny inputs, as
a smoke test (the simulator records no times: the time columns read n/a).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT / "exercises" / "07-gpu-kernels" / "_shared"


@dataclass(frozen=True)
class Case:
    exercise: str
    wrapper: str
    kernels: tuple[str, ...]
    reference: str  # a key of REFERENCE_LAUNCHES
    args: Callable[[np.random.Generator, bool], list]  # (rng, sim) -> the wrapper's arguments, on the host
    expected: Callable[..., object]  # the grader's float64 reference for the same arguments (arrays: one vector)
    # For a wrapper that takes device arrays and updates them in place (Adam): the arguments it is called with,
    # made afresh from the host ones for every call, and its result read back from them after the call.
    on_device: Callable[[list], list] | None = None
    result: Callable[[list], object] | None = None


def _flat(values: object) -> np.ndarray:
    """A tuple of outputs (U, Y), (dx, dw, db), (w, m, v)... as one flat vector; a single array as it is."""
    if isinstance(values, tuple | list):
        return np.concatenate([np.ravel(v) for v in values])
    return np.asarray(values)


def _cases() -> list[Case]:
    from grader import reference as ref
    from grader import reference_conv as conv
    from grader import reference_deepnets as deep
    from grader import reference_gpu as gpu
    from grader import reference_optim as optim

    def sized(gpu_shape, sim_shape):
        return lambda rng, sim: [rng.standard_normal(sim_shape if sim else gpu_shape)]

    def softmax_args(rng, sim):
        shape = (3, 70) if sim else (4096, 1000)
        return [ref.softmax(rng.standard_normal(shape)), rng.standard_normal(shape)]

    def conv_args(rng, sim):
        x, w = ((1, 2, 7, 9), (2, 2, 3, 3)) if sim else ((8, 16, 64, 64), (32, 16, 3, 3))
        return [rng.standard_normal(x), rng.standard_normal(w), rng.standard_normal(w[0]), 1, 1, 1]

    def conv_back_args(rng, sim):
        x, w = ((1, 2, 7, 9), (2, 2, 3, 3)) if sim else ((8, 16, 64, 64), (32, 16, 3, 3))
        x, w = rng.standard_normal(x), rng.standard_normal(w)
        return [rng.standard_normal(conv.conv2d_output_shape(x.shape, w.shape, 1, 1, 1)), x, w, 1, 1, 1]

    def pool_args(rng, sim):
        x = rng.standard_normal((1, 2, 7, 9) if sim else (16, 32, 64, 64))
        return [x, 3, 2]

    def pool_back_args(rng, sim):
        x = rng.standard_normal((1, 2, 7, 9) if sim else (16, 32, 64, 64))
        return [rng.standard_normal(conv.pool_output_shape(x.shape, 3, 2)), x, 3, 2]

    def matmul_args(rng, sim):
        n, k, m = (9, 17, 5) if sim else (1024, 1000, 1030)
        return [rng.standard_normal((n, k)), rng.standard_normal((k, m))]

    def bilinear_args(rng, sim):
        g, i, j, k = (2, 5, 7, 3) if sim else (32, 200, 300, 96)
        return [rng.standard_normal((g, i, k)), rng.standard_normal((g, j, k))]

    def bilinear_back_args(rng, sim):
        A, B = bilinear_args(rng, sim)
        U, _ = deep.bilinear_sigmoid_forward(A, B)
        return [A, B, U, rng.standard_normal(U.shape)]

    def adam_args(rng, sim):
        n = 70 if sim else 5_000_011
        # w, g, m, v (nonzero moments, as in the middle of a run), lr, beta1, beta2, eps, t
        return [rng.standard_normal(n), rng.standard_normal(n), 0.1 * rng.standard_normal(n),
                0.1 * rng.uniform(0.0, 1.0, n), 0.01, 0.9, 0.999, 1e-8, 3]

    def adam_on_device(args):
        from numba import cuda

        return [cuda.to_device(a) if isinstance(a, np.ndarray) else a for a in args]

    def bn_args(rng, sim):
        n, c = (11, 6) if sim else (4096, 2048)
        return [rng.normal(0.5, 2.0, (n, c)), rng.uniform(0.5, 1.5, c), rng.standard_normal(c), 1e-5]

    def bn_back_args(rng, sim):
        x, gamma, _, eps = bn_args(rng, sim)
        return [rng.standard_normal(x.shape), x, gamma, eps]

    return [
        Case("minibatch-affine", "matmul_cuda", ("matmul_kernel",), "matmul", matmul_args, ref.matmul),
        Case("elu-grid-stride-cuda", "elu_forward_cuda", ("elu_forward_kernel",), "elu_forward",
             sized((1 << 22,), (300,)), gpu.elu),
        Case("elu-grid-stride-cuda", "elu_backward_cuda", ("elu_backward_kernel",), "elu_backward",
             lambda rng, sim: [rng.standard_normal(300 if sim else 1 << 22) for _ in range(2)], gpu.elu_backward),
        Case("softmax-rows-cuda", "softmax_cuda", ("softmax_rows_kernel",), "softmax",
             sized((4096, 1000), (3, 70)), ref.softmax),
        Case("softmax-rows-cuda", "softmax_backward_cuda", ("softmax_backward_kernel",), "softmax_backward",
             softmax_args, ref.softmax_backward),
        Case("conv2d-forward-cuda", "conv2d_forward_cuda", ("conv2d_forward_kernel",), "conv2d_forward", conv_args,
             conv.conv2d_forward),
        Case("conv2d-backward-atomic-cuda", "conv2d_backward_cuda", ("conv2d_input_grad_kernel",
             "conv2d_weight_grad_kernel", "conv2d_bias_grad_kernel"), "conv2d_backward", conv_back_args,
             lambda *a: np.concatenate([g.ravel() for g in conv.conv2d_backward(*a)])),
        Case("maxpool-backward-atomic-cuda", "maxpool_forward_cuda", ("maxpool_forward_kernel",), "maxpool_forward",
             pool_args, conv.maxpool_forward),
        Case("maxpool-backward-atomic-cuda", "maxpool_backward_cuda", ("maxpool_backward_kernel",),
             "maxpool_backward", pool_back_args, conv.maxpool_backward),
        Case("bilinear-loops-njit", "bilinear_forward_cuda", ("bilinear_forward_kernel",), "bilinear_forward",
             bilinear_args, deep.bilinear_sigmoid_forward),
        Case("bilinear-loops-njit", "bilinear_backward_cuda", ("sigmoid_backward_kernel", "grad_a_kernel",
             "grad_b_kernel"), "bilinear_backward", bilinear_back_args,
             lambda *a: deep.bilinear_sigmoid_backward(*a)[:2]),  # (A_grad, B_grad); the wrapper keeps U_grad
        # In place: the timed re-runs keep stepping the same device arrays (solution and reference alike);
        # the drifting state leaves the time of a branch-free elementwise kernel as it is.
        Case("adam-fused-kernels", "adam_update_cuda", ("adam_kernel",), "adam", adam_args,
             lambda w, g, m, v, *hyper: optim.adam_step(w, m, v, g, *hyper), on_device=adam_on_device,
             result=lambda a: tuple(a[k].copy_to_host() for k in (0, 2, 3))),  # w, m, v after the step
        Case("batchnorm-kernels", "bn_forward_cuda", ("channel_stats_kernel", "normalize_kernel"), "bn_forward",
             bn_args, lambda *a: optim.batchnorm_train(*a)[:3]),  # (y, mean, var); the solution keeps x̂
        Case("batchnorm-kernels", "bn_backward_cuda", ("channel_stats_kernel", "channel_grad_sums_kernel",
             "bn_dx_kernel"), "bn_backward", bn_back_args, optim.batchnorm_backward),
    ]


def _probe() -> types.ModuleType:
    """The grader's timing probe (the reference kernels and the harness), loaded the way the engine joins it."""
    module = types.ModuleType("gradschool_cuda_probe")
    source = "\n\n".join((SHARED / name).read_text(encoding="utf-8") for name in ("cuda_reference.py",
                                                                                     "cuda_probe.py"))
    exec(compile(source, str(SHARED / "cuda_probe.py"), "exec"), module.__dict__)
    return module


def _solution(exercise_id: str) -> types.ModuleType:
    from grader.catalog import default_catalog

    (exercise,) = default_catalog().select([exercise_id])
    spec = importlib.util.spec_from_file_location(f"solution_{exercise.file_name[:-3]}", exercise.solution_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cell(value: float | None, fmt: str) -> str:
    return format(value, fmt) if value is not None else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sim", action="store_true", help="run in Numba's CUDA simulator (tiny inputs, no times)")
    parser.add_argument("--repeats", type=int, default=20, help="timed runs per kernel after a warm-up (median)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)

    from grader.sandbox import cuda_device_label, cuda_mode

    if args.sim:
        os.environ["NUMBA_ENABLE_CUDASIM"] = "1"  # before numba.cuda is imported
    elif cuda_mode() != "gpu":
        print("No GPU found (no /dev/nvidia0 or nvidia-smi): nothing to time. "
              "`python benchmarks/gpu_kernels.py --sim` runs a smoke test in the CUDA simulator.")
        return 0
    device = "CUDA simulator" if args.sim else cuda_device_label("gpu")
    probe = _probe()
    rng = np.random.default_rng(0)
    repeats = 1 if args.sim else max(1, args.repeats)
    rows = []
    for case in _cases():
        module = _solution(case.exercise)
        inputs = case.args(rng, args.sim)
        call_args = case.on_device(inputs) if case.on_device else inputs
        got = getattr(module, case.wrapper)(*call_args)
        got = _flat(case.result(call_args) if case.result else got)
        expected = _flat(case.expected(*inputs))
        ok = bool(np.shape(got) == np.shape(expected) and np.allclose(got, expected, rtol=1e-6, atol=1e-6))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the simulator warns that its timings are bogus
            timed_args = case.on_device(inputs) if case.on_device else inputs  # in place: a fresh state
            (timing,) = probe.time_against_reference(module, list(case.kernels), case.wrapper, timed_args,
                                                     case.reference, repeats)
        solution_ms, reference_ms = timing["learner_ms"], timing["reference_ms"]
        timed = not args.sim and reference_ms > 0
        rows.append({"exercise": case.exercise, "kernel": timing["kernel"], "ok": ok,
                     "shapes": [list(np.shape(a)) for a in inputs if isinstance(a, np.ndarray)],
                     "solution_ms": solution_ms if timed else None, "reference_ms": reference_ms if timed else None,
                     "ratio": solution_ms / reference_ms if timed else None})
    if args.json:
        print(json.dumps({"device": device, "repeats": repeats, "rows": rows}, indent=2))
    else:
        print(f"device: {device}; median of {repeats} run(s) after a warm-up; ratio = solution / reference")
        print(f"{'exercise':30} {'kernel':48} {'ok':>3} {'solution ms':>12} {'reference ms':>13} {'ratio':>7}")
        for r in rows:
            mine, theirs, ratio = (_cell(r[k], f) for k, f in (("solution_ms", ".4f"), ("reference_ms", ".4f"),
                                                                  ("ratio", ".2f")))
            print(f"{r['exercise']:30} {r['kernel'][:48]:48} {'yes' if r['ok'] else 'NO':>3} "
                  f"{mine:>12} {theirs:>13} {ratio:>7}")
        if args.sim:
            print("(CUDA simulator: no times; run on a machine with a GPU for the figures)")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
