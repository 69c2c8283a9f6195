"""conv2d forward + backward: the Numba reference kernel against PyTorch's CPU convolution and an
im2col NumPy implementation, all float64 on one thread. Run `python benchmarks/bench_conv.py`
(--json for machine output; --repeat N; --wall to time wall clock instead of CPU time).

PyTorch is optional (`pip install -e .[bench]`); without it that column is skipped. The reference
kernel is serial, so PyTorch and NumPy's BLAS are limited to one thread as well. Each implementation
is warmed up (compilation) and checked against the reference, then timed in round-robin order: the
median of --repeat runs of forward followed by backward (dx, dw, db). CPU time (process_time) is the
default because it is far less disturbed by other processes on a shared machine than wall time.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy/torch start their thread pools

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402

from grader import reference_conv as rc  # noqa: E402

# name, x shape (N, C, H, W), w shape (C_out, C, KH, KW), stride, padding, dilation
CASES = [
    ("3x3 pad 1, 16->32 ch, 32x32, N=8", (8, 16, 32, 32), (32, 16, 3, 3), 1, 1, 1),
    ("3x3 pad 1, 32->64 ch, 16x16, N=8", (8, 32, 16, 16), (64, 32, 3, 3), 1, 1, 1),
    ("5x5 pad 2, 3->16 ch, 32x32, N=16 (first layer)", (16, 3, 32, 32), (16, 3, 5, 5), 1, 2, 1),
    ("3x3 stride 2 pad 1, 16->32 ch, 32x32, N=8", (8, 16, 32, 32), (32, 16, 3, 3), 2, 1, 1),
    ("3x3 dilation 2 pad 2, 16->16 ch, 32x32, N=4", (4, 16, 32, 32), (16, 16, 3, 3), 1, 2, 2),
]


# --- im2col in NumPy: windows as columns, one BLAS product each way ----------------------------


def _windows(xp: np.ndarray, kh: int, kw: int, s: int, d: int, oh: int, ow: int) -> np.ndarray:
    # (N, C, oh, ow, kh, kw) view of the padded input; copied once by the reshape in im2col
    view = sliding_window_view(xp, (d * (kh - 1) + 1, d * (kw - 1) + 1), axis=(2, 3))
    return view[:, :, : s * (oh - 1) + 1 : s, : s * (ow - 1) + 1 : s, ::d, ::d]


def im2col_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, s: int, p: int, d: int):
    n, c, h, wd = x.shape
    co, _, kh, kw = w.shape
    oh, ow = rc.conv_output_size(h, kh, s, p, d), rc.conv_output_size(wd, kw, s, p, d)
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    cols = _windows(xp, kh, kw, s, d, oh, ow).transpose(1, 4, 5, 0, 2, 3).reshape(c * kh * kw, n * oh * ow)
    y = (w.reshape(co, -1) @ cols).reshape(co, n, oh, ow).transpose(1, 0, 2, 3) + b[None, :, None, None]
    return y, cols


def im2col_backward(dy: np.ndarray, cols: np.ndarray, x_shape, w: np.ndarray, s: int, p: int, d: int):
    n, c, h, wd = x_shape
    co, _, kh, kw = w.shape
    oh, ow = dy.shape[2], dy.shape[3]
    g = dy.transpose(1, 0, 2, 3).reshape(co, -1)
    dw = (g @ cols.T).reshape(w.shape)
    dcols = (w.reshape(co, -1).T @ g).reshape(c, kh, kw, n, oh, ow)
    dxp = np.zeros((n, c, h + 2 * p, wd + 2 * p))
    for a in range(kh):  # col2im: one strided slice-add per kernel tap
        for q in range(kw):
            dxp[:, :, a * d : a * d + s * (oh - 1) + 1 : s, q * d : q * d + s * (ow - 1) + 1 : s] += \
                dcols[:, a, q].transpose(1, 0, 2, 3)
    return dxp[:, :, p : p + h, p : p + wd], dw, g.sum(axis=1)


# --- timing ------------------------------------------------------------------------------------


def _implementations(x, w, b, dy, s, p, d) -> dict[str, Callable[[], tuple]]:
    def reference():
        return rc.conv2d_forward(x, w, b, s, p, d), *rc.conv2d_backward(dy, x, w, s, p, d)

    def numpy_im2col():
        y, cols = im2col_forward(x, w, b, s, p, d)
        return y, *im2col_backward(dy, cols, x.shape, w, s, p, d)

    impls = {"reference (numba)": reference, "im2col (numpy)": numpy_im2col}
    try:
        import torch
    except ImportError:
        return impls
    torch.set_num_threads(1)
    xt, wt, bt, dyt = (torch.from_numpy(np.ascontiguousarray(a)) for a in (x, w, b, dy))

    def pytorch():
        y = torch.nn.functional.conv2d(xt, wt, bt, s, p, d)
        dx, dw_, db = torch.ops.aten.convolution_backward(dyt, xt, wt, [w.shape[0]], [s, s], [p, p], [d, d], False,
                                                          [0, 0], 1, [True, True, True])
        return y, dx, dw_, db

    impls["pytorch (cpu)"] = pytorch
    return impls


def bench_case(case: tuple, repeat: int, clock: Callable[[], float]) -> dict:
    name, xs, ws, s, p, d = case
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=xs), rng.normal(size=ws), rng.normal(size=ws[0])
    dy = rng.normal(size=rc.conv2d_output_shape(xs, ws, s, p, d))
    impls = _implementations(x, w, b, dy, s, p, d)
    expected = impls["reference (numba)"]()
    for label, fn in impls.items():  # warm-up (compiles) and a correctness check of every implementation
        for got, want in zip(fn(), expected, strict=True):
            np.testing.assert_allclose(np.asarray(got), want, rtol=1e-9, atol=1e-9, err_msg=label)
    times: dict[str, list[float]] = {label: [] for label in impls}
    for _ in range(repeat):
        for label, fn in impls.items():  # round robin: a burst of load hits every implementation alike
            start = clock()
            fn()
            times[label].append(clock() - start)
    medians = {label: statistics.median(t) for label, t in times.items()}
    ref = medians["reference (numba)"]
    return {"case": name, "ms": {k: round(v * 1e3, 3) for k, v in medians.items()},
            "reference_over": {k: round(ref / v, 2) for k, v in medians.items() if k != "reference (numba)"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--wall", action="store_true", help="time wall clock instead of CPU time")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    clock = time.perf_counter if args.wall else time.process_time
    results = [bench_case(case, args.repeat, clock) for case in CASES]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"conv2d forward+backward, float64, 1 thread, median of {args.repeat} "
          f"({'wall' if args.wall else 'CPU'} time)")
    for r in results:
        times = ", ".join(f"{k} {v:.2f} ms" for k, v in r["ms"].items())
        ratios = ", ".join(f"reference/{k.split()[0]} = {v:.2f}x" for k, v in r["reference_over"].items())
        print(f"- {r['case']}: {times}\n    {ratios}")


if __name__ == "__main__":
    main()
