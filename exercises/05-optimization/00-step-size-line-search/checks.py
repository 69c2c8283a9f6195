"""Checks for `step-size-line-search` (runs in the grader; learner code only through ctx.call)."""

import numpy as np

from grader.checklib import CheckContext, check


@check("gd_quadratic: the gradient-descent iterates on a·w² (L2540)", points=2)
def gd(ctx: CheckContext) -> None:
    for a, factor in ctx.cases([(0.5, 0.3), (2.0, 0.9), (1.3, 1.4)], [(0.7, 0.55), (3.1, 1.2)]):
        w0 = float(ctx.rng.uniform(1.0, 3.0))
        eta = factor / a  # factor < 1 converges (monotone below 0.5, oscillating above), > 1 diverges
        got = ctx.expect_array(f"gd_quadratic({a}, {w0:.4g}, {eta:.4g}, 12)", ctx.call("gd_quadratic", a, w0, eta, 12),
                               (13,))
        expected = w0 * (1.0 - 2.0 * a * eta) ** np.arange(13)
        ctx.expect_close(f"gd_quadratic(a={a}, w0={w0:.4g}, eta={eta:.4g}, steps=12)", got, expected, rtol=1e-10)


@check("largest_stable_eta: convergence below it, divergence above it (Fig. 88)", points=1)
def stable(ctx: CheckContext) -> None:
    curves = {}
    for a in ctx.cases([0.5, 4.0], [0.2, 7.5]):
        got = ctx.expect_number(f"largest_stable_eta({a})", ctx.call("largest_stable_eta", a))
        ctx.expect_close(f"largest_stable_eta({a})", got, 1.0 / a, rtol=1e-12)
        for factor in (0.95, 1.05):
            path = np.asarray(ctx.call("gd_quadratic", a, 1.0, factor * got, 40), dtype=float)
            curves[f"a={a:g}, η={factor:g}·η_max"] = np.abs(path)
    ctx.plot("|w^t| on a·w²: just below and just above the largest stable η", curves, y_label="|w|", log_y=True)


def _batch(ctx: CheckContext, b: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = ctx.rng.normal(size=(b, d)) * ctx.rng.uniform(0.3, 3.0, d)  # ill-conditioned: a ravine
    return X, X @ ctx.rng.normal(size=d) + 0.1 * ctx.rng.normal(size=b), ctx.rng.normal(size=d)


@check("batch_loss_grad: the minibatch loss (1/B) Σ (xᵀw − y)² and its gradient", points=1)
def loss_grad(ctx: CheckContext) -> None:
    for b, d in ctx.cases([(7, 3), (1, 2)], [(12, 5)]):
        X, y, w = _batch(ctx, b, d)
        out = ctx.expect_tuple("batch_loss_grad(X, y, w)", ctx.call("batch_loss_grad", X, y, w), 2)
        r = X @ w - y
        ctx.expect_close(f"the loss from batch_loss_grad for X {(b, d)}", ctx.expect_number("the loss", out[0]),
                         float(np.mean(r * r)), rtol=1e-10, batch=b)
        ctx.expect_close(f"the gradient from batch_loss_grad for X {(b, d)}", out[1], 2.0 * X.T @ r / b, rtol=1e-10,
                         batch=b)


@check("line_search_step: η* is the best candidate, and the step uses it (L2671-2673)", points=2)
def line_search(ctx: CheckContext) -> None:
    for b, d in ctx.cases([(9, 3), (5, 2)], [(16, 4), (3, 3)]):
        X, y, w = _batch(ctx, b, d)
        r = X @ w - y
        g = 2.0 * X.T @ r / b
        candidates = sorted(float(c) for c in 10.0 ** ctx.rng.uniform(-3, 0.5, 7))
        losses = [float(np.mean((X @ (w - c * g) - y) ** 2)) for c in candidates]
        order = np.argsort(losses)
        if losses[order[1]] - losses[order[0]] < 1e-9 * abs(losses[order[0]]) + 1e-12:
            candidates.append(candidates[order[0]] * 1.01)  # never a near-tie for the best: one clear winner
            losses.append(float(np.mean((X @ (w - candidates[-1] * g) - y) ** 2)))
        best = candidates[int(np.argmin(losses))]
        out = ctx.expect_tuple("line_search_step(X, y, w, candidates)",
                               ctx.call("line_search_step", X, y, w, candidates), 2)
        eta = ctx.expect_number("η* from line_search_step", out[0])
        ctx.expect(eta == best, f"line_search_step picked η = {eta:.6g} among {[round(c, 6) for c in candidates]}; the "
                                f"candidate with the smallest L_B(w − η g) is another one", diagnosis="mismatch")
        ctx.expect_close(f"the new w from line_search_step for X {(b, d)}", out[1], w - best * g, rtol=1e-10)
