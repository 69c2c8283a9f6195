"""Checks for `sigmoid` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import numpy as np

from grader import reference as ref
from grader.checklib import CheckContext, check
from grader.sandbox import LearnerError

SHAPES_LOCAL = [(7,), (3, 5), ()]
SHAPES_HIDDEN = [(1,), (13, 2), (2, 3, 5)]


def _strict(ctx: CheckContext, name: str, x: np.ndarray):
    try:
        return ctx.probe("strict", name, x, label=name)
    except LearnerError as error:
        if error.type == "FloatingPointError":
            ctx.fail(f"`{name}` triggers a floating-point error ({error.message}) for inputs like "
                     f"{np.array2string(x.ravel()[:6], precision=1)}: an exp overflowed or 0/0 or inf/inf "
                     f"happened.", diagnosis="overflow", details=error.traceback)
        raise


@check("sigmoid matches σ(x) on random inputs", points=2)
def forward_random(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        x = ctx.rng.normal(0.0, 3.0, size=shape)
        ctx.expect_close(f"sigmoid(x) for x of shape {shape}", ctx.call("sigmoid", x), ref.sigmoid(x))


@check("sigmoid is exact and warning-free at |x| >= 700", points=2)
def forward_extreme(ctx: CheckContext) -> None:
    x = np.array([-1000.0, -745.0, -710.0, -40.0, 0.0, 40.0, 710.0, 745.0, 1000.0])
    if ctx.official:
        x = np.concatenate([x, ctx.rng.uniform(-1e4, 1e4, size=5)])
    # Below 1e-30 values are compared absolutely: subnormals like exp(-745) round differently per formula.
    ctx.expect_close("sigmoid(x) at extreme x", _strict(ctx, "sigmoid", x), ref.sigmoid(x), floor=1e-30)


@check("sigmoid_grad matches σ(x)(1 − σ(x))", points=2)
def grad_matches(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        x = ctx.rng.normal(0.0, 3.0, size=shape)
        ctx.expect_close(f"sigmoid_grad(x) for x of shape {shape}", ctx.call("sigmoid_grad", x),
                         ref.sigmoid_grad(x))
    x = np.array([-800.0, -30.0, 30.0, 800.0])
    # σ(1−σ) cancels at |x| = 30 (the notes' formula); only ask for finite values near 0 there.
    ctx.expect_close("sigmoid_grad(x) at extreme x", _strict(ctx, "sigmoid_grad", x), ref.sigmoid_grad(x))


@check("sigmoid_grad agrees with central differences of your sigmoid", points=2)
def grad_numerical(ctx: CheckContext) -> None:
    x = ctx.rng.normal(0.0, 2.0, size=(4, 3))
    upstream = ctx.rng.standard_normal(x.shape)  # random, not ones: catches errors that cancel

    def loss(inputs: dict[str, np.ndarray]) -> float:
        out = ctx.expect_array("sigmoid(x)", ctx.call("sigmoid", inputs["x"]), x.shape)
        return float(np.sum(upstream * out))

    grad = ctx.expect_array("sigmoid_grad(x)", ctx.call("sigmoid_grad", x), x.shape)
    ctx.gradcheck("d sigmoid / dx", loss, {"x": x}, {"x": upstream * grad})
