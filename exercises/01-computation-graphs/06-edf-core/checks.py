"""Checks for `edf-core` (runs in the grader; learner code only through ctx.probe).

The probe builds small graphs from nodes it defines itself (known correct) on top of the learner's
CompNode, Parameter and Input, so every failure here is about edf.core alone.
"""

import numpy as np

from grader import reference as ref
from grader.checklib import CheckContext, check
from grader.sandbox import LearnerError

# (N, D, M): batch, input width, output width; N differs from D and M so a wrong axis shows.
SIZES_LOCAL = [(5, 3, 2), (1, 4, 3)]
SIZES_HIDDEN = [(7, 2, 5), (11, 3, 3)]


@check("Input ignores gradients; Parameter keeps a float64 array and registers itself", points=1)
def input_and_parameter(ctx: CheckContext) -> None:
    value = ctx.rng.integers(-3, 4, size=(3, 2))  # integers: Parameter must store float64
    out = ctx.probe("input_and_parameter", value, ctx.rng.standard_normal((4, 3)))
    ctx.expect(not out["input_changed"], "Input.addgrad must ignore delta (notes L762-763): your Input's .grad "
                                         "changed.", diagnosis="mismatch")
    for label, got in (("Parameter(value).value", out["value"]), ("Parameter(nested list).value", out["list_value"])):
        got = ctx.expect_array(label, got, value.shape)
        ctx.expect(got.dtype == np.float64, f"{label} has dtype {got.dtype}; store it as DT = np.float64 "
                                            f"(notes L766: self.value = DT(value))", diagnosis="dtype")
        ctx.expect_close(label, got, value.astype(np.float64))
    ctx.expect(all(out["registered"]) and out["count"] == 2,
               f"Parameter.__init__ must append self to Parameters (notes L767); after creating 2 Parameters "
               f"the list holds {out['count']}.", diagnosis="not_registered")


@check("Parameter.addgrad sums over the batch axis 0 and accumulates", points=2)
def parameter_addgrad(ctx: CheckContext) -> None:
    for n, d, m in ctx.cases(SIZES_LOCAL, SIZES_HIDDEN):
        deltas = [ctx.rng.standard_normal((n, d, m)) for _ in range(2)]
        got = ctx.probe("parameter_addgrad", np.zeros((d, m)), deltas)
        expected = sum(np.sum(delta, axis=0) for delta in deltas)
        ctx.expect_close(f"Parameter.grad after two addgrad calls with deltas of shape {(n, d, m)}", got, expected,
                         batch=n, terms={"the last delta (= instead of +=: self.grad += np.sum(delta, axis=0))":
                                         np.sum(deltas[-1], axis=0)})


@check("CompNode.addgrad accumulates what every consumer sends", points=1)
def compnode_addgrad(ctx: CheckContext) -> None:
    shape = (4, 3)
    deltas = [ctx.rng.standard_normal(shape) for _ in range(3)]
    got = ctx.probe("compnode_addgrad", list(shape), deltas)
    ctx.expect_close("CompNode.grad after three addgrad calls", got, sum(deltas),
                     terms={"the last delta (= instead of +=: a node feeding several nodes gets a delta from "
                            "each)": deltas[-1]})


def _graph_values(X: np.ndarray, W: np.ndarray) -> list[np.ndarray]:
    h = ref.matmul(X, W)
    s = h**2
    a = s + h
    return [h, s, a, np.sum(a, axis=1)]


@check("Forward computes the nodes in creation order", points=1)
def forward(ctx: CheckContext) -> None:
    n, d, m = SIZES_LOCAL[0]
    X, W = ctx.rng.standard_normal((n, d)), ctx.rng.standard_normal((d, m))
    out = ctx.probe("forward_run", X, W)
    ctx.expect(out["order"] == [0, 1, 2, 3], f"Forward must call forward() once per CompNode, in creation order "
                                             f"(notes L786); it called nodes {out['order']} of [0, 1, 2, 3].",
               diagnosis="order")
    for k, (got, expected) in enumerate(zip(out["values"], _graph_values(X, W), strict=True)):
        ctx.expect_close(f"the value of node {k} after Forward()", got, expected)


def _expected_grads(X: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, list[np.ndarray], dict[str, np.ndarray]]:
    """Gradients of mean(L) for L = Σ_row (h² + h), h = X W (the graph in probe.py), and the two
    contributions to h's gradient, which feeds two nodes."""
    n = len(X)
    h = ref.matmul(X, W)
    g_loss = np.ones(n) / n
    g_a = g_loss[:, None] * np.ones_like(h)
    g_s = g_a
    parts = {"what a = s + h sent it (CompNode.addgrad must add, +=)": g_a,
             "what s = h² sent it (CompNode.addgrad must add, +=)": 2 * h * g_s}
    g_h = sum(parts.values())
    return ref.matmul(X.T, g_h), [g_h, g_s, g_a, g_loss], parts


def _backward_run(ctx: CheckContext, X: np.ndarray, W: np.ndarray, passes: int) -> dict:
    try:
        return ctx.probe("backward_run", X, W, passes)
    except LearnerError as error:
        if error.type == "AttributeError" and "grad" in error.message:
            ctx.fail(f"Backward must give every CompNode AND every Parameter a zero gradient before the backward "
                     f"pass, for c in CompNodes + Parameters: c.grad = np.zeros(c.value.shape, dtype=DT) (notes "
                     f"L789-790); then addgrad can add to it. Your code raised AttributeError: {error.message}",
                     diagnosis="zeros", details=error.traceback)
        raise


NODE_NAMES = ["h = x W", "s = h²", "a = s + h", "the loss L = Σ_row a"]


@check("Backward seeds loss.grad = 1/N and calls backward() in reverse creation order", points=2)
def backward(ctx: CheckContext) -> None:
    for n, d, m in ctx.cases(SIZES_LOCAL, SIZES_HIDDEN):
        X, W = ctx.rng.standard_normal((n, d)), ctx.rng.standard_normal((d, m))
        out = _backward_run(ctx, X, W, 1)
        ctx.expect(out["order"] == [3, 2, 1, 0],
                   f"Backward must call backward() once per CompNode in reverse creation order, for c in "
                   f"CompNodes[::-1] (notes L794): a node's gradient is complete only after every node it feeds "
                   f"has run. Yours called nodes {out['order']} of [3, 2, 1, 0].", diagnosis="order")
        w_grad, grads, parts = _expected_grads(X, W)
        seed = ctx.expect_array("loss.grad when the loss's backward() starts", out["grads_at_backward"][0], (n,))
        if np.all(seed == 0):
            ctx.fail("loss.grad is zero when the loss's backward() starts: the zeroing loop wiped the seed. Set "
                     "loss.grad = np.ones(loss.value.shape) / len(loss.value) AFTER zeroing every gradient "
                     "(curriculum erratum 1 on L791).", diagnosis="seed")
        if n > 1 and np.allclose(seed, 1.0):
            ctx.fail(f"Backward seeds loss.grad with ones: edf minimizes the MEAN of the per-example losses, so "
                     f"loss.grad = np.ones(loss.value.shape) / len(loss.value) (notes L791). Every gradient is "
                     f"then {n} (the batch size) times too large.", diagnosis="batch_factor")
        ctx.expect_close("loss.grad when the loss's backward() starts", seed, grads[3], batch=n)
        for k in (2, 1, 0):
            ctx.expect_close(f"the gradient of {NODE_NAMES[k]} after Backward", out["grads"][k], grads[k], batch=n,
                             terms=parts if k == 0 else None)
        ctx.expect_close("the Parameter W's gradient after Backward", out["w_grad"], w_grad, batch=n)


@check("Backward zeroes every gradient first: calling it twice gives the same gradients", points=1)
def backward_twice(ctx: CheckContext) -> None:
    n, d, m = (4, 3, 2) if not ctx.official else (6, 5, 3)
    X, W = ctx.rng.standard_normal((n, d)), ctx.rng.standard_normal((d, m))
    out = _backward_run(ctx, X, W, 2)
    w_grad, grads, parts = _expected_grads(X, W)
    what = ("Backward must set c.grad = np.zeros(c.value.shape) for every c in CompNodes + Parameters before the "
            "backward pass (notes L789-790), or gradients pile up from one iteration to the next")
    for k in (2, 1, 0):
        got = out["grads"][k]
        if isinstance(got, np.ndarray) and got.shape == grads[k].shape and np.allclose(got, 2 * grads[k]):
            ctx.fail(f"After a second Backward, the gradient of {NODE_NAMES[k]} is twice the right value: {what}.",
                     diagnosis="double")
        ctx.expect_close(f"the gradient of {NODE_NAMES[k]} after a second Backward", got, grads[k], batch=n,
                         terms=parts if k == 0 else None)
    got = out["w_grad"]
    if isinstance(got, np.ndarray) and got.shape == w_grad.shape and np.allclose(got, 2 * w_grad):
        ctx.fail(f"After a second Backward, the Parameter W's gradient is twice the right value: {what} (the "
                 f"Parameters too, not only the CompNodes).", diagnosis="double")
    ctx.expect_close("the Parameter W's gradient after a second Backward", got, w_grad, batch=n)


@check("UpdateParameters steps every Parameter with the module-global learning_rate", points=1)
def update(ctx: CheckContext) -> None:
    values = [ctx.rng.standard_normal((3, 2)), ctx.rng.standard_normal(2)]
    grads = [ctx.rng.standard_normal((3, 2)), ctx.rng.standard_normal(2)]
    rate = 0.125 if not ctx.official else float(ctx.rng.uniform(0.05, 0.3))
    after = ctx.probe("update_run", values, grads, rate)
    ctx.expect(isinstance(after, list) and len(after) == 2, "UpdateParameters should leave two Parameters",
               diagnosis="mismatch")
    for i, (value, grad, got) in enumerate(zip(values, grads, after, strict=True)):
        got = ctx.expect_array(f"Parameter {i}'s value after UpdateParameters()", got, value.shape)
        step = value - got
        if np.allclose(step, 0.5 * grad):
            ctx.fail(f"UpdateParameters stepped with learning_rate 0.5, but the module global edf.core."
                     f"learning_rate was {rate} when it ran: read the global when updating (self.value -= "
                     f"learning_rate * self.grad), do not copy it into a default argument or a class attribute.",
                     diagnosis="learning_rate")
        ctx.expect_close(f"the step value − new value of Parameter {i} (learning_rate = {rate})", step, rate * grad)


@check("clear_compgraph empties CompNodes and Parameters in place", points=1)
def clear(ctx: CheckContext) -> None:
    out = ctx.probe("clear_run")
    same_nodes, same_params = out["same"]
    left_nodes, left_params = out["left"]
    for name, same, left in (("CompNodes", same_nodes, left_nodes), ("Parameters", same_params, left_params)):
        ctx.expect(same, f"clear_compgraph replaced {name} with a new list. Your sigmoid.py, affine.py, ... did "
                         f"`from edf.core import {name}` and still append to the old list, which Forward no longer "
                         f"sees. Empty it in place: {name}.clear() (or del {name}[:]).", diagnosis="in_place_list")
        ctx.expect(left == 0, f"clear_compgraph left {left} entries in {name}: it must empty both CompNodes and "
                              f"Parameters.", diagnosis="mismatch")
