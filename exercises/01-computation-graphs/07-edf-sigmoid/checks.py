"""Checks for `edf-sigmoid` (runs in the grader; learner code only through ctx.probe).

The probe builds the learner's Sigmoid on a stand-in parent (a .value and an addgrad that records
what it receives), so this exercise does not need edf-core to be finished.
"""

import numpy as np

from grader import graphwalk as gw
from grader import reference as ref
from grader.checklib import CheckContext, check

SHAPES_LOCAL = [(1, 1), (5, 3), (2, 7)]
SHAPES_HIDDEN = [(13, 2), (3, 11), (1, 5)]


@check("Sigmoid.forward is σ(x) and the node registers itself in CompNodes", points=1)
def forward(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        x = ctx.rng.normal(0.0, 3.0, size=shape)
        out = gw.run_node(ctx, "Sigmoid", {"x": x}, None)
        gw.expect_judged(ctx, f"Sigmoid's value for x of shape {shape}", out["value"], ref.edf_sigmoid_forward(x),
                         mistakes=gw.forward_mistakes("Sigmoid", {"x": x}))
        ctx.expect(out["registered"], "Sigmoid.__init__ must append the node to CompNodes (notes L815), or "
                                      "Forward() and Backward() never visit it.", diagnosis="not_registered")


@check("Sigmoid.forward clamps x to [−10, 10] (notes L819)", points=1)
def forward_clamped(ctx: CheckContext) -> None:
    x = np.array([[-1000.0, -40.0, -10.5], [10.5, 40.0, 1000.0]])
    if ctx.official:
        x = np.concatenate([x, ctx.rng.choice([-1, 1], size=(2, 3)) * ctx.rng.uniform(10.1, 800.0, size=(2, 3))])
    out = gw.run_node(ctx, "Sigmoid", {"x": x}, None)
    gw.expect_judged(ctx, "Sigmoid's value for |x| > 10", out["value"], ref.edf_sigmoid_forward(x),
                     mistakes=gw.forward_mistakes("Sigmoid", {"x": x}))


@check("Sigmoid.backward sends self.grad ⊙ σ(1 − σ) to its parent", points=2)
def backward(ctx: CheckContext) -> None:
    for shape in ctx.cases(SHAPES_LOCAL, SHAPES_HIDDEN):
        x = ctx.rng.uniform(-8.0, 8.0, size=shape)  # inside the clamp (curriculum erratum 2)
        upstream = ctx.rng.standard_normal(shape)  # random, not ones: catches errors that cancel
        out = gw.run_node(ctx, "Sigmoid", {"x": x}, upstream)
        expected = ref.edf_sigmoid_backward(ref.edf_sigmoid_forward(x), upstream)
        gw.expect_judged(ctx, f"the gradient Sigmoid sends to x (shape {shape})", gw.received(ctx, "Sigmoid", out, "x"),
                         expected, batch=shape[0], mistakes=gw.backward_mistakes("Sigmoid", "x", {"x": x}, upstream))


@check("Sigmoid.backward agrees with central differences of your forward", points=2)
def backward_numerical(ctx: CheckContext) -> None:
    shape = (4, 3) if not ctx.official else (7, 5)
    x = ctx.rng.uniform(-8.0, 8.0, size=shape)
    gw.node_gradcheck(ctx, "Sigmoid", {"x": x}, ctx.rng.standard_normal(shape))
