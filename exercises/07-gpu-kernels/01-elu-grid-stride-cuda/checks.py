"""Checks for `elu-grid-stride-cuda` (run in the grader; learner code only through ctx.call / ctx.probe).

Without a GPU the learner's kernels run in Numba's CUDA simulator (one OS thread per CUDA thread), so the
sizes are small, and never multiples of the block size.
"""

import ast

import numpy as np

from grader import reference_gpu as ref
from grader.checklib import CheckContext, check
from grader.compare import compare
from grader.cudacheck import cuda_call, expect_kernel, report_kernel_times

KERNELS = ("elu_forward_kernel", "elu_backward_kernel")
# (shape, alpha), default launch (64 threads a block): 1, 7, 185 and 3·4·11 = 132 elements.
LOCAL = [((7,), 1.0), ((5, 37), 0.5), ((1,), 1.0), ((3, 4, 11), 1.3)]
HIDDEN = [((2, 45), 0.2), ((13,), 1.7)]
# (n, blocks, threads): fewer threads than elements, so each thread takes several.
SMALL_GRIDS_LOCAL = [(1000, 2, 32), (100, 3, 7)]
SMALL_GRIDS_HIDDEN = [(333, 1, 20)]


def _x(ctx: CheckContext, shape: tuple[int, ...], *, zeros: bool = False) -> np.ndarray:
    x = ctx.away_from(ctx.rng.normal(0.0, 2.0, size=shape), kinks=(0.0,), margin=0.05)
    flat = x.reshape(-1)
    if flat.size >= 4:
        flat[1] = -30.0  # deep in the saturated part
        if zeros:
            flat[2] = 0.0  # x = 0 takes the second branch: ELU'(0) = alpha (README)
    return x


def _explain_coverage(ctx: CheckContext, label: str, got: object, expected: np.ndarray, threads_total: int) -> None:
    """Compare; when only the first blocks*threads entries are right, say it is the grid-stride loop."""
    result = compare(label, got, expected)
    if result.ok:
        return
    if isinstance(got, np.ndarray) and got.shape == expected.shape and threads_total < expected.size:
        head = compare(label, got.reshape(-1)[:threads_total], expected.reshape(-1)[:threads_total])
        if head.ok:
            ctx.fail(f"{label}: the first {threads_total} entries (one per thread of the grid) are right, the "
                     f"other {expected.size - threads_total} are not. With fewer threads than elements each thread "
                     f"must handle several: loop i over range(cuda.grid(1), n, cuda.gridsize(1)).",
                     diagnosis="grid_stride", details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


@check("elu_forward_kernel and elu_backward_kernel are @cuda.jit kernels stepping by the grid's size (read from "
       "your source)", points=1,
       target="cuda")
def kernels(ctx: CheckContext) -> None:
    for name in KERNELS:
        node = expect_kernel(ctx, name)
        # The step of a grid-stride loop is the number of threads in the grid; a kernel can only learn it from
        # cuda.gridsize or cuda.gridDim. A smaller step (blockDim.x) still gives the right values here, but every
        # element is computed by several threads: wasted work, and wrong results in a kernel that accumulates.
        grid_size = any(isinstance(n, ast.Attribute) and n.attr in ("gridsize", "gridDim") for n in ast.walk(node))
        ctx.expect(grid_size, f"{name}: a grid-stride loop steps by the number of threads in the whole grid, "
                              f"cuda.gridsize(1) (= cuda.gridDim.x * cuda.blockDim.x), and your kernel never asks "
                              f"for the grid's size. With a smaller step threads redo each other's elements.",
                   diagnosis="grid_stride")


@check("elu_forward_cuda equals ELU(x) (default launch, sizes not multiples of the block)", points=2,
       target="cuda")
def forward(ctx: CheckContext) -> None:
    for shape, alpha in ctx.cases(LOCAL, HIDDEN):
        x = _x(ctx, shape)
        label = f"elu_forward_cuda(x, alpha={alpha}) for x of shape {shape}"
        got = cuda_call(ctx, "elu_forward_cuda", f"x of shape {shape}", x, alpha)
        ctx.expect_close(label, got, ref.elu(x, alpha), terms={"x - alpha (no exp)": np.where(x > 0, x, x - alpha)})
    x = _x(ctx, (9,))  # alpha left out: the default is the notes' alpha = 1 (L1624)
    ctx.expect_close("elu_forward_cuda(x) with the default alpha", cuda_call(ctx, "elu_forward_cuda", "9 elements", x),
                     ref.elu(x, 1.0))


@check("elu_forward_cuda covers every element with a small fixed grid (grid-stride loop)", points=2, target="cuda")
def forward_small_grid(ctx: CheckContext) -> None:
    for n, blocks, threads in ctx.cases(SMALL_GRIDS_LOCAL, SMALL_GRIDS_HIDDEN):
        x = _x(ctx, (n,))
        label = f"elu_forward_cuda(x, 1.0, blocks={blocks}, threads={threads}) for {n} elements"
        got = cuda_call(ctx, "elu_forward_cuda", label, x, 1.0, blocks, threads)
        _explain_coverage(ctx, label, got, ref.elu(x, 1.0), blocks * threads)


@check("elu_backward_cuda equals g ⊙ ELU'(x) for a random upstream g", points=2, target="cuda")
def backward(ctx: CheckContext) -> None:
    for shape, alpha in ctx.cases(LOCAL, HIDDEN):
        x = _x(ctx, shape, zeros=True)
        g = ctx.rng.standard_normal(shape)  # random, never ones
        label = f"elu_backward_cuda(x, g, alpha={alpha}) for x of shape {shape}"
        got = cuda_call(ctx, "elu_backward_cuda", f"x of shape {shape}", x, g, alpha)
        ctx.expect_close(label, got, ref.elu_backward(x, g, alpha),
                         terms={"g (ELU' missing)": g, "ELU'(x) (g missing)": ref.elu_backward(x, np.ones_like(x), alpha)})
    x, g = _x(ctx, (9,), zeros=True), ctx.rng.standard_normal(9)
    ctx.expect_close("elu_backward_cuda(x, g) with the default alpha",
                     cuda_call(ctx, "elu_backward_cuda", "9 elements", x, g), ref.elu_backward(x, g, 1.0))


@check("elu_backward_cuda covers every element with a small fixed grid", points=1, target="cuda")
def backward_small_grid(ctx: CheckContext) -> None:
    for n, blocks, threads in ctx.cases(SMALL_GRIDS_LOCAL[:1], SMALL_GRIDS_HIDDEN):
        x, g = _x(ctx, (n,), zeros=True), ctx.rng.standard_normal(n)
        label = f"elu_backward_cuda(x, g, 0.7, blocks={blocks}, threads={threads}) for {n} elements"
        got = cuda_call(ctx, "elu_backward_cuda", label, x, g, 0.7, blocks, threads)
        _explain_coverage(ctx, label, got, ref.elu_backward(x, g, 0.7), blocks * threads)


@check("the wrappers launch their kernels as the rules say (ceil(n / threads) blocks, or the grid given)",
       points=2, target="cuda")
def launches(ctx: CheckContext) -> None:
    x = _x(ctx, (5, 37))
    g = ctx.rng.standard_normal(x.shape)
    runs = [
        ("elu_forward_cuda", "elu_forward_kernel", (x,), {}, [-(-x.size // 64)], [64]),
        ("elu_forward_cuda", "elu_forward_kernel", (x,), {"threads": 48}, [-(-x.size // 48)], [48]),
        ("elu_backward_cuda", "elu_backward_kernel", (x, g), {"alpha": 0.5}, [-(-x.size // 64)], [64]),
        ("elu_backward_cuda", "elu_backward_kernel", (x, g), {"blocks": 3, "threads": 16}, [3], [16]),
        ("elu_forward_cuda", "elu_forward_kernel", (x[0, :7],), {}, [1], [64]),  # 7 elements: 1 block
        ("elu_backward_cuda", "elu_backward_kernel", (x[:2, :32], g[:2, :32]), {"threads": 32}, [2], [32]),  # exact
    ]
    for name, kernel, args, kwargs, grid, block in runs:
        n = args[0].size
        log = ctx.probe("launches", list(KERNELS), name, *args, label=name, **kwargs)[kernel]
        call = f"{name}({', '.join(['x', 'g'][:len(args)] + [f'{k}={v}' for k, v in kwargs.items()])})"
        ctx.expect(len(log) == 1, f"{call} launched {kernel} {len(log)} times for {n} elements; launch it exactly "
                                  f"once (the grid-stride loop covers every element)", diagnosis="cuda")
        ctx.expect(log[0]["grid"] == grid and log[0]["block"] == block,
                   f"{call} launched {kernel} on a grid of {log[0]['grid']} blocks of {log[0]['block']} threads "
                   f"for {n} elements; the rules ask for {grid} blocks of {block} threads "
                   f"(blocks = ceil(n / threads) unless blocks is given)", diagnosis="cuda")
    rng = ctx.rng  # timed on a GPU only: the arrays are drawn there, not in the simulator
    report_kernel_times(ctx, ["elu_forward_kernel"], "elu_forward_cuda", lambda: [rng.normal(size=1 << 22)],
                        "elu_forward")
    report_kernel_times(ctx, ["elu_backward_kernel"], "elu_backward_cuda",
                        lambda: [rng.normal(size=1 << 22), rng.normal(size=1 << 22)], "elu_backward")
