"""Checks for `logreg-bce` (runs in the grader; learner code only through ctx.call)."""

import numpy as np

from grader import reference as ref
from grader.checklib import CheckContext, check
from grader.compare import compare

BCE_SHAPES_LOCAL = [(6,), (3, 4), ()]
BCE_SHAPES_HIDDEN = [(5, 7), (2, 3, 2), (1,)]
# (N, D): N = 1 first (a mean equals the sum there), then sizes where a mean shows as a factor N.
# D = 1 last: with one component every wrong value looks like "a constant factor".
DATA_SHAPES_LOCAL = [(1, 3), (7, 2), (13, 5)]
DATA_SHAPES_HIDDEN = [(11, 7), (31, 4), (2, 1)]
CASES_PER_SHAPE = 4


def _data(ctx: CheckContext, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    # Scores w·x stay within a few units: σ is far from 0 and 1, so the naive formulas are accurate.
    X = ctx.rng.normal(0.0, 1.0, size=(n, d))
    y = ctx.rng.integers(0, 2, size=n).astype(np.float64)
    return X, y


def _weights(ctx: CheckContext, d: int) -> np.ndarray:
    return ctx.rng.normal(0.0, 1.0 / np.sqrt(d), size=d)


def _as_float(ctx: CheckContext, label: str, got) -> float:
    """The learner's loss as a float; a per-example vector is reported as 'not summed'."""
    if isinstance(got, int | float) and not isinstance(got, bool):
        return float(got)
    if isinstance(got, np.ndarray) and got.dtype.kind in "biuf":
        if got.size == 1:
            return float(got.reshape(()))
        ctx.fail(f"{label} returned an array of shape {got.shape}; it should return one number, the SUM of "
                 f"the per-example losses (eq. 6)", diagnosis="not_summed")
    kind = got.get("__unsupported__", "dict") if isinstance(got, dict) else type(got).__name__
    ctx.fail(f"{label} should return a float, but returned a {kind}", diagnosis="dtype")
    raise AssertionError  # unreachable: ctx.fail raises


def _bce_terms(yhat: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    # BCE(ŷ, 1) = −log ŷ and BCE(ŷ, 0) = −log(1−ŷ): the two terms of eq. (7), each with its weight.
    # (Full arrays, not scalars: reference broadcasting of a (1,) array warns inside Numba.)
    return {"the y = 1 term −y·log ŷ": y * ref.bce(yhat, np.ones_like(yhat)),
            "the y = 0 term −(1−y)·log(1−ŷ)": (1 - y) * ref.bce(yhat, np.zeros_like(yhat))}


@check("bce matches eq. (7) on random inputs", points=2)
def bce_values(ctx: CheckContext) -> None:
    for shape in ctx.cases(BCE_SHAPES_LOCAL, BCE_SHAPES_HIDDEN):
        yhat = ctx.rng.uniform(0.02, 0.98, size=shape)
        y = ctx.rng.integers(0, 2, size=shape).astype(np.float64)
        ctx.expect_close(f"bce(yhat, y) for shape {shape}", ctx.call("bce", yhat, y), ref.bce(yhat, y),
                         terms=_bce_terms(yhat, y))


@check("a perfect prediction costs 0 and BCE grows away from ŷ = y (L426)", points=1)
def bce_minimum(ctx: CheckContext) -> None:
    perfect = np.array([1.0, 0.0, 1.0, 0.0])
    got = ctx.call("bce", perfect, perfect.copy())
    result = compare("bce(ŷ = y) for ŷ = y = [1, 0, 1, 0]", got, np.zeros(4), floor=1e-12)
    if not result.ok:
        if result.diagnosis == "nan":
            ctx.fail("bce(ŷ, y) is nan for a perfect prediction (ŷ = y = 1 or ŷ = y = 0): 0·log 0 must count "
                     "as 0, its limit, so that the loss is minimal (0) at ŷ = y (L426)", diagnosis="nan",
                     details=result.details)
        ctx.fail(f"{result.explanation}; a perfect prediction should cost exactly 0", diagnosis=result.diagnosis,
                 details=result.details)
    # Along a grid of predictions, BCE must fall towards the label and stay > 0 away from it.
    grid = np.linspace(0.05, 0.95, 19)
    for label in (1.0, 0.0):
        values = ctx.expect_array(f"bce(yhat, y = {label:g})", ctx.call("bce", grid, np.full_like(grid, label)),
                                  grid.shape)
        toward_label = values if label == 1.0 else values[::-1]  # ordered as ŷ moves toward y
        ctx.expect(bool(np.all(np.isfinite(values)) and np.all(values > 0)),
                   f"bce(ŷ, y = {label:g}) should be positive for ŷ in (0, 1) away from y; got "
                   f"{np.array2string(values[:4], precision=3)} …",
                   diagnosis="sign" if np.all(values < 0) else "mismatch")
        ctx.expect(bool(np.all(np.diff(toward_label) < 0)),
                   f"bce(ŷ, y = {label:g}) should shrink as ŷ moves toward {label:g} (L426), but it does not",
                   diagnosis="mismatch")


@check("logreg_loss is the SUM of BCE(σ(w·xᵢ), yᵢ) over the rows", points=2)
def loss_values(ctx: CheckContext) -> None:
    for n, d in ctx.cases(DATA_SHAPES_LOCAL, DATA_SHAPES_HIDDEN):
        # Several data sets of one shape, compared as one vector: a constant factor (like 1/N) then shows
        # as such, where a single number would always look like "some factor".
        cases = [(*_data(ctx, n, d), _weights(ctx, d)) for _ in range(CASES_PER_SHAPE)]
        label = f"logreg_loss(w, X, y) for X of shape {(n, d)}"
        got = np.array([_as_float(ctx, label, ctx.call("logreg_loss", w, X, y)) for X, y, w in cases])
        expected = np.array([ref.logreg_loss(w, X, y) for X, y, w in cases])
        # Only one of the two BCE terms summed: named, so a dropped term is diagnosed as such.
        terms = {"the y = 1 terms −yᵢ·log ŷᵢ of the sum":
                 np.array([np.sum(y * ref.bce_with_logits(X @ w, np.ones(n))) for X, y, w in cases]),
                 "the y = 0 terms −(1−yᵢ)·log(1−ŷᵢ) of the sum":
                 np.array([np.sum((1 - y) * ref.bce_with_logits(X @ w, np.zeros(n))) for X, y, w in cases])}
        ctx.expect_close(f"{label} on {len(cases)} random data sets", got, expected, batch=n, terms=terms)


@check("logreg_grad is Σᵢ (ŷᵢ − yᵢ) xᵢ (eq. 9–10)", points=2)
def grad_values(ctx: CheckContext) -> None:
    for n, d in ctx.cases(DATA_SHAPES_LOCAL, DATA_SHAPES_HIDDEN):
        X, y = _data(ctx, n, d)
        w = _weights(ctx, d)
        ctx.expect_close(f"logreg_grad(w, X, y) for X of shape {(n, d)}", ctx.call("logreg_grad", w, X, y),
                         ref.logreg_grad(w, X, y), batch=n)


@check("logreg_grad agrees with central differences of your logreg_loss", points=2)
def grad_numerical(ctx: CheckContext) -> None:
    n, d = (17, 6) if ctx.official else (9, 4)
    X, y = _data(ctx, n, d)
    w = _weights(ctx, d)

    def loss(inputs: dict[str, np.ndarray]) -> float:
        return _as_float(ctx, "logreg_loss(w, X, y)", ctx.call("logreg_loss", inputs["w"], X, y))

    grad = ctx.expect_array("logreg_grad(w, X, y)", ctx.call("logreg_grad", w, X, y), (d,))
    ctx.gradcheck("d logreg_loss / dw", loss, {"w": w}, {"w": grad})
