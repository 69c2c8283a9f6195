"""Checks for `conv2d-backward-atomic-cuda` (run in the grader; learner code only through ctx.call / ctx.probe).

The CUDA simulator starts a block's threads one after another, so a racy `dx[...] += v` in the scatter gives the
right values there: the static check reads the input-gradient kernel's source for cuda.atomic.add and for
read-modify-writes on its array arguments. Images are tiny (the simulator is slow), dy planes never multiples
of the block.
"""

import ast
import math

import numpy as np

from grader import reference_conv as ref
from grader.checklib import CheckContext, check
from grader.cudacheck import calls_in, cuda_call, expect_kernel, report_kernel_times, subscript_updates, with_helpers

KERNELS = ("conv2d_input_grad_kernel", "conv2d_weight_grad_kernel", "conv2d_bias_grad_kernel")
# (N, C_in, H, W, C_out, KH, KW, stride, padding, dilation): plain; stride 2 with padding (windows overlap);
# dilation 2 with padding; stride 3 > kernel 2 (no overlap, gaps); batch sizes 2 and 1.
LOCAL = [(2, 2, 6, 7, 3, 3, 3, 1, 0, 1), (1, 3, 7, 6, 2, 3, 2, 2, 1, 1), (1, 2, 8, 9, 2, 3, 3, 1, 2, 2),
         (2, 1, 7, 8, 2, 2, 2, 3, 0, 1)]
HIDDEN = [(1, 2, 9, 7, 2, 3, 3, 2, 1, 2), (2, 1, 5, 6, 1, 2, 3, 1, 1, 1)]


def _constant(source: str, name: str) -> int | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, int)):
            return node.value.value
    return None


def _case(ctx: CheckContext, case: tuple) -> tuple[np.ndarray, ...]:
    n, c_in, h, w_, c_out, kh, kw, s, p, d = case
    x = ctx.rng.standard_normal((n, c_in, h, w_))
    w = ctx.rng.standard_normal((c_out, c_in, kh, kw))
    dy = ctx.rng.standard_normal(ref.conv2d_output_shape(x.shape, w.shape, s, p, d))  # random, never ones
    return dy, x, w


def _grads(ctx: CheckContext, case: tuple) -> tuple[str, list, tuple, int]:
    """(description, the learner's (dx, dw, db), the reference's, N) for one case."""
    dy, x, w = _case(ctx, case)
    s, p, d = case[7:]
    what = f"x {x.shape}, w {w.shape}, stride={s}, padding={p}, dilation={d}"
    got = ctx.expect_tuple(f"conv2d_backward_cuda(dy, x, w, ...) for {what}",
                           cuda_call(ctx, "conv2d_backward_cuda", what, dy, x, w, s, p, d), 3)
    return what, got, ref.conv2d_backward(dy, x, w, s, p, d), x.shape[0]


@check("the three kernels are @cuda.jit; the input gradient scatters with cuda.atomic.add, without a racy "
       "a[...] += v (read from your source)", points=2, target="cuda")
def kernels(ctx: CheckContext) -> None:
    for name in KERNELS:
        expect_kernel(ctx, name)
    functions = with_helpers(ctx.source, "conv2d_input_grad_kernel")
    calls = set().union(*(calls_in(f) for f in functions))
    ctx.expect(any(c == "atomic.add" or c.endswith(".atomic.add") for c in calls),
               "conv2d_input_grad_kernel does not call cuda.atomic.add. Overlapping windows and all output channels "
               "add into the same dx entries, so each addition must be atomic. (The grader reads this from your "
               "source: the CUDA simulator runs a block's threads one after another, where a race almost never "
               "shows in the values.)", diagnosis="race")
    racy = [update for f in functions for update in subscript_updates(f)]
    ctx.expect(not racy,
               f"conv2d_input_grad_kernel updates an entry of an array argument with a read-modify-write: "
               f"`{racy[0] if racy else ''}`. Two threads doing that to one entry at the same time lose an update "
               f"on a GPU (the simulator hides it). Use cuda.atomic.add(dx, (n, ci, r, c), value).", diagnosis="race")
    for name, top in (("BLOCK", 32), ("THREADS", 1024)):
        value = _constant(ctx.source, name)
        ctx.expect(value is not None and 1 <= value <= top,
                   f"{name} must be a module-level integer constant from 1 to {top} (found {value})", diagnosis="cuda")


@check("dx: every dy pixel scattered through the weights (padding, stride, dilation)", points=4, target="cuda")
def input_grad(ctx: CheckContext) -> None:
    for case in ctx.cases(LOCAL, HIDDEN):
        what, got, expected, _ = _grads(ctx, case)
        ctx.expect_close(f"dx for {what}", got[0], expected[0])
    dy, x, w = _case(ctx, (1, 2, 5, 6, 2, 2, 3, 1, 0, 1))
    got = ctx.expect_tuple("conv2d_backward_cuda(dy, x, w)", cuda_call(ctx, "conv2d_backward_cuda", "the defaults",
                                                                        dy, x, w), 3)
    for name, value, expected in zip(("dx", "dw", "db"), got, ref.conv2d_backward(dy, x, w, 1, 0, 1), strict=True):
        ctx.expect_close(f"{name} of conv2d_backward_cuda(dy, x, w) with the defaults stride=1, padding=0, "
                         f"dilation=1", value, expected)


@check("dw: summed over the batch and the output plane", points=3, target="cuda")
def weight_grad(ctx: CheckContext) -> None:
    for case in ctx.cases(LOCAL, HIDDEN):
        what, got, expected, n = _grads(ctx, case)
        ctx.expect_close(f"dw for {what}", got[1], expected[1], batch=n)


@check("db: summed over the batch and the output plane", points=1, target="cuda")
def bias_grad(ctx: CheckContext) -> None:
    for case in ctx.cases(LOCAL[:1] + LOCAL[3:], HIDDEN[:1]):
        what, got, expected, n = _grads(ctx, case)
        ctx.expect_close(f"db for {what}", got[2], expected[2], batch=n)


@check("one launch of each kernel with the README's grids and blocks", points=2, target="cuda")
def launches(ctx: CheckContext) -> None:
    block, threads = _constant(ctx.source, "BLOCK") or 0, _constant(ctx.source, "THREADS") or 0
    case = (2, 2, 10, 5, 3, 3, 2, 1, 1, 1)  # dy (2, 3, 10, 6); w.size = 36
    dy, x, w = _case(ctx, case)
    log = ctx.probe("launches", list(KERNELS), "conv2d_backward_cuda", dy, x, w, 1, 1, 1, label="conv2d_backward_cuda")
    n, c_out, h_out, w_out = dy.shape
    want = {"conv2d_input_grad_kernel": ([math.ceil(w_out / block), math.ceil(h_out / block), n * c_out] if block
                                         else None, [block, block]),
            "conv2d_weight_grad_kernel": ([math.ceil(w.size / threads)] if threads else None, [threads]),
            "conv2d_bias_grad_kernel": ([math.ceil(c_out / threads)] if threads else None, [threads])}
    for kernel, (grid, blocks) in want.items():
        ctx.expect(len(log[kernel]) == 1, f"conv2d_backward_cuda launched {kernel} {len(log[kernel])} times; launch "
                                          f"each kernel once", diagnosis="cuda")
        got = log[kernel][0]
        ctx.expect(got["grid"] == grid and got["block"] == blocks,
                   f"for dy {dy.shape} and w {w.shape}, {kernel} was launched on {got['grid']} blocks of "
                   f"{got['block']} threads; the rule asks for {grid} blocks of {blocks} threads", diagnosis="cuda")
    rng = ctx.rng  # timed on a GPU only: the arrays are drawn there, not in the simulator

    def big() -> list:
        x, w = rng.standard_normal((8, 16, 64, 64)), rng.standard_normal((32, 16, 3, 3))
        return [rng.standard_normal(ref.conv2d_output_shape(x.shape, w.shape, 1, 1, 1)), x, w, 1, 1, 1]

    report_kernel_times(ctx, list(KERNELS), "conv2d_backward_cuda", big, "conv2d_backward")
