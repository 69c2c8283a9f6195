"""Checks for `softmax-log-softmax-ce` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import importlib.util
from pathlib import Path

import numpy as np

from grader import reference_blocks as rb
from grader.checklib import CheckContext, check

_spec = importlib.util.spec_from_file_location("ch4_blockchecks", Path(__file__).parent.parent / "_shared/blockchecks.py")
bc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bc)

# Batch size 1 last: larger batches name a missing or extra factor N first.
SHAPES_LOCAL = [(5, 4), (4, 7), (1, 3)]
SHAPES_HIDDEN = [(9, 5), (2, 2), (1, 11)]
EXTREME = np.array([[1000.0, -1000.0, 0.0, 999.0],
                    [-1000.0, -1000.0, -1000.0, -1000.0],
                    [1000.0, 1000.0, -1000.0, 3.0],
                    [-745.0, 745.0, 0.0, -1000.0]])
# The notes' table (L1483-1487): scores and the true class of each row.
TABLE = np.array([[3.0, 1.0, -1.0, -1.0], [3.0, 3.0, 1.0, 0.0], [1.0, 1.0, 1.0, 1.0], [3.0, 2.0, 3.0, -1.0]])
TABLE_LABELS = np.array([0, 1, 2, 3])


def _scores(ctx: CheckContext, shape: tuple[int, int]) -> np.ndarray:
    return ctx.rng.normal(0.0, 3.0, size=shape)


def _extreme(ctx: CheckContext) -> np.ndarray:
    if not ctx.official:
        return EXTREME
    return np.concatenate([EXTREME, ctx.rng.choice([-1000.0, 1000.0], size=(3, 4)) + ctx.rng.normal(0, 2, (3, 4))])


@check("softmax matches the reference, and is exact at ±1000", points=2)
def softmax_forward(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        S = _scores(ctx, shape)
        ctx.expect_close(f"softmax(S) for S of shape {shape}", ctx.call("softmax", S), rb.softmax(S))
    S = _extreme(ctx)
    ctx.expect_close("softmax(S) at scores of ±1000", bc.strict(ctx, "softmax", S), rb.softmax(S), floor=1e-30)


@check("log_softmax matches the reference, and is exact at ±1000", points=2)
def log_softmax_forward(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        S = _scores(ctx, shape)
        ctx.expect_close(f"log_softmax(S) for S of shape {shape}", ctx.call("log_softmax", S), rb.log_softmax(S))
    S = _extreme(ctx)
    ctx.expect_close("log_softmax(S) at scores of ±1000", bc.strict(ctx, "log_softmax", S), rb.log_softmax(S))


def _vjp(ctx: CheckContext, forward: str, backward: str, ref_backward) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        S = _scores(ctx, shape)
        G = ctx.rng.standard_normal(shape)  # random upstream: errors that cancel for ones do not here
        ctx.expect_close(f"{backward}(S, G) for shape {shape}", ctx.call(backward, S, G), ref_backward(S, G))
    S = _extreme(ctx)
    G = ctx.rng.standard_normal(S.shape)
    ctx.expect_close(f"{backward}(S, G) at scores of ±1000", bc.strict(ctx, backward, S, G), ref_backward(S, G))
    S = _scores(ctx, (3, 5))
    G = ctx.rng.standard_normal(S.shape)
    grad = ctx.expect_array(f"{backward}(S, G)", ctx.call(backward, S, G), S.shape)

    def f(inputs: dict[str, np.ndarray]) -> float:
        out = ctx.expect_array(f"{forward}(S)", ctx.call(forward, inputs["S"]), S.shape)
        return float(np.sum(G * out))

    ctx.gradcheck(f"{backward} against central differences of your {forward}", f, {"S": S}, {"S": grad})


@check("softmax_backward is the vector-Jacobian product of softmax", points=2)
def softmax_vjp(ctx: CheckContext) -> None:
    _vjp(ctx, "softmax", "softmax_backward", rb.softmax_backward)


@check("log_softmax_backward is the vector-Jacobian product of log_softmax", points=2)
def log_softmax_vjp(ctx: CheckContext) -> None:
    _vjp(ctx, "log_softmax", "log_softmax_backward", rb.log_softmax_backward)


@check("softmax_ce_loss (summed over the batch) and softmax_ce_grad, exact at ±1000", points=4)
def cross_entropy(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        S = _scores(ctx, shape)
        y = ctx.rng.integers(0, shape[1], size=shape[0])
        bc.expect_loss(ctx, f"softmax_ce_loss(S, y) for S of shape {shape}", ctx.call("softmax_ce_loss", S, y),
                       rb.softmax_ce_loss(S, y), n=shape[0])
        ctx.expect_close(f"softmax_ce_grad(S, y) for S of shape {shape}", ctx.call("softmax_ce_grad", S, y),
                         rb.softmax_ce_grad(S, y), batch=shape[0],
                         terms={"softmax(S) (the one-hot term is missing)": rb.softmax(S)})
    for i in range(len(TABLE_LABELS)):
        row, y = TABLE[i:i + 1], TABLE_LABELS[i:i + 1]
        bc.expect_loss(ctx, f"softmax_ce_loss for row {i + 1} of the notes' table (L1483-1487)",
                       ctx.call("softmax_ce_loss", row, y), rb.softmax_ce_loss(row, y), n=1)
    S = _extreme(ctx)
    y = ctx.rng.integers(0, S.shape[1], size=S.shape[0])
    # The fixed rows' labels sit on their smallest score, where softmax underflows to 0: log(softmax) must fail.
    y[:len(EXTREME)] = np.argmin(EXTREME, axis=1)
    bc.expect_loss(ctx, "softmax_ce_loss at scores of ±1000", bc.strict(ctx, "softmax_ce_loss", S, y),
                   rb.softmax_ce_loss(S, y), n=S.shape[0])
    ctx.expect_close("softmax_ce_grad at scores of ±1000", bc.strict(ctx, "softmax_ce_grad", S, y),
                     rb.softmax_ce_grad(S, y))
    S = _scores(ctx, (4, 5))
    y = ctx.rng.integers(0, 5, size=4)
    grad = ctx.expect_array("softmax_ce_grad(S, y)", ctx.call("softmax_ce_grad", S, y), S.shape)

    def f(inputs: dict[str, np.ndarray]) -> float:
        return ctx.expect_number("softmax_ce_loss", ctx.call("softmax_ce_loss", inputs["S"], y))

    ctx.gradcheck("softmax_ce_grad against central differences of your softmax_ce_loss", f, {"S": S}, {"S": grad})
