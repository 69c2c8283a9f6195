"""Checks for `sigmoid-sum-approx` (runs in the grader; learner code only through ctx.call).

Every approximation error is measured HERE: the grader evaluates G(x) with grader.reference_deepnets from
the parameters the learner returns, on grids the learner never sees.
"""

import math

import numpy as np

from grader import reference_deepnets as rd
from grader.checklib import CheckContext, check
from grader.compare import compare
from grader.sandbox import LearnerError

FIT_UNITS, FIT_STEEPNESS = 6, 12.0  # the coarse staircase that gradient descent starts from
FIT_RUN = {"steps": 3000, "learning_rate": 0.2}
FIT_TARGET = 0.1  # sup |G − f| after fitting; the staircase it starts from is ≈ 0.36 off, the reference ≈ 0.04


def _grid(ctx: CheckContext, n: int = 4001) -> np.ndarray:
    """A dense grid of [0, 1] with its ends, plus random points (off any fixed lattice)."""
    return np.sort(np.concatenate([np.linspace(0.0, 1.0, n), ctx.rng.uniform(0.0, 1.0, n // 4)]))


def _trig(ctx: CheckContext, terms: int) -> tuple[callable, float, str]:
    """f(x) = Σ_k c_k sin(2π k x + φ_k), with the bound max|f'| ≤ Σ |c_k| 2π k."""
    amps, phases = ctx.rng.normal(0.0, 1.0, terms), ctx.rng.uniform(0.0, 2 * np.pi, terms)
    freqs = np.arange(1, terms + 1)

    def f(x: np.ndarray) -> np.ndarray:
        return np.sum(amps[:, None] * np.sin(2 * np.pi * freqs[:, None] * np.asarray(x)[None, :] + phases[:, None]),
                      axis=0)

    return f, float(np.sum(np.abs(amps) * 2 * np.pi * freqs)), f"a sum of {terms} sines"


def _params(ctx: CheckContext, got: object, label: str, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    got = ctx.expect_tuple(label, got, 4)
    alpha, a, b = (ctx.expect_array(f"{name} from {label}", v, (n,)) for name, v in zip("αab", got[:3], strict=False))
    return alpha, a, b, ctx.expect_number(f"c from {label}", got[3])


@check("sigmoid_sum: G(x) = c + Σ α_j σ(a_j x + b_j) (L1130), also for steep units", points=1)
def forward(ctx: CheckContext) -> None:
    for p, n in ctx.cases([(9, 4), (1, 3), (5, 1)], [(13, 7), (2, 2)]):
        x = ctx.rng.uniform(-1.0, 2.0, p)
        alpha, a, b, c = ctx.rng.normal(size=n), ctx.rng.normal(0, 3, n), ctx.rng.normal(size=n), float(ctx.rng.normal())
        # A steep unit whose a x + b reaches below -709 at x = -1 and (with two or more points) above +709 at x = 2:
        # a naive 1/(1 + e^-u) overflows at the first, a naive e^u/(1 + e^u) at the second, whatever the draw.
        a[0] = 1000.0
        x[0] = -1.0
        if p > 1:
            x[-1] = 2.0
        label = f"sigmoid_sum for P = {p} points and {n} units"
        try:
            out = ctx.probe("strict", "sigmoid_sum", x, alpha, a, b, c, label="sigmoid_sum")
        except LearnerError as error:
            if error.type != "FloatingPointError":
                raise
            ctx.fail(f"{label} overflowed ({error.message}) for a steep unit with |a x + b| near 1000: "
                     f"np.exp(-u) overflows for u < −709 and np.exp(u) for u > 709. Use the given sigmoid, which "
                     f"never exponentiates a positive number.", diagnosis="overflow", details=error.traceback)
        got = ctx.expect_array(label, out, (p,))
        ctx.expect_close(label, got, rd.sigmoid_sum(x, alpha, a, b, c),
                         terms={"c, the output bias": np.full(p, c)})


@check("step_sum_params: the staircase of Fig. 33, one sigmoid step per interval, at its midpoint", points=2)
def staircase(ctx: CheckContext) -> None:
    for n, s in ctx.cases([(5, 60.0), (1, 10.0), (12, 200.0)], [(9, 90.0), (3, 25.0)]):
        knots = np.cumsum(np.r_[ctx.rng.uniform(-0.5, 0.5), ctx.rng.uniform(0.05, 0.3, n)])  # uneven intervals
        values = ctx.rng.normal(0.0, 1.0, n + 1)
        label = f"step_sum_params(knots, values, {s:g}) with {n + 1} knots"
        alpha, a, b, c = _params(ctx, ctx.call("step_sum_params", knots, values, s), label, n)
        grid = np.linspace(knots[0] - 0.2, knots[-1] + 0.2, 2001)
        got = rd.sigmoid_sum(grid, alpha, a, b, c)
        want_params = rd.step_sum_params(knots, values, s)
        want = rd.sigmoid_sum(grid, *want_params)
        result = compare(f"G(x) of your staircase ({label})", got, want, rtol=1e-9, floor=1e-9)
        if not result.ok:
            at_knots = rd.sigmoid_sum(grid, want_params[0], want_params[1], -s * knots[:-1], c)
            slips = {"steps at the left knot of each interval, not at its midpoint (knots[j−1] + knots[j]) / 2":
                     at_knots,
                     "misses c = values[0]: without it the staircase starts at 0": want - want_params[3],
                     "uses the values as step heights: each unit steps by the CHANGE values[j] − values[j−1]":
                         rd.sigmoid_sum(grid, values[1:], want_params[1], want_params[2], c)}
            for why, value in slips.items():
                ctx.expect(not compare("", got, value, rtol=1e-9, floor=1e-9).ok, f"{label}: your staircase {why}",
                           diagnosis="mismatch", details=result.details)
            ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


@check("staircase_size: enough units and steepness for max error ε, within 2·ceil(L/ε) units", points=2)
def sized(ctx: CheckContext) -> None:
    cases = ctx.cases([("sin", 0.05), (3, 0.1), (2, 0.02)], [("sin", 0.03), (4, 0.05)])
    for kind, eps in cases:
        if kind == "sin":
            f, slope, what = (lambda x: np.sin(2 * np.pi * np.asarray(x))), 2 * np.pi, "sin(2πx)"
        else:
            f, slope, what = _trig(ctx, kind)
        label = f"staircase_size({slope:.6g}, {eps:g})"
        got = ctx.expect_tuple(label, ctx.call("staircase_size", slope, eps), 2)
        n_units, steep = (ctx.expect_number(f"{name} from {label}", v) for name, v in zip(("n_units", "steepness"),
                                                                                           got, strict=True))
        budget = 2 * math.ceil(slope / eps)
        ctx.expect(n_units == int(n_units) and 1 <= n_units <= budget,
                   f"{label} asks for {n_units:g} units; use a whole number between 1 and 2·ceil(L/ε) = {budget}",
                   diagnosis="budget")
        ctx.expect(steep > 0, f"{label} returned steepness {steep:g}; it must be positive", diagnosis="mismatch")
        knots = np.linspace(0.0, 1.0, int(n_units) + 1)
        grid = _grid(ctx)
        err = np.abs(rd.sigmoid_sum(grid, *rd.step_sum_params(knots, f(knots), steep)) - f(grid))
        worst = int(np.argmax(err))
        ctx.expect(float(err[worst]) < eps,
                   f"with {label} = ({int(n_units)} units, steepness {steep:g}), the staircase through {what} (|f'| ≤ "
                   f"{slope:.4g}) is {err[worst]:.4g} away from f at x = {grid[worst]:.4f}, not within ε = {eps:g}. "
                   f"Between two steps the staircase is flat while f moves by up to |f'|·h/2; and each sigmoid must "
                   f"have finished its step half an interval away (steepness · h/2 ≫ 1).", diagnosis="accuracy")


def _grads(ctx: CheckContext, x, y, alpha, a, b, c) -> tuple:
    label = "sigmoid_sum_grads(x, y, alpha, a, b, c)"
    got = ctx.expect_tuple(label, ctx.call("sigmoid_sum_grads", x, y, alpha, a, b, c), 5)
    return (ctx.expect_number(f"loss from {label}", got[0]), ctx.expect_array("dalpha", got[1], alpha.shape),
            ctx.expect_array("da", got[2], a.shape), ctx.expect_array("db", got[3], b.shape),
            ctx.expect_number(f"dc from {label}", got[4]))


def _problem(ctx: CheckContext, p: int, n: int) -> tuple:
    return (ctx.rng.uniform(0.0, 1.0, p), ctx.rng.normal(0.0, 1.0, p), ctx.rng.normal(0.0, 1.0, n),
            ctx.rng.normal(0.0, 4.0, n), ctx.rng.normal(0.0, 2.0, n), float(ctx.rng.normal()))


@check("sigmoid_sum_grads: the mean squared error and its gradients dα, da, db, dc", points=2)
def grads(ctx: CheckContext) -> None:
    for p, n in ctx.cases([(11, 4), (7, 1), (1, 3)], [(17, 6), (3, 2)]):
        x, y, alpha, a, b, c = _problem(ctx, p, n)
        got = _grads(ctx, x, y, alpha, a, b, c)
        want = rd.sigmoid_sum_mse_grads(x, y, alpha, a, b, c)
        for name, g, w in zip(("loss", "dalpha", "da", "db", "dc"), got, want, strict=True):
            label = f"{name} from sigmoid_sum_grads for P = {p} points and {n} units"
            if name == "loss" and p > 1:
                ctx.expect(not compare(label, np.asarray(g), p * w).ok,
                           f"{label} is the sum over the {p} points: L is their mean, (1/P) Σ_p (G(x_p) − y_p)²",
                           diagnosis="batch_factor")
            if name == "da" and not compare(label, want[2], want[3]).ok:  # the slip da = db, where it shows
                ctx.expect(not compare(label, np.asarray(g), want[3]).ok,
                           f"{label} equals db: a_j multiplies x_p inside σ(a_j x_p + b_j), so each term of da "
                           f"carries the factor x_p that db lacks (chain rule)", diagnosis="missing_term")
            ctx.expect_close(label, np.asarray(g), np.asarray(w), batch=p)


@check("sigmoid_sum_grads agrees with central differences of its own loss", points=1)
def grads_numerical(ctx: CheckContext) -> None:
    x, y, alpha, a, b, c = _problem(ctx, 9, 3)

    def loss(v: dict[str, np.ndarray]) -> float:
        return _grads(ctx, x, y, v["alpha"], v["a"], v["b"], float(v["c"][0]))[0]

    _, dalpha, da, db, dc = _grads(ctx, x, y, alpha, a, b, c)
    ctx.gradcheck("d mean (G − y)²", loss, {"alpha": alpha, "a": a, "b": b, "c": np.array([c])},
                  {"alpha": dalpha, "a": da, "b": db, "c": np.array([dc])})


def _fit(ctx: CheckContext, x, y, start: tuple, steps: int, rate: float) -> tuple:
    label = f"fit_sigmoid_sum(x, y, ..., steps={steps}, learning_rate={rate:g})"
    got = ctx.expect_tuple(label, ctx.call("fit_sigmoid_sum", x, y, *start, steps, rate), 5)
    n = len(start[0])
    alpha, a, b, c = _params(ctx, got[:4], label, n)
    losses = ctx.expect_array(f"losses from {label}", got[4], (steps,))
    ctx.expect(all(np.all(np.isfinite(v)) for v in (alpha, a, b, c, losses)),
               f"{label} returned NaN or inf: the descent diverged", diagnosis="nan")
    return alpha, a, b, c, losses


def _reference_fit(x, y, start: tuple, steps: int, rate: float) -> tuple:
    alpha, a, b = (np.array(v, dtype=np.float64) for v in start[:3])
    c = float(start[3])
    losses = []
    for _ in range(steps):
        loss, dal, da, db, dc = rd.sigmoid_sum_mse_grads(x, y, alpha, a, b, c)
        losses.append(loss)
        alpha, a, b, c = alpha - rate * dal, a - rate * da, b - rate * db, c - rate * dc
    return alpha, a, b, c, np.array(losses)


@check("fit_sigmoid_sum takes `steps` gradient-descent steps of size learning_rate", points=1)
def fit_steps(ctx: CheckContext) -> None:
    x, y, alpha, a, b, c = _problem(ctx, 12, 4)
    rate, k = (float(ctx.rng.uniform(0.05, 0.4)), 4) if ctx.official else (0.2, 5)
    got = _fit(ctx, x, y, (alpha, a, b, c), k, rate)
    want = _reference_fit(x, y, (alpha, a, b, c), k, rate)
    after = _reference_fit(x, y, (alpha, a, b, c), k + 1, rate)[4][1:]
    ctx.expect(not (compare("", got[4], after).ok and not compare("", after, want[4]).ok),
               f"losses from fit_sigmoid_sum(..., steps={k}) is the loss AFTER each step: record "
               f"losses[t] before step t changes the parameters (losses[0] is the loss at the start)", diagnosis="iterations")
    for name, g, w in zip(("alpha", "a", "b", "c", "losses (the loss before each step)"), got, want, strict=True):
        ctx.expect_close(f"{name} after fit_sigmoid_sum(..., steps={k}, learning_rate={rate:g})", np.asarray(g),
                         np.asarray(w))


@check("gradient descent from a coarse staircase fits sin(2πx) to within 0.1 on the grader's grid", points=2)
def fit(ctx: CheckContext) -> None:
    x = np.linspace(0.0, 1.0, 50) if not ctx.official else np.sort(np.r_[0.0, ctx.rng.uniform(0, 1, 48), 1.0])
    y = np.sin(2 * np.pi * x)
    knots = np.linspace(0.0, 1.0, FIT_UNITS + 1)
    start = rd.step_sum_params(knots, np.sin(2 * np.pi * knots), FIT_STEEPNESS)
    alpha, a, b, c, losses = _fit(ctx, x, y, start, FIT_RUN["steps"], FIT_RUN["learning_rate"])
    # The parameters must be those the descent reaches, rerun here (the runs agree to ~1e-14): parameters stored for
    # sin(2πx) cannot stand in for the descent.
    want = _reference_fit(x, y, start, FIT_RUN["steps"], FIT_RUN["learning_rate"])
    for name, got_v, want_v in zip(("alpha", "a", "b", "c"), (alpha, a, b, c), want, strict=False):
        ctx.expect(bool(np.allclose(got_v, want_v, rtol=1e-6, atol=1e-8)),
                   f"{name} returned by fit_sigmoid_sum(..., steps={FIT_RUN['steps']}, learning_rate="
                   f"{FIT_RUN['learning_rate']}) is not what that many gradient-descent steps from the staircase reach "
                   f"(run by the grader with the exact gradients). If the gradient or step checks fail, fix those "
                   f"first; otherwise return the parameters your own descent reached", diagnosis="iterations")
    grid = _grid(ctx)
    f = np.sin(2 * np.pi * grid)
    before = float(np.max(np.abs(rd.sigmoid_sum(grid, *start) - f)))
    after = float(np.max(np.abs(rd.sigmoid_sum(grid, alpha, a, b, c) - f)))
    ctx.plot(f"mean squared error while fitting {FIT_UNITS} sigmoids to sin(2πx)", {"loss": losses}, log_y=True)
    ctx.expect(after < FIT_TARGET, f"after {FIT_RUN['steps']} steps from the {FIT_UNITS}-unit staircase (max error "
                                   f"{before:.3g}), your fitted sum of sigmoids is still {after:.3g} away from sin(2πx) "
                                   f"somewhere in [0, 1] (computed by the grader from the parameters you returned); the "
                                   f"target is {FIT_TARGET}.", diagnosis="accuracy")
