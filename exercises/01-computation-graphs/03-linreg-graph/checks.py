"""Checks for `linreg-graph` (runs in the grader; learner code only through ctx.call)."""

import numpy as np

from grader import reference as ref
from grader.checklib import CheckContext, check

Case = tuple[float, float, float, float]  # (w0, w1, x, y)

FINE_VALUES = ("u", "yhat", "z", "L")
FINE_GRADS = ("dL_dz", "dL_dyhat", "dL_du", "dL_dw0", "dL_dw1")
COARSE_VALUES = ("yhat", "L")
COARSE_GRADS = ("dL_dyhat", "dL_dw0", "dL_dw1")
# What each key is, for messages that name the wrong node.
NODES = {
    "u": "node (1) u = w₁x", "yhat": "node ŷ", "z": "node (3) z = ŷ − y", "L": "the loss L",
    "dL_dz": "dL/dz", "dL_dyhat": "dL/dŷ", "dL_du": "dL/du", "dL_dw0": "dL/dw₀", "dL_dw1": "dL/dw₁",
}


def _cases(ctx: CheckContext) -> list[Case]:
    cases = []
    for _ in range(10 if ctx.official else 6):
        w0, w1, x = ctx.rng.normal(0.0, 1.5, size=3)
        # y at least 0.25 away from ŷ: z (and so every gradient) is clearly non-zero.
        y = w0 + w1 * x + ctx.rng.choice([-1.0, 1.0]) * ctx.rng.uniform(0.25, 2.0)
        cases.append((float(w0), float(w1), float(x), float(y)))
    return cases


def _fine_ref(case: Case) -> dict[str, float]:
    return dict(zip(FINE_VALUES + FINE_GRADS, ref.linreg_fine(*case), strict=True))


def _coarse_ref(case: Case) -> dict[str, float]:
    return dict(zip(COARSE_VALUES + COARSE_GRADS, ref.linreg_coarse(*case), strict=True))


def _expect_nodes(ctx: CheckContext, fn: str, got: list[dict[str, float]], expected: list[dict[str, float]],
                  keys: tuple[str, ...]) -> None:
    # One vector per node over all cases (so a constant factor is named as one), nodes in graph order:
    # the first failure names the first wrong node.
    for key in keys:
        ctx.expect_close(f"{fn}(…)['{key}'] ({NODES[key]}) at {len(got)} random (w0, w1, x, y)",
                         np.array([g[key] for g in got]), np.array([e[key] for e in expected]))


def _forward(ctx: CheckContext, graph: str, case: Case) -> dict[str, float]:
    keys = FINE_VALUES if graph == "fine" else COARSE_VALUES
    return ctx.expect_numbers(f"{graph}_forward(w0, w1, x, y)", ctx.call(f"{graph}_forward", *case), keys)


def _backward(ctx: CheckContext, graph: str, case: Case, values: dict[str, float]) -> dict[str, float]:
    keys = FINE_GRADS if graph == "fine" else COARSE_GRADS
    return ctx.expect_numbers(f"{graph}_backward", ctx.call(f"{graph}_backward", *case, values), keys)


@check("fine graph forward: u, ŷ, z, L (L538–541)", points=2)
def fine_forward(ctx: CheckContext) -> None:
    cases = _cases(ctx)
    got = [_forward(ctx, "fine", c) for c in cases]
    _expect_nodes(ctx, "fine_forward", got, [_fine_ref(c) for c in cases], FINE_VALUES)


@check("fine graph backward: dL/dz, dL/dŷ, dL/du, dL/dw₀, dL/dw₁", points=2)
def fine_backward(ctx: CheckContext) -> None:
    cases = _cases(ctx)
    expected = [_fine_ref(c) for c in cases]
    # Correct forward values in, so a wrong gradient is not blamed on a wrong forward pass.
    got = [_backward(ctx, "fine", c, {k: e[k] for k in FINE_VALUES}) for c, e in zip(cases, expected, strict=True)]
    _expect_nodes(ctx, "fine_backward", got, expected, FINE_GRADS)


@check("coarse graph forward: ŷ, L (L556–557)", points=1)
def coarse_forward(ctx: CheckContext) -> None:
    cases = _cases(ctx)
    got = [_forward(ctx, "coarse", c) for c in cases]
    _expect_nodes(ctx, "coarse_forward", got, [_coarse_ref(c) for c in cases], COARSE_VALUES)


@check("coarse graph backward: dL/dŷ, dL/dw₀, dL/dw₁", points=1)
def coarse_backward(ctx: CheckContext) -> None:
    cases = _cases(ctx)
    expected = [_coarse_ref(c) for c in cases]
    got = [_backward(ctx, "coarse", c, {k: e[k] for k in COARSE_VALUES})
           for c, e in zip(cases, expected, strict=True)]
    _expect_nodes(ctx, "coarse_backward", got, expected, COARSE_GRADS)


@check("both graphs give the same dL/dw₀ and dL/dw₁", points=1)
def same_gradients(ctx: CheckContext) -> None:
    cases = _cases(ctx)
    # Each graph's backward gets that graph's own forward values: the learner's pipeline end to end.
    fine = [_backward(ctx, "fine", c, _forward(ctx, "fine", c)) for c in cases]
    coarse = [_backward(ctx, "coarse", c, _forward(ctx, "coarse", c)) for c in cases]
    for key in ("dL_dw0", "dL_dw1"):
        f, c = np.array([g[key] for g in fine]), np.array([g[key] for g in coarse])
        ctx.expect(bool(np.allclose(f, c, rtol=1e-9, atol=1e-12)),
                   f"{NODES[key]} differs between the graphs: the fine graph gives "
                   f"{np.array2string(f, precision=5)}, the coarse one {np.array2string(c, precision=5)} at the "
                   f"same (w0, w1, x, y). Splitting a step into smaller ones must not change the gradient.",
                   diagnosis="mismatch")


@check("dL/dw₀ and dL/dw₁ of both graphs agree with central differences of your L", points=2)
def numerical(ctx: CheckContext) -> None:
    for graph in ("fine", "coarse"):
        for w0, w1, x, y in _cases(ctx)[:2]:
            def loss(inputs: dict[str, np.ndarray], graph: str = graph, x: float = x, y: float = y) -> float:
                w = inputs["w"]
                return _forward(ctx, graph, (float(w[0]), float(w[1]), x, y))["L"]

            case = (w0, w1, x, y)
            grads = _backward(ctx, graph, case, _forward(ctx, graph, case))
            ctx.gradcheck(f"the {graph} graph's gradient (w = [w0, w1] = [{w0:.3g}, {w1:.3g}], x = {x:.3g}, "
                          f"y = {y:.3g})", loss, {"w": np.array([w0, w1])},
                          {"w": np.array([grads["dL_dw0"], grads["dL_dw1"]])})
