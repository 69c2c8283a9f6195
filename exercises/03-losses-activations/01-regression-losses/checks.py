"""Checks for `regression-losses` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import importlib.util
from pathlib import Path

import numpy as np

from grader import reference_blocks as rb
from grader.checklib import CheckContext, check

_spec = importlib.util.spec_from_file_location("ch4_blockchecks", Path(__file__).parent.parent / "_shared/blockchecks.py")
bc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bc)

# Single entries last: with one number every mistake is "some factor", so the larger shapes name it first.
SHAPES_LOCAL = [(7,), (3, 5), (1,)]
SHAPES_HIDDEN = [(11,), (4, 3, 2), (2,)]
LAPLACE_INPUTS = "log_b between −5 and 5"


def _pair(ctx: CheckContext, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(yhat, y) with every yhat - y at least 0.05 from the kink of |.| at 0."""
    y = ctx.rng.normal(0.0, 2.0, size=shape)
    return y + ctx.away_from(ctx.rng.normal(0.0, 1.5, size=shape)), y


def _loss_and_grad(ctx: CheckContext, loss_name: str, grad_name: str, ref_loss, ref_grad) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        yhat, y = _pair(ctx, shape)
        n = yhat.size
        bc.expect_loss(ctx, f"{loss_name}(yhat, y) for shape {shape}", ctx.call(loss_name, yhat, y),
                       ref_loss(yhat, y), n=n)
        ctx.expect_close(f"{grad_name}(yhat, y) for shape {shape}", ctx.call(grad_name, yhat, y),
                         ref_grad(yhat, y), batch=n)
    yhat, y = _pair(ctx, (4, 3))
    grad = ctx.expect_array(f"{grad_name}(yhat, y)", ctx.call(grad_name, yhat, y), yhat.shape)

    def loss(inputs: dict[str, np.ndarray]) -> float:
        return ctx.expect_number(f"{loss_name}(yhat, y)", ctx.call(loss_name, inputs["yhat"], y))

    ctx.gradcheck(f"{grad_name} against central differences of your {loss_name}", loss, {"yhat": yhat},
                  {"yhat": grad})


@check("l2_loss is Σ(ŷ−y)² and l2_grad its gradient", points=2)
def l2(ctx: CheckContext) -> None:
    _loss_and_grad(ctx, "l2_loss", "l2_grad", rb.l2_loss, rb.l2_grad)


@check("l1_loss is Σ|ŷ−y| and l1_grad its gradient, 0 where ŷ = y", points=2)
def l1(ctx: CheckContext) -> None:
    _loss_and_grad(ctx, "l1_loss", "l1_grad", rb.l1_loss, rb.l1_grad)
    yhat, y = _pair(ctx, (9,))
    yhat[[1, 4, 7]] = y[[1, 4, 7]]  # exact ties: the subgradient the course fixes is 0
    ctx.expect_close("l1_grad(yhat, y) where some ŷ equal y exactly (the course's subgradient there is 0)",
                     ctx.call("l1_grad", yhat, y),
                     rb.l1_grad(yhat, y))


def _laplace_inputs(ctx: CheckContext, shape: tuple[int, ...], spread: float):
    yhat, y = _pair(ctx, shape)
    return yhat, ctx.rng.uniform(-spread, spread, size=shape), y


@check("laplace_nll and its gradients for μ and log b match the reference", points=3)
def laplace_values(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        mu, s, y = _laplace_inputs(ctx, shape, 5.0)
        n = mu.size
        got = bc.strict(ctx, "laplace_nll", mu, s, y, inputs=LAPLACE_INPUTS)
        bc.expect_loss(ctx, f"laplace_nll(mu, log_b, y) for shape {shape}", got, rb.laplace_nll(mu, s, y), n=n,
                       terms={f"{n}·log 2, the constant log 2 of every entry": n * np.log(2.0)})
        got = ctx.expect_tuple("laplace_nll_grad",
                               bc.strict(ctx, "laplace_nll_grad", mu, s, y, inputs=LAPLACE_INPUTS), 2)
        d_mu, d_s = rb.laplace_nll_grad(mu, s, y)
        ctx.expect_close(f"d_mu for shape {shape}", got[0], d_mu, batch=n)
        ctx.expect_close(f"d_log_b for shape {shape}", got[1], d_s, batch=n,
                         terms={"the derivative of log(2b) = log 2 + s": np.ones(shape),
                                "the derivative of |y−μ|·e^(−s)": d_s - 1.0})
    mu, s, y = _laplace_inputs(ctx, (6,), 2.0)
    mu[[0, 3]] = y[[0, 3]]
    got = ctx.expect_tuple("laplace_nll_grad", ctx.call("laplace_nll_grad", mu, s, y), 2)
    ctx.expect_close("d_mu where some μ equal y exactly (subgradient 0)", got[0], rb.laplace_nll_grad(mu, s, y)[0])


@check("laplace_nll_grad agrees with central differences of your laplace_nll, in μ and in log b", points=2)
def laplace_numerical(ctx: CheckContext) -> None:
    mu, s, y = _laplace_inputs(ctx, (3, 4), 2.0)
    got = ctx.expect_tuple("laplace_nll_grad", ctx.call("laplace_nll_grad", mu, s, y), 2)
    d_mu = ctx.expect_array("d_mu", got[0], mu.shape)
    d_s = ctx.expect_array("d_log_b", got[1], mu.shape)

    def loss(inputs: dict[str, np.ndarray]) -> float:
        return ctx.expect_number("laplace_nll", ctx.call("laplace_nll", inputs["mu"], inputs["log_b"], y))

    ctx.gradcheck("laplace_nll_grad", loss, {"mu": mu, "log_b": s}, {"mu": d_mu, "log_b": d_s})


@check("for fixed μ, d_log_b vanishes at the best scale b = |y − μ|", points=1)
def laplace_optimal_scale(ctx: CheckContext) -> None:
    mu, _, y = _laplace_inputs(ctx, (8,), 1.0)
    s = np.log(np.abs(y - mu))
    got = ctx.expect_tuple("laplace_nll_grad", bc.strict(ctx, "laplace_nll_grad", mu, s, y, inputs=LAPLACE_INPUTS),
                           2)
    ctx.expect_close("d_log_b at log_b = log|y − μ| (should be 0)", got[1], np.zeros(8), floor=1e-6)
