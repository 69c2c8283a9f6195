"""Checks for `maxpool-backward-atomic-cuda` (run in the grader; learner code only through ctx.call / ctx.probe).

The CUDA simulator starts a block's threads one after another, so a racy `dx[...] += v` in the backward
scatter gives the right values there: the static check below reads the kernel's source for cuda.atomic.add and
for read-modify-writes on its array arguments. On a real GPU the shared-peak case also catches races by value.
"""

import ast
import math

import numpy as np

from grader import reference_conv as ref
from grader.checklib import CheckContext, check
from grader.compare import compare
from grader.cudacheck import calls_in, cuda_call, expect_kernel, report_kernel_times, subscript_updates, with_helpers

KERNELS = ("maxpool_forward_kernel", "maxpool_backward_kernel")
# (N, C, H, W, size, stride): overlapping (stride < size), tiling (stride = size) and gapped (stride > size).
LOCAL = [(2, 2, 7, 9, 3, 2), (1, 3, 6, 5, 3, 1), (2, 1, 8, 6, 2, 2), (1, 2, 9, 7, 2, 3)]
HIDDEN = [(1, 2, 11, 8, 3, 2), (2, 1, 5, 7, 2, 1)]
TIES_LOCAL = [(2, 2, 7, 9, 3, 2), (1, 1, 6, 6, 2, 1)]
TIES_HIDDEN = [(1, 2, 9, 5, 3, 1)]


def _threads(source: str) -> int | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "THREADS" for t in node.targets)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, int)):
            return node.value.value
    return None


def _backward(ctx: CheckContext, x: np.ndarray, size: int, stride: int, what: str) -> None:
    dy = ctx.rng.standard_normal(ref.pool_output_shape(x.shape, size, stride))  # random, never ones
    label = f"maxpool_backward_cuda(dy, x, size={size}, stride={stride}) for x {x.shape}{what}"
    got = cuda_call(ctx, "maxpool_backward_cuda", f"x {x.shape}, size={size}, stride={stride}", dy, x, size, stride)
    expected = ref.maxpool_backward(dy, x, size, stride)
    result = compare(label, got, expected)
    if result.ok:
        return
    if isinstance(got, np.ndarray) and got.shape == expected.shape:
        # Same routing, different tie rule: the LAST maximum (>=) instead of the first.
        last = ref.maxpool_backward(dy[:, :, ::-1, ::-1], x[:, :, ::-1, ::-1], size, stride)[:, :, ::-1, ::-1] \
            if (x.shape[2] - size) % stride == 0 and (x.shape[3] - size) % stride == 0 else None
        if last is not None and compare(label, got, last).ok:
            ctx.fail(f"{label}: on ties the gradient goes to the LAST maximum of the window. The rule is the first in "
                     f"row-major order: replace the best value only when a value is strictly greater (>).",
                     diagnosis="ties", details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


@check("both kernels are @cuda.jit; the backward scatters with cuda.atomic.add, without a racy a[...] += v "
       "(read from your source)", points=2, target="cuda")
def kernels(ctx: CheckContext) -> None:
    for name in KERNELS:
        expect_kernel(ctx, name)
    functions = with_helpers(ctx.source, "maxpool_backward_kernel")
    calls = set().union(*(calls_in(f) for f in functions))
    ctx.expect(any(c == "atomic.add" or c.endswith(".atomic.add") for c in calls),
               "maxpool_backward_kernel does not call cuda.atomic.add. Overlapping windows can share their maximum, "
               "so several threads add into one dx entry: each addition must be atomic. (The grader reads this "
               "from your source: the CUDA simulator runs a block's threads one after another, where a race "
               "almost never shows in the values.)", diagnosis="race")
    racy = [update for f in functions for update in subscript_updates(f)]
    ctx.expect(not racy,
               f"maxpool_backward_kernel updates an entry of an array argument with a read-modify-write: "
               f"`{racy[0] if racy else ''}`. Two threads doing that to the same entry at the same time lose one "
               f"update on a GPU (the simulator hides it). Use cuda.atomic.add(array, index, value).",
               diagnosis="race")
    threads = _threads(ctx.source)
    ctx.expect(threads is not None and 1 <= threads <= 1024,
               f"THREADS must be a module-level integer constant from 1 to 1024 (found {threads})", diagnosis="cuda")


@check("maxpool_forward_cuda equals the max-pooling (overlapping and non-overlapping windows)", points=2,
       target="cuda")
def forward(ctx: CheckContext) -> None:
    for n, c, h, w, size, stride in ctx.cases(LOCAL, HIDDEN):
        x = ctx.rng.standard_normal((n, c, h, w))
        label = f"maxpool_forward_cuda(x, size={size}, stride={stride}) for x {x.shape}"
        got = cuda_call(ctx, "maxpool_forward_cuda", f"x {x.shape}, size={size}, stride={stride}", x, size, stride)
        ctx.expect_close(label, got, ref.maxpool_forward(x, size, stride))


@check("maxpool_backward_cuda routes each dy to its window's maximum; overlapping windows add up", points=3,
       target="cuda")
def backward(ctx: CheckContext) -> None:
    for n, c, h, w, size, stride in ctx.cases(LOCAL, HIDDEN):
        _backward(ctx, ctx.rng.standard_normal((n, c, h, w)), size, stride, "")


@check("ties: the first maximum in row-major window order gets the gradient", points=2, target="cuda")
def ties(ctx: CheckContext) -> None:
    for n, c, h, w, size, stride in ctx.cases(TIES_LOCAL, TIES_HIDDEN):
        x = ctx.rng.integers(0, 3, size=(n, c, h, w)).astype(np.float64)  # three values: ties in most windows
        _backward(ctx, x, size, stride, " with ties")


@check("one peak that is the maximum of 9 overlapping windows gets all 9 gradients", points=1, target="cuda")
def shared_peak(ctx: CheckContext) -> None:
    x = ctx.rng.uniform(-1.0, 0.0, size=(1, 2, 7, 8))
    x[:, :, 3, 4] = 5.0  # inside 9 windows of size 3, stride 1: nine threads add into dx[:, :, 3, 4]
    _backward(ctx, x, 3, 1, " (one peak shared by 9 windows)")


@check("each wrapper launches its kernel once on ceil(outputs / THREADS) blocks of THREADS threads", points=2,
       target="cuda")
def launches(ctx: CheckContext) -> None:
    threads = _threads(ctx.source) or 0
    x = ctx.rng.standard_normal((2, 3, 9, 8))
    size, stride = 3, 2
    shape = ref.pool_output_shape(x.shape, size, stride)  # (2, 3, 4, 3): 72 outputs
    dy = ctx.rng.standard_normal(shape)
    want = [math.ceil(math.prod(shape) / threads)] if threads else None
    for name, kernel, args in (("maxpool_forward_cuda", "maxpool_forward_kernel", (x, size, stride)),
                               ("maxpool_backward_cuda", "maxpool_backward_kernel", (dy, x, size, stride))):
        log = ctx.probe("launches", list(KERNELS), name, *args, label=name)[kernel]
        ctx.expect(len(log) == 1, f"{name} launched {kernel} {len(log)} times; launch it once", diagnosis="cuda")
        ctx.expect(log[0]["grid"] == want and log[0]["block"] == [threads],
                   f"{name} launched {kernel} on {log[0]['grid']} blocks of {log[0]['block']} threads for "
                   f"{math.prod(shape)} outputs; the rule asks for ceil(outputs / THREADS) = {want} blocks of "
                   f"THREADS = {threads} threads", diagnosis="cuda")
    if threads:  # outputs = 2 · THREADS exactly: ceil, not outputs // THREADS + 1 (a block of idle threads)
        x = ctx.rng.standard_normal((1, threads, 2, 3))
        log = ctx.probe("launches", list(KERNELS), "maxpool_forward_cuda", x, 2, 1,
                        label="maxpool_forward_cuda")["maxpool_forward_kernel"]
        ctx.expect(log[0]["grid"] == [2], f"maxpool_forward_cuda launched {log[0]['grid']} blocks for {2 * threads} "
                                          f"outputs; ceil({2 * threads} / THREADS) = 2", diagnosis="cuda")
    rng = ctx.rng
    big = (16, 32, 64, 64)  # timed on a GPU only: the arrays are drawn there, not in the simulator
    report_kernel_times(ctx, ["maxpool_forward_kernel"], "maxpool_forward_cuda",
                        lambda: [rng.standard_normal(big), 3, 2], "maxpool_forward")
    report_kernel_times(ctx, ["maxpool_backward_kernel"], "maxpool_backward_cuda",
                        lambda: [rng.standard_normal(ref.pool_output_shape(big, 3, 2)), rng.standard_normal(big), 3, 2],
                        "maxpool_backward")
