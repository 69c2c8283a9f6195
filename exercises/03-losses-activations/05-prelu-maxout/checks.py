"""Checks for `prelu-maxout` (runs in the grader; learner code only through ctx.call)."""

import numpy as np

from grader import reference_blocks as rb
from grader.checklib import CheckContext, check

# Batch size 1 last (with few entries any mistake looks like "a factor"); a square X, where alpha used per row
# instead of per column (alpha[:, None] * X) broadcasts without an error.
PRELU_LOCAL = [(6, 4), (3, 3), (5, 1), (1, 3)]
PRELU_HIDDEN = [(9, 7), (2, 2), (1, 5)]
# (N, M, k)
MAXOUT_LOCAL = [(1, 2, 2), (5, 3, 3), (4, 2, 1), (3, 1, 4)]
MAXOUT_HIDDEN = [(2, 5, 2), (7, 2, 3), (1, 1, 5)]


def _prelu_inputs(ctx: CheckContext, shape: tuple[int, int]):
    X = ctx.away_from(ctx.rng.normal(0.0, 2.0, size=shape))
    alpha = ctx.rng.uniform(0.05, 0.6, size=shape[1])
    return X, alpha, ctx.rng.standard_normal(shape)


def _maxout_inputs(ctx: CheckContext, n: int, m: int, k: int):
    groups = ctx.without_ties(ctx.rng.normal(0.0, 2.0, size=(n, m, k)), axis=-1)
    return groups.reshape(n, m * k), ctx.rng.standard_normal((n, m))


@check("prelu matches max(α_c x, x) with one slope per column", points=2)
def prelu_forward(ctx: CheckContext) -> None:
    for shape in ctx.cases(PRELU_LOCAL, PRELU_HIDDEN):
        X, alpha, _ = _prelu_inputs(ctx, shape)
        ctx.expect_close(f"prelu(X, alpha) for X of shape {shape}", ctx.call("prelu", X, alpha), rb.prelu(X, alpha))


@check("prelu_backward: dX and dα (summed over the batch) match the reference and central differences", points=3)
def prelu_backward(ctx: CheckContext) -> None:
    for shape in ctx.cases(PRELU_LOCAL, PRELU_HIDDEN):
        X, alpha, G = _prelu_inputs(ctx, shape)
        got = ctx.expect_tuple("prelu_backward", ctx.call("prelu_backward", X, alpha, G), 2)
        dX, dalpha = rb.prelu_backward(X, alpha, G)
        ctx.expect_close(f"dX for X of shape {shape}", got[0], dX, terms={"G (the slope factor is missing)": G})
        ctx.expect_close(f"dalpha for X of shape {shape}", got[1], dalpha, batch=shape[0])
    X, alpha, G = _prelu_inputs(ctx, (5, 3))
    got = ctx.expect_tuple("prelu_backward", ctx.call("prelu_backward", X, alpha, G), 2)
    dX = ctx.expect_array("dX", got[0], X.shape)
    dalpha = ctx.expect_array("dalpha", got[1], alpha.shape)

    def f(inputs: dict[str, np.ndarray]) -> float:
        out = ctx.expect_array("prelu(X, alpha)", ctx.call("prelu", inputs["X"], inputs["alpha"]), X.shape)
        return float(np.sum(G * out))

    ctx.gradcheck("prelu_backward against central differences of your prelu", f, {"X": X, "alpha": alpha},
                  {"X": dX, "alpha": dalpha})


@check("maxout takes the max over contiguous groups of k columns", points=2)
def maxout_forward(ctx: CheckContext) -> None:
    for n, m, k in ctx.cases(MAXOUT_LOCAL, MAXOUT_HIDDEN):
        Z, _ = _maxout_inputs(ctx, n, m, k)
        ctx.expect_close(f"maxout(Z, k={k}) for Z of shape {Z.shape}", ctx.call("maxout", Z, k), rb.maxout(Z, k))


@check("maxout_backward routes G to each group's maximum (reference and central differences)", points=2)
def maxout_backward(ctx: CheckContext) -> None:
    for n, m, k in ctx.cases(MAXOUT_LOCAL, MAXOUT_HIDDEN):
        Z, G = _maxout_inputs(ctx, n, m, k)
        ctx.expect_close(f"maxout_backward(Z, k={k}, G) for Z of shape {Z.shape}",
                         ctx.call("maxout_backward", Z, k, G), rb.maxout_backward(Z, k, G))
    Z, G = _maxout_inputs(ctx, 3, 4, 3)
    dZ = ctx.expect_array("maxout_backward(Z, 3, G)", ctx.call("maxout_backward", Z, 3, G), Z.shape)

    def f(inputs: dict[str, np.ndarray]) -> float:
        out = ctx.expect_array("maxout(Z, 3)", ctx.call("maxout", inputs["Z"], 3), G.shape)
        return float(np.sum(G * out))

    ctx.gradcheck("maxout_backward against central differences of your maxout", f, {"Z": Z}, {"Z": dZ})


@check("on a tie, maxout_backward sends the gradient to the lowest column of the group", points=1)
def maxout_ties(ctx: CheckContext) -> None:
    Z = np.array([[2.0, 2.0, 1.0, -1.0, 3.0, 3.0],
                  [0.5, 0.5, 0.5, 4.0, 4.0, -2.0]])
    G = ctx.rng.uniform(0.5, 2.0, size=(2, 2)) * ctx.rng.choice([-1.0, 1.0], size=(2, 2))
    ctx.expect_close("maxout(Z, 3) with ties", ctx.call("maxout", Z, 3), rb.maxout(Z, 3))
    got = ctx.expect_array("maxout_backward(Z, 3, G) with ties", ctx.call("maxout_backward", Z, 3, G), Z.shape)
    expected = rb.maxout_backward(Z, 3, G)
    if not np.allclose(got, expected, rtol=1e-12, atol=0.0):
        row, col = (int(i) for i in np.argwhere(~np.isclose(got, expected, rtol=1e-12, atol=0.0))[0])
        group = slice(col - col % 3, col - col % 3 + 3)
        mine = [float(f"{v:.4g}") for v in got[row, group]]
        ctx.fail(f"maxout_backward(Z, 3, G) with ties: in row {row}, the group Z[{row}, {group.start}:{group.stop}] = "
                 f"{Z[row, group].tolist()} has a tied maximum; your dZ there is {mine}, but the whole "
                 f"G[{row}, {col // 3}] = {G[row, col // 3]:.4g} goes to the FIRST (lowest) column among the tied "
                 f"ones and the others get 0", diagnosis="tie",
                 details=f"expected dZ:\n{expected}\ngot:\n{got}")
