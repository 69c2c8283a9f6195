"""Checks for `residual-gradient-flow` (runs in the grader; learner code only through ctx.call)."""

import numpy as np

from grader import reference_optim as ro
from grader.checklib import CheckContext, check

LOCAL = [(5, 4), (1, 3), (3, 6)]
HIDDEN = [(7, 5), (2, 1), (4, 7)]
DEPTH = 20


def _block(ctx: CheckContext, n: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x = ctx.rng.normal(size=(n, d))
    A = ctx.rng.normal(0.0, 1.0 / np.sqrt(d), size=(d, d))
    return x, A, ctx.rng.normal(0.0, 0.5, d), ctx.rng.normal(size=(n, d))


@check("block_forward: tanh(x A + b), plus x with the skip connection", points=2)
def forward(ctx: CheckContext) -> None:
    for n, d in ctx.cases(LOCAL, HIDDEN):
        x, A, b, _ = _block(ctx, n, d)
        for residual in (False, True):
            ctx.expect_close(f"block_forward(x, A, b, residual={residual}) for x {(n, d)}",
                             ctx.call("block_forward", x, A, b, residual), ro.block_forward(x, A, b, residual),
                             terms={"tanh(x A + b) without the skip connection x": ro.block_forward(x, A, b, False)})


@check("block_backward: dx (with the identity path), dA, db for both kinds of block", points=3)
def backward(ctx: CheckContext) -> None:
    for n, d in ctx.cases(LOCAL, HIDDEN):
        x, A, b, G = _block(ctx, n, d)
        for residual in (False, True):
            got = ctx.expect_tuple(f"block_backward(G, x, A, b, residual={residual})",
                                   ctx.call("block_backward", G, x, A, b, residual), 3)
            dx, dA, db = ro.block_backward(G, x, A, b, residual)
            terms = {"the identity path G": G} if residual else None
            where = f"from block_backward(..., residual={residual}) for x {(n, d)}"
            ctx.expect_close(f"dx {where}", got[0], dx, terms=terms)
            ctx.expect_close(f"dA {where}", got[1], dA, batch=n)
            ctx.expect_close(f"db {where}", got[2], db, batch=n)


@check("block_backward agrees with central differences of Σ G ⊙ block_forward", points=1)
def numerical(ctx: CheckContext) -> None:
    n, d = (4, 3) if not ctx.official else (3, 5)
    x, A, b, G = _block(ctx, n, d)
    for residual in (False, True):
        def loss(inputs: dict[str, np.ndarray], residual: bool = residual) -> float:
            out = ctx.call("block_forward", inputs["x"], inputs["A"], inputs["b"], residual)
            return float(np.sum(G * ctx.expect_array("block_forward(x, A, b)", out, (n, d))))

        got = ctx.expect_tuple("block_backward", ctx.call("block_backward", G, x, A, b, residual), 3)
        ctx.gradcheck(f"d Σ G⊙block(x) (residual={residual})", loss, {"x": x, "A": A, "b": b},
                      {"x": got[0], "A": got[1], "b": got[2]})


@check(f"gradient flow: per-layer gradient norms of a {DEPTH}-block plain stack and a residual one", points=3)
def gradient_flow(ctx: CheckContext) -> None:
    n, d = (4, 6) if not ctx.official else (3, 5)
    x = ctx.rng.normal(size=(n, d))
    # Small weights (std 0.5/√D): each plain tanh layer shrinks the gradient, so it vanishes with depth.
    As = [ctx.rng.normal(0.0, 0.5 / np.sqrt(d), size=(d, d)) for _ in range(DEPTH)]
    bs = [ctx.rng.normal(0.0, 0.1, d) for _ in range(DEPTH)]
    G = ctx.rng.normal(size=(n, d))
    curves = {}
    for residual, name in ((False, "plain"), (True, "residual")):
        got = ctx.expect_array(f"stack_grad_norms(..., residual={residual})",
                               ctx.call("stack_grad_norms", x, As, bs, G, residual), (DEPTH,))
        expected = ro.stack_grad_norms(x, As, bs, G, residual)
        ctx.expect_close(f"stack_grad_norms(x, As, bs, G, residual={residual}) for {DEPTH} blocks, x {(n, d)}", got,
                         expected, rtol=1e-7)
        curves[name] = got
    ctx.plot(f"‖∂L/∂h_l‖ per layer l: {DEPTH} plain tanh layers vs {DEPTH} residual blocks", curves,
             x_label="layer l (0 = input)", y_label="gradient norm", log_y=True)
    plain, res = curves["plain"], curves["residual"]
    ctx.expect(plain[0] < 1e-3 * plain[-1] and res[0] > 0.5 * res[-1],
               f"the gradient at the input should vanish through the plain stack and not through the residual one; "
               f"plain: ‖∂L/∂h_0‖ / ‖∂L/∂h_{DEPTH - 1}‖ = {plain[0] / plain[-1]:.3g}, residual: {res[0] / res[-1]:.3g}",
               diagnosis="mismatch")
