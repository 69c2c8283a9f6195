"""Checks for `batchnorm-kernels` (runs in the grader; learner code only through ctx.call / ctx.probe).

Without a GPU the CUDA kernels run in Numba's simulator: the shapes are tiny, and never multiples of the
block sizes (the last block of every reduction is partial).
"""

import ast
import math

import numpy as np

from grader import reference_optim as ro
from grader.checklib import CheckContext, check
from grader.sandbox import LearnerError

EPS = 1e-5
LOCAL = [(19, 3), (1, 4), (6, 1)]
HIDDEN = [(23, 5), (2, 2)]
# B = 67 > 64: a block of up to 64 threads must stride over the batch (i = tid, tid + THREADS, ...).
CUDA_FORWARD_LOCAL = [(19, 3), (1, 3), (67, 1)]
CUDA_BACKWARD_LOCAL = [(19, 3), (5, 1), (67, 1)]
CUDA_HIDDEN = [(37, 2)]
RTOL, FLOOR = 1e-8, 1e-10  # reductions in another order (and FMAs on a GPU) round differently
REDUCTIONS = ("channel_stats_kernel", "channel_grad_sums_kernel")
ELEMENTWISE = ("normalize_kernel", "bn_dx_kernel")


def _problem(ctx: CheckContext, b: int, c: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x = ctx.rng.normal(ctx.rng.uniform(-3, 3, c), ctx.rng.uniform(0.5, 3, c), size=(b, c))
    return x, ctx.rng.normal(1.0, 0.5, c), ctx.rng.normal(0.0, 1.0, c), ctx.rng.normal(size=(b, c))


def _call(ctx: CheckContext, name: str, shape: tuple[int, int], *args) -> list:
    try:
        return ctx.expect_tuple(f"{name}(...)", ctx.call(name, *args), 3)
    except LearnerError as error:
        if error.type != "IndexError":
            raise
        ctx.fail(f"{name} indexed past the end of an array for x of shape {shape} (IndexError: {error.message}). "
                 f"Threads of a partial block must not load or store: guard with the array bounds.",
                 diagnosis="shape", details=error.traceback)
    raise AssertionError  # unreachable


def _forward(ctx: CheckContext, name: str, shapes: list) -> None:
    for b, c in shapes:
        x, gamma, beta, _ = _problem(ctx, b, c)
        y, mean, var = _call(ctx, name, (b, c), x, gamma, beta, EPS)
        Y, M, V, _ = ro.batchnorm_train(x, gamma, beta, EPS)
        where = f"from {name} for x of shape {(b, c)}"
        ctx.expect_close(f"mean {where}", ctx.expect_array("mean", mean, (c,)), M, rtol=RTOL, floor=FLOOR)
        ctx.expect_close(f"var {where} (biased: ÷ B)", ctx.expect_array("var", var, (c,)), V, rtol=RTOL, floor=FLOOR)
        ctx.expect_close(f"y {where}", ctx.expect_array("y", y, (b, c)), Y, rtol=RTOL, floor=FLOOR)


def _backward(ctx: CheckContext, name: str, shapes: list) -> None:
    for b, c in shapes:
        x, gamma, _, g = _problem(ctx, b, c)
        dx, dgamma, dbeta = _call(ctx, name, (b, c), g, x, gamma, EPS)
        DX, DG, DB = ro.batchnorm_backward(g, x, gamma, EPS)
        where = f"from {name} for x of shape {(b, c)}"
        ctx.expect_close(f"dbeta {where}", ctx.expect_array("dbeta", dbeta, (c,)), DB, rtol=RTOL, floor=FLOOR, batch=b)
        ctx.expect_close(f"dgamma {where}", ctx.expect_array("dgamma", dgamma, (c,)), DG, rtol=RTOL, floor=FLOOR,
                         batch=b)
        ctx.expect_close(f"dx {where}", ctx.expect_array("dx", dx, (b, c)), DX, rtol=RTOL, floor=FLOOR)


# --- Numba --------------------------------------------------------------------------------------


def _njit(ctx: CheckContext, name: str) -> None:
    decorators = ctx.decorators_of(name)
    ctx.expect(any(d in ("njit", "numba.njit", "jit", "numba.jit") for d in decorators),
               f"{name} must be decorated with @njit (found {decorators or 'no decorator'})", diagnosis="njit")


@check("bn_forward_njit: mean, biased var and y per channel (@njit)", points=3, target="numba")
def forward_njit(ctx: CheckContext) -> None:
    _forward(ctx, "bn_forward_njit", ctx.cases(LOCAL, HIDDEN))
    _njit(ctx, "bn_forward_njit")


@check("bn_backward_njit: dx, dγ, dβ of train-mode batch normalization (@njit)", points=3, target="numba")
def backward_njit(ctx: CheckContext) -> None:
    _backward(ctx, "bn_backward_njit", ctx.cases(LOCAL, HIDDEN))
    _njit(ctx, "bn_backward_njit")


# --- CUDA ---------------------------------------------------------------------------------------


def _kernel_problem(source: str, name: str, reduction: bool) -> tuple[str, str] | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return "your file does not parse", "syntax"
    node = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
    if node is None:
        return f"{name} must be a top-level function in your file", "shape"
    decorators = [ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list]
    if not any(d in ("cuda.jit", "numba.cuda.jit") for d in decorators):
        return f"{name} is not decorated with @cuda.jit (found {decorators or 'no decorator'})", "cuda"
    body = [s for s in node.body if not (isinstance(s, ast.Pass) or (isinstance(s, ast.Expr)
                                                                     and isinstance(s.value, ast.Constant)))]
    if not body:
        return f"not implemented yet: {name} still has an empty body", "not_implemented"
    if reduction:
        # The shared array and the barriers may sit in a device function the kernel calls: search the file.
        calls = {ast.unparse(c.func) for c in ast.walk(tree) if isinstance(c, ast.Call)}
        if not any(c.endswith("shared.array") for c in calls) or not any(c.endswith("syncthreads") for c in calls):
            return (f"{name} should reduce its channel in shared memory: cuda.shared.array(THREADS, float64) and "
                    f"cuda.syncthreads() between the levels of the tree"), "cuda"
    return None


@check("the four kernels are @cuda.jit; the reductions use shared memory and syncthreads (read from your source)",
       points=1, target="cuda")
def kernel_source(ctx: CheckContext) -> None:
    for name in REDUCTIONS + ELEMENTWISE:
        problem = _kernel_problem(ctx.source, name, name in REDUCTIONS)
        if problem:
            ctx.fail(problem[0], diagnosis=problem[1])


@check("bn_forward_cuda: mean, var and y, batch sizes that are not multiples of the block", points=3, target="cuda")
def forward_cuda(ctx: CheckContext) -> None:
    _forward(ctx, "bn_forward_cuda", ctx.cases(CUDA_FORWARD_LOCAL, CUDA_HIDDEN))


@check("bn_backward_cuda: dx, dγ, dβ, batch sizes that are not multiples of the block", points=3, target="cuda")
def backward_cuda(ctx: CheckContext) -> None:
    _backward(ctx, "bn_backward_cuda", ctx.cases(CUDA_BACKWARD_LOCAL, CUDA_HIDDEN))


@check("one block per channel for the reductions; the elementwise kernels cover (B, C)", points=1, target="cuda")
def launches(ctx: CheckContext) -> None:
    b, c = 6, 2
    x, gamma, beta, g = _problem(ctx, b, c)
    logs = ctx.probe("launches", "bn_forward_cuda", x, gamma, beta, EPS)
    back = ctx.probe("launches", "bn_backward_cuda", g, x, gamma, EPS)
    for log, name in ((logs, "channel_stats_kernel"), (back, "channel_grad_sums_kernel")):
        ctx.expect(len(log[name]) >= 1, f"{'bn_forward_cuda' if log is logs else 'bn_backward_cuda'} did not launch "
                                        f"{name}", diagnosis="cuda")
        grid = log[name][0]["grid"]
        ctx.expect(math.prod(grid) == c, f"{name} was launched on a grid of {grid} blocks for C = {c} channels; "
                                         f"use one block per channel (grid = C)", diagnosis="cuda")
    for log, name in ((logs, "normalize_kernel"), (back, "bn_dx_kernel")):
        ctx.expect(len(log[name]) >= 1, f"{name} was not launched", diagnosis="cuda")
        launch = log[name][0]
        grid, block = launch["grid"], launch["block"] or [1]
        if len(grid) == 2 and len(block) == 2:
            fits = [[math.ceil(b / block[0]), math.ceil(c / block[1])], [math.ceil(c / block[0]), math.ceil(b / block[1])]]
        else:
            fits = [[math.ceil(b * c / math.prod(block))]]
        ctx.expect(grid in fits, f"for x of shape {(b, c)}, {name} was launched on {grid} blocks of {block} threads; "
                                 f"use the ceil-div grid that covers the B·C entries exactly once ({fits[0]})",
                   diagnosis="cuda")
