"""Checks for `batchnorm-kernels` (runs in the grader; learner code only through ctx.call / ctx.probe).

Without a GPU the CUDA kernels run in Numba's simulator: the shapes are tiny, and never multiples of the
block sizes (the last block of every reduction is partial).
"""

import ast
import math

import numpy as np

from grader import reference_optim as ro
from grader.checklib import CheckContext, check
from grader.compare import compare
from grader.cudacheck import calls_in, kernel_problem
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


# The kernels each CUDA wrapper must launch: the CUDA target is graded on them, not on values computed on the host.
LAUNCHED = {"bn_forward_cuda": ("channel_stats_kernel", "normalize_kernel"),
            "bn_backward_cuda": ("channel_grad_sums_kernel", "bn_dx_kernel")}  # μ, σ² may come from anywhere


def _call(ctx: CheckContext, name: str, shape: tuple[int, int], *args) -> list:
    try:
        if name not in LAUNCHED:
            return ctx.expect_tuple(f"{name}(...)", ctx.call(name, *args), 3)
        report = ctx.probe("counted", name, *args, label=name)
        missing = [k for k in LAUNCHED[name] if not report["launched"].get(k)]
        ctx.expect(not missing, f"{name} for x of shape {shape} did not launch {', '.join(missing)}: the CUDA target "
                                f"is graded on your kernels, so the values have to come from them (not from NumPy "
                                f"or the @njit functions on the host)", diagnosis="cuda")
        return ctx.expect_tuple(f"{name}(...)", report["out"], 3)
    except LearnerError as error:
        if error.type != "IndexError":
            raise
        ctx.fail(f"{name} indexed past the end of an array for x of shape {shape} (IndexError: {error.message}). "
                 f"Threads of a partial block must not load or store: guard with the array bounds.",
                 diagnosis="shape", details=error.traceback)
    raise AssertionError  # unreachable


CUDA_ADVICE = ("Your @njit functions compute the same formulas: when only the CUDA values are off, compare the "
               "kernels with them. Wrong sums (mean, var, dγ, dβ) come from the block reduction: every thread must "
               "stride over the rows (i = tid, tid + THREADS, … < B; B = 67 needs it), cuda.syncthreads() must "
               "follow every level of the tree, and THREADS must be a power of two. Right sums with a wrong y or dx "
               "point to the elementwise kernel.")


def _close(ctx: CheckContext, name: str, label: str, got, expected, batch: int | None = None) -> None:
    """expect_close; for a CUDA wrapper a mismatch also says where to look (diagnosis `cuda`)."""
    if name not in LAUNCHED:
        ctx.expect_close(label, got, expected, rtol=RTOL, floor=FLOOR, batch=batch)
        return
    result = compare(label, got, expected, rtol=RTOL, floor=FLOOR, batch=batch)
    if not result.ok:
        ctx.fail(f"{result.explanation}. {CUDA_ADVICE}", diagnosis="cuda", details=result.details)


def _forward(ctx: CheckContext, name: str, shapes: list) -> None:
    for b, c in shapes:
        x, gamma, beta, _ = _problem(ctx, b, c)
        y, mean, var = _call(ctx, name, (b, c), x, gamma, beta, EPS)
        Y, M, V, _ = ro.batchnorm_train(x, gamma, beta, EPS)
        where = f"from {name} for x of shape {(b, c)}"
        _close(ctx, name, f"mean {where}", ctx.expect_array("mean", mean, (c,)), M)
        var = ctx.expect_array("var", var, (c,))
        if b > 1 and not np.allclose(var, V, rtol=RTOL, atol=FLOOR) and np.allclose(var, V * b / (b - 1), rtol=1e-7):
            ctx.fail(f"var {where} is the unbiased variance (÷ (B − 1)); batch normalization uses the biased one, "
                     f"÷ B (L2950)", diagnosis="batch_factor")
        _close(ctx, name, f"var {where} (biased: ÷ B)", var, V)
        _close(ctx, name, f"y {where}", ctx.expect_array("y", y, (b, c)), Y)


def _backward(ctx: CheckContext, name: str, shapes: list) -> None:
    for b, c in shapes:
        x, gamma, _, g = _problem(ctx, b, c)
        dx, dgamma, dbeta = _call(ctx, name, (b, c), g, x, gamma, EPS)
        DX, DG, DB = ro.batchnorm_backward(g, x, gamma, EPS)
        where = f"from {name} for x of shape {(b, c)}"
        _close(ctx, name, f"dbeta {where}", ctx.expect_array("dbeta", dbeta, (c,)), DB, batch=b)
        _close(ctx, name, f"dgamma {where}", ctx.expect_array("dgamma", dgamma, (c,)), DG, batch=b)
        _close(ctx, name, f"dx {where}", ctx.expect_array("dx", dx, (b, c)), DX)


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
    """cudacheck.kernel_problem (this exercise words an unparsable file more briefly), and for a reduction kernel
    the shared memory and barriers of the tree."""
    problem = kernel_problem(source, name)
    if problem and problem[1] == "syntax":
        return "your file does not parse", "syntax"
    if problem or not reduction:
        return problem
    # The shared array and the barriers may sit in a device function the kernel calls: search the file.
    calls = calls_in(ast.parse(source))
    if not any(c.endswith("shared.array") for c in calls) or not any(c.endswith("syncthreads") for c in calls):
        return (f"{name} should reduce its channel in shared memory: cuda.shared.array(THREADS, float64) and "
                f"cuda.syncthreads() between the levels of the tree"), "cuda"
    return None


def _unsynced_tree_level(source: str) -> str | None:
    """The line of a loop in a @cuda.jit function that combines two entries of one array (buf[tid] += buf[tid +
    step]: a level of the tree) but has no cuda.syncthreads() in its body, or None. Without the barrier a thread
    reads its partner's entry before the partner has written it (and the simulator hides this only by luck)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        decorators = [ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in fn.decorator_list]
        if not any(d in ("cuda.jit", "numba.cuda.jit") for d in decorators):
            continue
        for loop in (n for n in ast.walk(fn) if isinstance(n, ast.While | ast.For)):
            for node in ast.walk(loop):
                if isinstance(node, ast.AugAssign | ast.Assign):
                    targets = [node.target] if isinstance(node, ast.AugAssign) else node.targets
                    # buf[tid] op= buf[tid + step]: a thread-dependent slot combined with ANOTHER slot of the
                    # same array (buf[tid] += x[i] or thread 0's serial buf[0] += buf[k] need no barrier here).
                    writes = [t for t in targets if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
                              and any(isinstance(v, ast.Name) for v in ast.walk(t.slice))]
                    reads = [r for r in ast.walk(node.value) if isinstance(r, ast.Subscript)
                             and isinstance(r.value, ast.Name)]
                    partner = any(w.value.id == r.value.id and ast.dump(w.slice) != ast.dump(r.slice)
                                  for w in writes for r in reads)
                    # the barrier is a statement of the loop body itself: inside an `if` some threads skip it
                    if partner and not any(isinstance(st, ast.Expr) and isinstance(st.value, ast.Call)
                                           and ast.unparse(st.value.func).endswith("syncthreads") for st in loop.body):
                        return f"line {node.lineno} of {fn.name}"
    return None


@check("the four kernels are @cuda.jit; the reductions use shared memory and syncthreads (read from your source)",
       points=1, target="cuda")
def kernel_source(ctx: CheckContext) -> None:
    for name in REDUCTIONS + ELEMENTWISE:
        problem = _kernel_problem(ctx.source, name, name in REDUCTIONS)
        if problem:
            ctx.fail(problem[0], diagnosis=problem[1])
    where = _unsynced_tree_level(ctx.source)
    if where:
        ctx.fail(f"the tree reduction at {where} adds two entries of the shared array inside a loop with no "
                 f"cuda.syncthreads() that every thread reaches: a thread may read its partner's entry before the "
                 f"partner has written it. Put cuda.syncthreads() after every level, inside the loop but outside "
                 f"the `if tid < step` (every thread of the block must reach the barrier).", diagnosis="cuda")


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
