"""Checks for `logreg-backprop` (runs in the grader; learner code only through ctx.call)."""

import numpy as np

from grader import reference as ref
from grader.checklib import CheckContext, check
from grader.compare import compare

Case = tuple[float, float, float, float]  # (w0, w1, x, y)

VALUES = ("u", "yhat", "L")
GRADS = ("dL_dyhat", "dL_du", "dL_dw0", "dL_dw1")
NODES = {"u": "u = w₀ + w₁x", "yhat": "ŷ = σ(u)", "L": "L = BCE(ŷ, y)", "dL_dyhat": "dL/dŷ (L728 step 3)",
         "dL_du": "dL/du (L728 step 2)", "dL_dw0": "dL/dw₀ (L728 step 1)", "dL_dw1": "dL/dw₁ (L728 step 1)"}


def _cases(ctx: CheckContext) -> list[Case]:
    cases: list[Case] = []
    labels = [0.0, 1.0] * (5 if ctx.official else 3)  # both labels, always
    for y in labels:
        while True:
            w0, w1, x = ctx.rng.normal(0.0, 1.5, size=3)
            # |u| ≤ 4: ŷ within (0.018, 0.982), so the notes' formulas stay accurate (no 0/0 near ŷ ∈ {0, 1}).
            if abs(w0 + w1 * x) <= 4.0 and abs(x) > 0.1:
                break
        cases.append((float(w0), float(w1), float(x), y))
    return cases


def _ref(case: Case) -> dict[str, float]:
    return dict(zip(VALUES + GRADS, ref.logreg_scalar(*case), strict=True))


def _forward(ctx: CheckContext, case: Case) -> dict[str, float]:
    return ctx.expect_numbers("forward(w0, w1, x, y)", ctx.call("forward", *case), VALUES)


def _backward(ctx: CheckContext, case: Case, values: dict[str, float]) -> dict[str, float]:
    return ctx.expect_numbers("backward(w0, w1, x, y, values)", ctx.call("backward", *case, values), GRADS)


def _expect(ctx: CheckContext, key: str, got: np.ndarray, expected: np.ndarray,
            known: dict[str, np.ndarray] | None = None) -> None:
    """Compare one node over all cases; a known mistake (what it equals instead) is named."""
    label = f"{NODES[key]} at {len(got)} random (w0, w1, x, y)"
    result = compare(label, got, expected)
    if result.ok:
        return
    for why, value in (known or {}).items():
        if compare(label, got, value).ok:
            ctx.fail(f"{label} {why}", diagnosis="mismatch", details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


def _column(rows: list[dict[str, float]], key: str) -> np.ndarray:
    return np.array([r[key] for r in rows])


@check("forward: u, ŷ = σ(u) and L = BCE(ŷ, y) (L719)", points=2)
def forward_values(ctx: CheckContext) -> None:
    cases = _cases(ctx)
    got = [_forward(ctx, c) for c in cases]
    expected = [_ref(c) for c in cases]
    for key in VALUES:
        _expect(ctx, key, _column(got, key), _column(expected, key))


@check("backward: dL/dŷ = (ŷ − y) / (ŷ(1 − ŷ)) (L728 step 3)", points=1)
def grad_yhat(ctx: CheckContext) -> None:
    cases = _cases(ctx)
    expected = [_ref(c) for c in cases]
    got = [_backward(ctx, c, {k: e[k] for k in VALUES}) for c, e in zip(cases, expected, strict=True)]
    _expect(ctx, "dL_dyhat", _column(got, "dL_dyhat"), _column(expected, "dL_dyhat"))


@check("backward: dL/du, dL/dw₀, dL/dw₁ (L728 steps 2 and 1)", points=2)
def grad_params(ctx: CheckContext) -> None:
    cases = _cases(ctx)
    expected = [_ref(c) for c in cases]
    # Correct forward values in: a wrong gradient is not blamed on a wrong forward pass.
    got = [_backward(ctx, c, {k: e[k] for k in VALUES}) for c, e in zip(cases, expected, strict=True)]
    xs = np.array([c[2] for c in cases])
    dyhat = _column(expected, "dL_dyhat")
    _expect(ctx, "dL_du", _column(got, "dL_du"), _column(expected, "dL_du"), {
        "equals dL/dŷ: the local derivative dŷ/du = σ(u)(1 − σ(u)) of step (2) is missing": dyhat,
    })
    _expect(ctx, "dL_dw0", _column(got, "dL_dw0"), _column(expected, "dL_dw0"), {
        "equals dL/dŷ: it should be dL/du · du/dw₀ = dL/du": dyhat,
    })
    _expect(ctx, "dL_dw1", _column(got, "dL_dw1"), _column(expected, "dL_dw1"), {
        "equals dL/du: the local derivative du/dw₁ = x is missing": _column(expected, "dL_du"),
        "equals dL/dŷ·x: the factor σ(u)(1 − σ(u)) of step (2) is missing": dyhat * xs,
    })


@check("dL/dw equals (ŷ − y)·(1, x), eq. (9)", points=1)
def eq9(ctx: CheckContext) -> None:
    cases = _cases(ctx)
    # The learner's pipeline end to end, against the closed form of eq. (9) (L480).
    got = [_backward(ctx, c, _forward(ctx, c)) for c in cases]
    xs, ys = np.array([c[2] for c in cases]), np.array([c[3] for c in cases])
    residual = ref.sigmoid(np.array([c[0] + c[1] * c[2] for c in cases])) - ys
    _expect(ctx, "dL_dw0", _column(got, "dL_dw0"), residual)
    _expect(ctx, "dL_dw1", _column(got, "dL_dw1"), residual * xs)


@check("dL/dw₀, dL/dw₁ agree with central differences of your L", points=2)
def numerical(ctx: CheckContext) -> None:
    for case in _cases(ctx)[:4]:
        w0, w1, x, y = case

        def loss(inputs: dict[str, np.ndarray], x: float = x, y: float = y) -> float:
            w = inputs["w"]
            return _forward(ctx, (float(w[0]), float(w[1]), x, y))["L"]

        grads = _backward(ctx, case, _forward(ctx, case))
        ctx.gradcheck(f"the gradient (w = [w0, w1] = [{w0:.3g}, {w1:.3g}], x = {x:.3g}, y = {y:g})", loss,
                      {"w": np.array([w0, w1])}, {"w": np.array([grads["dL_dw0"], grads["dL_dw1"]])})
