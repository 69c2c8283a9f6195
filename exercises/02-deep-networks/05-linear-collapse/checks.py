"""Checks for `linear-collapse` (runs in the grader; learner code only through ctx.call)."""

import numpy as np

from grader import reference_deepnets as rd
from grader.checklib import CheckContext, check
from grader.compare import compare

# Layer widths [D, H1, ..., K]: non-square so a reversed product cannot even be formed, and one square
# stack where it can (and must still be caught); one layer alone; four layers.
WIDTHS_LOCAL = [[4, 6, 3], [3, 3, 3], [5, 2], [2, 5, 4, 3, 6]]
WIDTHS_HIDDEN = [[7, 2, 5], [4, 4, 4, 4], [3, 8, 1]]


def _stack(ctx: CheckContext, widths: list[int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    As = [ctx.rng.standard_normal((o, i)) for i, o in zip(widths[:-1], widths[1:], strict=True)]
    bs = [ctx.rng.standard_normal(o) for o in widths[1:]]
    return As, bs


def _collapse(ctx: CheckContext, As: list, bs: list, widths: list[int]) -> tuple[np.ndarray, np.ndarray]:
    got = ctx.expect_tuple(f"collapse_linear(As, bs) for widths {widths}", ctx.call("collapse_linear", As, bs), 2)
    return (ctx.expect_array(f"A from collapse_linear for widths {widths}", got[0], (widths[-1], widths[0])),
            ctx.expect_array(f"b from collapse_linear for widths {widths}", got[1], (widths[-1],)))


@check("collapse_linear: A = A_L ··· A_2 A_1 (L1120)", points=2)
def matrix(ctx: CheckContext) -> None:
    for widths in ctx.cases(WIDTHS_LOCAL, WIDTHS_HIDDEN):
        As, bs = _stack(ctx, widths)
        A, _ = _collapse(ctx, As, bs, widths)
        want, _ = rd.collapse_linear(As, bs)
        label = f"A from collapse_linear for widths {widths}"
        result = compare(label, A, want)
        if not result.ok and len(As) > 1 and all(a.shape[0] == a.shape[1] for a in As):
            reversed_ = As[0]
            for Ai in As[1:]:
                reversed_ = reversed_ @ Ai
            ctx.expect(not compare(label, A, reversed_).ok,
                       f"{label} is A_1 A_2 ··· A_L, the product in the wrong order: the first layer acts first, so "
                       f"its matrix stands on the right, A = A_L ··· A_1 (L1120: A_2 A_1)", diagnosis="transpose")
        ctx.expect_close(label, A, want)


@check("collapse_linear: b = A_L(···(A_2 b_1 + b_2)···) + b_L (L1120)", points=2)
def bias(ctx: CheckContext) -> None:
    for widths in ctx.cases(WIDTHS_LOCAL, WIDTHS_HIDDEN):
        As, bs = _stack(ctx, widths)
        _, b = _collapse(ctx, As, bs, widths)
        _, want = rd.collapse_linear(As, bs)
        label = f"b from collapse_linear for widths {widths}"
        if len(As) > 1 and not compare(label, b, want).ok and len({len(v) for v in bs}) == 1:
            ctx.expect(not compare(label, b, np.sum(bs, axis=0)).ok,
                       f"{label} is b_1 + ··· + b_L: every bias but the last passes through the matrices of the "
                       f"layers after it, b = A_2 b_1 + b_2 for two layers (L1120)", diagnosis="missing_term")
        ctx.expect_close(label, b, want, terms={"b_L, the last layer's own bias": bs[-1]} if len(As) > 1 else None)


@check("linear_stack_forward applies the layers in turn to every row of X", points=1)
def stack(ctx: CheckContext) -> None:
    for widths in ctx.cases(WIDTHS_LOCAL, WIDTHS_HIDDEN):
        As, bs = _stack(ctx, widths)
        for n in (6, 1):
            X = ctx.rng.standard_normal((n, widths[0]))
            got = ctx.expect_array(f"linear_stack_forward for widths {widths}, X of shape {X.shape}",
                                   ctx.call("linear_stack_forward", As, bs, X), (n, widths[-1]))
            label = f"linear_stack_forward for widths {widths}, X of shape {X.shape}"
            want = rd.linear_stack(As, bs, X)
            if not compare(label, got, want).ok and all(a.shape[0] == a.shape[1] for a in As):
                untransposed = X
                for A, b in zip(As, bs, strict=True):
                    untransposed = untransposed @ A + b
                ctx.expect(not compare(label, got, untransposed).ok,
                           f"{label} multiplies the rows of X by A_i, not A_iᵀ: each row is xᵀ, and (A_i x)ᵀ = xᵀ A_iᵀ, "
                           f"so a layer maps the rows as H A_iᵀ + b_i (A_i has shape (out, in))", diagnosis="transpose")
            ctx.expect_close(label, got, want)


@check("your collapsed map and your stack give the same outputs (and match the grader's stack)", points=1)
def same_outputs(ctx: CheckContext) -> None:
    widths = [5, 7, 4, 3] if ctx.official else [3, 6, 4, 2]
    As, bs = _stack(ctx, widths)
    X = ctx.rng.standard_normal((9, widths[0]))
    A, b = _collapse(ctx, As, bs, widths)
    mine = ctx.expect_array("linear_stack_forward(As, bs, X)", ctx.call("linear_stack_forward", As, bs, X),
                            (9, widths[-1]))
    ctx.expect_close("X Aᵀ + b with your (A, b), against your linear_stack_forward", X @ A.T + b, mine, rtol=1e-9)
    ctx.expect_close("X Aᵀ + b with your (A, b), against the grader's stack", X @ A.T + b,
                     rd.linear_stack(As, bs, X), rtol=1e-9)
