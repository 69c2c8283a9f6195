"""Checks for `edf-softmax` (runs in the grader; learner code only through ctx.probe).

The learner's Softmax runs on a stand-in parent (a .value and an addgrad that records what it
receives), so it is graded on its own. Square shapes (N = C) are included on purpose: there a
missing keepdims or a sum over the wrong axis gives wrong numbers instead of a broadcasting error.
"""

import numpy as np

from grader import graphwalk as gw
from grader import reference as ref
from grader.checklib import CheckContext, check

SHAPES_LOCAL = [(4, 4), (1, 3), (5, 3), (2, 7)]
SHAPES_HIDDEN = [(6, 6), (13, 2), (3, 11), (1, 5)]


@check("Softmax.forward normalizes each row, and the node registers itself", points=2)
def forward(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        x = ctx.rng.normal(0.0, 2.0, size=shape)
        out = gw.run_node(ctx, "Softmax", {"x": x}, None)
        gw.expect_judged(ctx, f"Softmax's value for x of shape {shape}", out["value"], ref.softmax(x),
                         mistakes=gw.forward_mistakes("Softmax", {"x": x}))
        ctx.expect(out["registered"], "Softmax.__init__ must append the node to CompNodes, or Forward() and "
                                      "Backward() never visit it.", diagnosis="not_registered")


@check("Softmax.forward is stable for large scores (subtracts the row max)", points=1)
def forward_stable(ctx: CheckContext) -> None:
    x = np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -1001.0], [800.0, -800.0, 0.0]])
    if ctx.official:
        x = np.concatenate([x, ctx.rng.uniform(-900.0, 900.0, size=(3, 3))])
    out = gw.run_node(ctx, "Softmax", {"x": x}, None)
    value = out["value"]
    if isinstance(value, np.ndarray) and value.shape == x.shape and not np.all(np.isfinite(value)):
        ctx.fail("Softmax's value contains NaN or inf for scores around ±1000: exp(1000) overflows. Subtract each "
                 "row's max first, x - np.max(x, axis=1, keepdims=True): softmax does not change, and every "
                 "exp() is at most 1.", diagnosis="nan")
    gw.expect_judged(ctx, "Softmax's value for scores around ±1000", value, ref.softmax(x),
                     mistakes=gw.forward_mistakes("Softmax", {"x": x}))


@check("Softmax.backward sends P ⊙ (G − Σ_c G ⊙ P) to its parent", points=3)
def backward(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        x = ctx.rng.normal(0.0, 2.0, size=shape)
        upstream = ctx.rng.standard_normal(shape)  # random, not ones: Σ_c P = 1 would hide a missing term
        out = gw.run_node(ctx, "Softmax", {"x": x}, upstream)
        gw.expect_judged(ctx, f"the gradient Softmax sends to x (shape {shape})", gw.received(ctx, "Softmax", out, "x"),
                         ref.softmax_backward(ref.softmax(x), upstream), batch=shape[0],
                         mistakes=gw.backward_mistakes("Softmax", "x", {"x": x}, upstream))


@check("Softmax.backward agrees with central differences of your forward", points=2)
def backward_numerical(ctx: CheckContext) -> None:
    shape = (4, 3) if not ctx.official else (5, 7)
    gw.node_gradcheck(ctx, "Softmax", {"x": ctx.rng.normal(0.0, 2.0, size=shape)}, ctx.rng.standard_normal(shape))
