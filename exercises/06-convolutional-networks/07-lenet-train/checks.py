"""Checks for `lenet-train` (runs in the grader; learner code only through ctx.call / ctx.probe).

The data set (8×8 images of four shapes) is generated here from ctx.rng. The accuracy is computed HERE,
with grader.reference_conv, from the parameters train() returns, on held-out images the learner's
process never sees: predictions made in the learner's process could be forged.
"""

import numpy as np

from grader import reference_conv as rc
from grader.checklib import CheckContext, check

CLASSES = ("horizontal bar", "vertical bar", "diagonal", "square outline")
SHAPES = {"W1": (6, 1, 3, 3), "b1": (6,), "W2": (8, 6, 3, 3), "b2": (8,), "A3": (32, 16), "b3": (16,),
          "A4": (16, 4), "b4": (4,)}
TARGET = 0.9
N_TRAIN, N_TEST = 240, 200
RESTARTS = 2


def make_shapes(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n images (n, 1, 8, 8) of one of four shapes at a random place and size, with noise; labels (n,)."""
    x = np.zeros((n, 1, 8, 8))
    y = rng.integers(0, 4, size=n)
    for k in range(n):
        size = int(rng.integers(3, 6))
        r, c = (int(v) for v in rng.integers(0, 8 - size + 1, size=2))
        img = x[k, 0]
        if y[k] == 0:
            img[r + size // 2, c:c + size] = 1.0
        elif y[k] == 1:
            img[r:r + size, c + size // 2] = 1.0
        elif y[k] == 2:
            img[r + np.arange(size), c + np.arange(size)] = 1.0
        else:
            img[r, c:c + size] = img[r + size - 1, c:c + size] = 1.0
            img[r:r + size, c] = img[r:r + size, c + size - 1] = 1.0
        img *= rng.uniform(0.7, 1.3)
    return x + rng.normal(0.0, 0.15, size=x.shape), y


def _reference(params: dict, x: np.ndarray, y: np.ndarray | None = None):
    """The LeNet of the instructions with grader.reference_conv: scores, and with labels (loss, grads)."""
    z1 = rc.conv2d_forward(x, params["W1"], params["b1"], 1, 1)
    h1 = np.maximum(z1, 0.0)
    p1 = rc.maxpool_forward(h1, 2)
    z2 = rc.conv2d_forward(p1, params["W2"], params["b2"], 1, 1)
    h2 = np.maximum(z2, 0.0)
    p2 = rc.maxpool_forward(h2, 2)
    f = p2.reshape(len(x), -1)
    z3 = f @ params["A3"] + params["b3"]
    h3 = np.maximum(z3, 0.0)
    scores = h3 @ params["A4"] + params["b4"]
    if y is None:
        return scores
    n = len(x)
    shifted = scores - scores.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    ds = np.exp(logp)
    ds[np.arange(n), y] -= 1.0
    ds /= n
    g = {"A4": h3.T @ ds, "b4": ds.sum(axis=0)}
    dz3 = (ds @ params["A4"].T) * (z3 > 0)
    g["A3"], g["b3"] = f.T @ dz3, dz3.sum(axis=0)
    dz2 = rc.maxpool_backward((dz3 @ params["A3"].T).reshape(p2.shape), h2, 2) * (z2 > 0)
    dp1, g["W2"], g["b2"] = rc.conv2d_backward(dz2, p1, params["W2"], 1, 1)
    dz1 = rc.maxpool_backward(dp1, h1, 2) * (z1 > 0)
    _, g["W1"], g["b1"] = rc.conv2d_backward(dz1, x, params["W1"], 1, 1)
    return float(-logp[np.arange(n), y].mean()), g


def _params(ctx: CheckContext) -> dict:
    fan = {"W1": 9, "W2": 54, "A3": 32, "A4": 16}
    return {k: ctx.rng.normal(0, np.sqrt(2.0 / fan[k]), size=s) if k in fan else ctx.rng.normal(0, 0.1, size=s)
            for k, s in SHAPES.items()}


@check("lenet_forward: your layers in the order of the instructions, scores (N, 4)", points=2)
def forward(ctx: CheckContext) -> None:
    x, _ = make_shapes(ctx.rng, 5 if not ctx.official else 9)
    params = _params(ctx)
    out, calls = ctx.probe("count_calls", "conv2d_forward", "lenet_forward", params, x, label="lenet_forward")
    scores, _cache = ctx.expect_tuple("lenet_forward(params, x)", out, 2)
    scores = ctx.expect_array("scores of lenet_forward", scores, (len(x), 4))
    ctx.expect_close("scores of lenet_forward", scores, _reference(params, x))
    ctx.expect(calls >= 2, f"lenet_forward called your conv2d_forward {calls} time(s): both convolutions must use "
                           f"your layer from conv2d.py (from conv2d import conv2d_forward)", diagnosis="structure")


@check("lenet_loss_and_grads: the mean cross-entropy and the gradient of every parameter", points=3)
def gradients(ctx: CheckContext) -> None:
    x, y = make_shapes(ctx.rng, 6 if not ctx.official else 11)
    params = _params(ctx)
    loss, grads = ctx.expect_tuple("lenet_loss_and_grads(params, x, y)",
                                   ctx.call("lenet_loss_and_grads", params, x, y), 2)
    ref_loss, ref_grads = _reference(params, x, y)
    ctx.expect_close("the loss of lenet_loss_and_grads (the MEAN over the batch)", ctx.expect_number("loss", loss),
                     ref_loss, batch=len(x))
    ctx.expect(isinstance(grads, dict), "lenet_loss_and_grads should return (loss, grads) with grads a dict "
                                        "keyed like params", diagnosis="dtype")
    for key in ("A4", "b4", "A3", "b3", "W2", "b2", "W1", "b1"):  # output first: the first wrong one is named
        got = ctx.expect_array(f"grads[{key!r}]", grads.get(key), SHAPES[key])
        ctx.expect_close(f"grads[{key!r}]", got, ref_grads[key], batch=len(x))

    def loss_of(inputs: dict) -> float:
        changed = {**params, **inputs}
        return float(ctx.expect_number("loss", ctx.call("lenet_loss_and_grads", changed, x, y)[0]))

    # Central differences of your own loss, for the first convolution (the end of the chain).
    ctx.gradcheck("d loss / d (W1, b1)", loss_of, {"W1": params["W1"], "b1": params["b1"]},
                  {"W1": grads["W1"], "b1": grads["b1"]})


@check(f"train: at least {TARGET:.0%} accuracy on held-out shapes (computed by the grader)", points=4)
def trained(ctx: CheckContext) -> None:
    x, y = make_shapes(ctx.rng, N_TRAIN)
    x_test, y_test = make_shapes(ctx.rng, N_TEST)
    first = int(ctx.rng.integers(0, 10_000))
    _seeded(ctx, first)
    tried = []
    for seed in range(first, first + RESTARTS):  # a bad start (dead ReLUs) may need another seed
        accuracy, train_accuracy, losses = _train_and_score(ctx, x, y, x_test, y_test, seed)
        if accuracy >= TARGET:
            return
        tried.append(f"seed {seed}: {accuracy:.0%} of {N_TEST} held-out shapes ({train_accuracy:.0%} of the "
                     f"training set; loss {losses[0]:.3g} -> {losses[-1]:.3g})")
    ctx.fail(f"your trained LeNet stays below the target of {TARGET:.0%} held-out accuracy: {'; '.join(tried)}. "
             f"If the gradient checks pass, train longer or with another learning rate.", diagnosis="accuracy")


def _train_and_score(ctx: CheckContext, x, y, x_test, y_test, seed: int) -> tuple[float, float, np.ndarray]:
    params, losses = ctx.expect_tuple("train(x, y, 4, seed)", ctx.call("train", x, y, 4, seed), 2)
    ctx.expect(isinstance(params, dict), "train should return (params, losses) with params a dict",
               diagnosis="dtype")
    params = {k: ctx.expect_array(f"train(...) params[{k!r}]", params.get(k), s) for k, s in SHAPES.items()}
    losses = np.asarray(losses, dtype=np.float64).ravel()
    ctx.expect(losses.size >= 2 and bool(np.all(np.isfinite(losses))),
               "train should return the loss of every step as a list of finite numbers", diagnosis="nan")
    ctx.plot(f"training loss (mean cross-entropy per step), seed {seed}", {"loss": losses})
    for key, value in params.items():
        ctx.expect(bool(np.all(np.isfinite(value))), f"params[{key!r}] contains NaN or inf: training diverged; "
                                                     f"try a smaller learning rate", diagnosis="nan")
    accuracy = float(np.mean(np.argmax(_reference(params, x_test), axis=1) == y_test))
    train_accuracy = float(np.mean(np.argmax(_reference(params, x), axis=1) == y))
    return accuracy, train_accuracy, losses


def _seeded(ctx: CheckContext, seed: int) -> None:
    """train on a few images with two seeds: other seeds, other losses (the restarts rely on it). 16 images: a
    train() that runs a number of epochs makes a few steps only."""
    x, y = make_shapes(ctx.rng, 16)
    runs = []
    for s in (seed, seed + 1):
        _, losses = ctx.expect_tuple(f"train(x, y, 4, {s})", ctx.call("train", x, y, 4, s), 2)
        runs.append(np.asarray(losses, dtype=np.float64).ravel())
    ctx.expect(not (runs[0].shape == runs[1].shape and np.allclose(runs[0], runs[1], rtol=1e-9, atol=1e-12)),
               f"train(x, y, 4, {seed}) and train(x, y, 4, {seed + 1}) gave the same losses: the seed is not used. "
               f"Start from init_params(n_classes, rng) with rng = np.random.default_rng(seed), and shuffle with "
               f"that rng too", diagnosis="seed")
