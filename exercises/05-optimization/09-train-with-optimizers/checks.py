"""Checks for `train-with-optimizers` (runs in the grader; learner code only through ctx.call).

The reference run uses grader.reference_optim's updates and grader.reference's softmax, so a mistake in
the learner's optimizers (exercise `optimizers`) shows here too: grade that exercise first.
"""

import numpy as np

from grader import reference as ref
from grader import reference_optim as ro
from grader.checklib import CheckContext, check

RUNS = {
    "SGD": {"lr": 0.5},
    "Momentum": {"lr": 0.5, "beta1": 0.9, "form": "ema"},
    "Nesterov": {"lr": 0.05, "beta1": 0.9, "form": "classic"},
    "RMSProp": {"lr": 0.02, "beta2": 0.9, "eps": 1e-8},
    "Adam": {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}
STEPS = 40


def _blobs(ctx: CheckContext, n: int, c: int) -> tuple[np.ndarray, np.ndarray]:
    centers = ctx.rng.normal(0.0, 2.0, size=(c, 2))
    y = np.arange(n) % c
    return centers[y] + ctx.rng.normal(size=(n, 2)), y


def _reference(X: np.ndarray, y: np.ndarray, name: str, hyper: dict, steps: int):
    n, d = X.shape
    c = int(y.max()) + 1
    W, b = np.zeros((d, c)), np.zeros(c)
    mW, mb, vW, vb = np.zeros((d, c)), np.zeros(c), np.zeros((d, c)), np.zeros(c)
    lr = hyper["lr"]
    losses = []
    for t in range(1, steps + 1):
        if name == "Nesterov":
            pW = ro.nesterov_lookahead(W, mW, lr, hyper["beta1"], hyper["form"])
            pb = ro.nesterov_lookahead(b, mb, lr, hyper["beta1"], hyper["form"])
        else:
            pW, pb = W, b
        P = ref.softmax(ref.affine_forward(X, pW, pb))
        losses.append(float(np.mean(ref.cross_entropy(P, y))))
        G = ref.cross_entropy_backward(P, y, np.ones(n) / n)  # ∂ mean CE / ∂P ...
        G = ref.softmax_backward(P, G)  # ... and through the softmax: (P − onehot) / N
        _, gW, gb = ref.affine_backward(G, X, pW)
        if name == "SGD":
            W, b = ro.sgd_step(W, gW, lr), ro.sgd_step(b, gb, lr)
        elif name in ("Momentum", "Nesterov"):
            W, mW = ro.momentum_step(W, mW, gW, lr, hyper["beta1"], hyper["form"])
            b, mb = ro.momentum_step(b, mb, gb, lr, hyper["beta1"], hyper["form"])
        elif name == "RMSProp":
            W, vW = ro.rmsprop_step(W, vW, gW, lr, hyper["beta2"], hyper["eps"])
            b, vb = ro.rmsprop_step(b, vb, gb, lr, hyper["beta2"], hyper["eps"])
        else:
            W, mW, vW = ro.adam_step(W, mW, vW, gW, lr, hyper["beta1"], hyper["beta2"], hyper["eps"], t)
            b, mb, vb = ro.adam_step(b, mb, vb, gb, lr, hyper["beta1"], hyper["beta2"], hyper["eps"], t)
    return W, b, np.array(losses)


def _train(ctx: CheckContext, X, y, name: str, hyper: dict, steps: int):
    label = f"train(X, y, {name!r}, {hyper}, {steps})"
    out = ctx.expect_tuple(label, ctx.call("train", X, y, name, hyper, steps), 3)
    d, c = X.shape[1], int(y.max()) + 1
    return (ctx.expect_array(f"W from {label}", out[0], (d, c)), ctx.expect_array(f"b from {label}", out[1], (c,)),
            ctx.expect_array(f"the losses from {label}", out[2], (steps,)))


@check("train: exact losses and parameters with each of your optimizers", points=4)
def exact(ctx: CheckContext) -> None:
    for n, c in ctx.cases([(30, 3)], [(25, 4)]):
        X, y = _blobs(ctx, n, c)
        for name, hyper in RUNS.items():
            W, b, losses = _train(ctx, X, y, name, hyper, 6)
            rW, rb, rlosses = _reference(X, y, name, hyper, 6)
            label = f"train(X, y, {name!r}, ...) for N = {n}, C = {c}"
            ctx.expect_close(f"the losses of {label}", losses, rlosses, rtol=1e-8, floor=1e-12)
            ctx.expect_close(f"W of {label}", W, rW, rtol=1e-8, floor=1e-12)
            ctx.expect_close(f"b of {label}", b, rb, rtol=1e-8, floor=1e-12)


@check(f"loss curves of the five optimizers over {STEPS} steps, against the reference", points=2)
def curves(ctx: CheckContext) -> None:
    X, y = _blobs(ctx, 60, 3)
    runs = {name: _train(ctx, X, y, name, hyper, STEPS)[2] for name, hyper in RUNS.items()}
    ctx.plot("Softmax regression on three blobs: training loss per step", runs)
    for name, hyper in RUNS.items():
        ctx.expect_close(f"the {STEPS} losses of train(X, y, {name!r}, ...)", runs[name],
                         _reference(X, y, name, hyper, STEPS)[2], rtol=1e-7, floor=1e-12)
