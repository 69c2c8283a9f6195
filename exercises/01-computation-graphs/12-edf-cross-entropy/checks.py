"""Checks for `edf-cross-entropy` (runs in the grader; learner code only through ctx.probe).

The node runs on stand-in parents first (graded on its own); the last check chains the learner's
Softmax and CrossEntropyLoss and walks that small graph back from the loss (grader/graphwalk.py).
"""

import numpy as np

from grader import graphwalk as gw
from grader import reference as ref
from grader.checklib import CheckContext, check

# (N, C): a batch of 1, N = C (a wrong p[:, y] then has the right size), non-square, prime sizes.
SIZES_LOCAL = [(1, 3), (4, 4), (5, 3), (2, 7)]
SIZES_HIDDEN = [(13, 2), (6, 6), (3, 11), (1, 5)]


def _case(ctx: CheckContext, n: int, c: int) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities (softmax of random scores: every entry well above 0) and integer labels."""
    return ref.softmax(ctx.rng.normal(0.0, 1.0, size=(n, c))), ctx.rng.integers(0, c, size=n)


@check("CrossEntropyLoss.forward is the vector of −log p at each row's label, and the node registers itself",
       points=2)
def forward(ctx: CheckContext) -> None:
    for n, c in ctx.cases(SIZES_LOCAL, SIZES_HIDDEN):
        P, y = _case(ctx, n, c)
        inputs = {"p": P, "y": y}
        out = gw.run_node(ctx, "CrossEntropyLoss", inputs, None)
        gw.expect_judged(ctx, f"the loss's value for p of shape {(n, c)}", out["value"], ref.cross_entropy(P, y),
                         mistakes=gw.forward_mistakes("CrossEntropyLoss", inputs))
        ctx.expect(out["registered"], "CrossEntropyLoss.__init__ must append the node to CompNodes, or Forward() "
                                      "and Backward() never visit it.", diagnosis="not_registered")


@check("CrossEntropyLoss.backward sends p −grad / p at each row's label, 0 elsewhere", points=2)
def backward(ctx: CheckContext) -> None:
    for n, c in ctx.cases(SIZES_LOCAL, SIZES_HIDDEN):
        P, y = _case(ctx, n, c)
        inputs = {"p": P, "y": y}
        upstream = ctx.rng.uniform(0.5, 1.5, size=n) / n  # like Backward's 1/N seed, but not all equal
        out = gw.run_node(ctx, "CrossEntropyLoss", inputs, upstream)
        gw.expect_judged(ctx, f"the gradient the loss sends to p (shape {(n, c)})",
                         gw.received(ctx, "CrossEntropyLoss", out, "p"), ref.cross_entropy_backward(P, y, upstream),
                         batch=n, mistakes=gw.backward_mistakes("CrossEntropyLoss", "p", inputs, upstream))


@check("CrossEntropyLoss.backward agrees with central differences of your forward", points=2)
def backward_numerical(ctx: CheckContext) -> None:
    n, c = (4, 3) if not ctx.official else (7, 5)
    P, y = _case(ctx, n, c)
    gw.node_gradcheck(ctx, "CrossEntropyLoss", {"p": P}, ctx.rng.uniform(0.5, 1.5, size=n), fixed={"y": y})


@check("your Softmax and CrossEntropyLoss together: the walk from the loss back to the scores", points=2)
def with_softmax(ctx: CheckContext) -> None:
    for n, c in ctx.cases(SIZES_LOCAL[1:3], SIZES_HIDDEN[:2]):
        scores, y = ctx.rng.normal(0.0, 2.0, size=(n, c)), ctx.rng.integers(0, c, size=n)
        objects = {"s": {"kind": "input", "value": scores}, "y": {"kind": "input", "value": y}}
        spec = [["Softmax", "s"], ["CrossEntropyLoss", "#0", "y"]]
        # The notes' drivers run in the probe, so only the two nodes are on trial here, not edf-core.
        dump = ctx.probe("graph_dump", objects, spec, "probe")
        finding = gw.walk(dump)
        if finding is not None:
            ctx.fail(finding.message, diagnosis=finding.diagnosis, details=finding.details)
