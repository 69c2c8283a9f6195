"""Checks for `debug-training` (runs in the grader; learner code only through ctx.call).

Each check tests the FIXED behaviour of one function (never the text of the fix), and names the planted
bug when the learner's result matches what the buggy version computes.
"""

import numpy as np

from grader import reference as ref
from grader import reference_optim as ro
from grader.checklib import CheckContext, check
from grader.compare import compare

EPS = 1e-12


def _matches(got, value, rtol: float = 1e-9) -> bool:
    return isinstance(got, np.ndarray) and got.shape == np.shape(value) and compare("", got, value, rtol=rtol).ok


@check("train_linear: the gradient is zeroed every step (L3069): plain gradient descent again", points=2)
def train_linear(ctx: CheckContext) -> None:
    n, d = (20, 3) if not ctx.official else (17, 4)
    X = ctx.rng.normal(size=(n, d))
    y = X @ ctx.rng.normal(size=d) + 0.1 * ctx.rng.normal(size=n)
    lr, steps = 0.05, 30
    out = ctx.expect_tuple(f"train_linear(X, y, {lr}, {steps})", ctx.call("train_linear", X, y, lr, steps), 2)
    w, losses = ctx.expect_array("w", out[0], (d,)), ctx.expect_array("the losses", out[1], (steps,))
    ref_w, ref_losses, bug_w, bug_losses = np.zeros(d), [], np.zeros(d), []
    acc = np.zeros(d)
    for _ in range(steps):
        r, rb = X @ ref_w - y, X @ bug_w - y
        ref_losses.append(float(np.mean(r * r)))
        bug_losses.append(float(np.mean(rb * rb)))
        ref_w = ro.sgd_step(ref_w, 2.0 * X.T @ r / n, lr)
        acc = acc + 2.0 * X.T @ rb / n  # the planted bug: gradients summed over all steps so far
        bug_w = ro.sgd_step(bug_w, acc, lr)
    ctx.plot("train_linear: loss per step", {"fixed": losses, "gradients never zeroed": bug_losses})
    if _matches(losses, np.array(bug_losses)):
        ctx.fail("train_linear still adds every step's gradient to the previous ones: w.grad is never reset, so "
                 "step t moves by the sum of all t gradients (the loss oscillates instead of falling). Zero the "
                 "gradient before accumulating into it.", diagnosis="zeros")
    ctx.expect_close(f"the losses of train_linear(X, y, {lr}, {steps})", losses, np.array(ref_losses), rtol=1e-9)
    ctx.expect_close(f"w from train_linear(X, y, {lr}, {steps})", w, ref_w, rtol=1e-9)


@check("shuffle: inputs and labels stay together (L3015-3025), in the order of one permutation", points=2)
def shuffle(ctx: CheckContext) -> None:
    for n in ctx.cases([9, 1], [16, 2]):
        X = np.column_stack([np.arange(n, dtype=np.float64), ctx.rng.normal(size=n)])
        y = np.arange(n) % 3
        seed = int(ctx.rng.integers(0, 2**31))
        out = ctx.expect_tuple(f"shuffle(X, y, {seed})", ctx.call("shuffle", X, y, seed), 2)
        Xs, ys = ctx.expect_array("shuffled X", out[0], X.shape), ctx.expect_array("shuffled y", out[1], y.shape)
        rows = Xs[:, 0].astype(int)
        ctx.expect(np.array_equal(ys, y[rows]), f"shuffle(X, y, {seed}) with N = {n}: the labels no longer belong "
                                                f"to their inputs. Draw one permutation and index both arrays with "
                                                f"it.", diagnosis="shuffle")
        perm = np.random.default_rng(seed).permutation(n)
        ctx.expect(np.array_equal(rows, perm) and np.array_equal(Xs, X[perm]),
                   f"shuffle(X, y, {seed}): the rows come in the order {rows.tolist()}; expected the order of "
                   f"np.random.default_rng(seed).permutation(N), {perm.tolist()}", diagnosis="shuffle")


@check("standardize: statistics from the training set only, applied to both sets (L3059)", points=2)
def standardize(ctx: CheckContext) -> None:
    for n_train, n_test, d in ctx.cases([(12, 5, 3), (7, 9, 1)], [(20, 3, 4)]):
        X_train = ctx.rng.normal(ctx.rng.uniform(-2, 2, d), ctx.rng.uniform(0.5, 2, d), size=(n_train, d))
        X_test = ctx.rng.normal(3.0, 4.0, size=(n_test, d))  # a shifted test set: leaking it shows clearly
        out = ctx.expect_tuple("standardize(X_train, X_test)", ctx.call("standardize", X_train, X_test), 2)
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        all_ = np.concatenate([X_train, X_test])
        for k, (name, X) in enumerate((("X_train", X_train), ("X_test", X_test))):
            got = ctx.expect_array(f"standardized {name}", out[k], X.shape)
            if _matches(got, (X - all_.mean(0)) / all_.std(0)):
                ctx.fail("standardize uses the mean and std of the training AND test sets: the test set leaks into "
                         "the preprocessing, so test scores are optimistic. Compute them on X_train only and apply "
                         "them to both.", diagnosis="leak")
            ctx.expect_close(f"standardized {name} ({n_train} training and {n_test} test rows, {d} features)", got,
                             (X - mean) / std, rtol=1e-9)


@check("loss_and_grad: the cross-entropy gets the logits, not softmax probabilities (L3077, L3089)", points=2)
def loss_and_grad(ctx: CheckContext) -> None:
    for n, c in ctx.cases([(6, 4), (1, 3)], [(9, 2), (5, 7)]):
        scores = ctx.rng.normal(0.0, 3.0, size=(n, c))
        y = ctx.rng.integers(0, c, size=n)
        out = ctx.expect_tuple("loss_and_grad(scores, y)", ctx.call("loss_and_grad", scores, y), 2)
        P = ref.softmax(scores)
        loss = float(np.mean(ref.cross_entropy(P, y)))
        grad = (P - np.eye(c)[y]) / n
        got_loss = ctx.expect_number("the loss from loss_and_grad", out[0])
        double = float(np.mean(ref.cross_entropy(ref.softmax(P), y)))
        if abs(got_loss - double) <= 1e-9 * abs(double):
            ctx.fail("loss_and_grad applies softmax twice: cross_entropy_with_logits already contains the softmax, "
                     "so it must get the raw scores. Softmax of probabilities squeezes every prediction towards "
                     "uniform: the loss barely moves and the gradients are tiny.", diagnosis="double_softmax")
        ctx.expect_close(f"the loss from loss_and_grad for scores {(n, c)}", got_loss, loss, rtol=1e-9)
        ctx.expect_close(f"the gradient from loss_and_grad for scores {(n, c)}",
                         ctx.expect_array("the gradient", out[1], (n, c)), grad, rtol=1e-9)


def _mlp_scores(params: dict, X: np.ndarray) -> np.ndarray:
    return ref.affine_forward(np.maximum(ref.affine_forward(X, params["W1"], params["b1"]), 0.0), params["W2"],
                              params["b2"])


def _buggy_accuracy(params: dict, X: np.ndarray, y: np.ndarray) -> float:
    h = np.maximum(X @ params["W1"] + params["b1"], 0.0)
    h = h * (np.random.default_rng(0).random(h.shape) >= 0.5) / 0.5
    return float(np.mean(np.argmax(h @ params["W2"] + params["b2"], axis=1) == y))


@check("evaluate: no dropout at evaluation (L3129-3131): the deterministic test-time accuracy", points=1)
def evaluate(ctx: CheckContext) -> None:
    n, d, h, c = 40, 3, 8, 3
    for _ in range(10):  # draw until train-mode dropout would give another accuracy than eval mode
        params = {"W1": ctx.rng.normal(size=(d, h)), "b1": ctx.rng.normal(0, 0.5, h),
                  "W2": ctx.rng.normal(size=(h, c)), "b2": ctx.rng.normal(0, 0.5, c)}
        X = ctx.rng.normal(size=(n, d))
        y = np.argmax(_mlp_scores(params, X) + ctx.rng.normal(0, 0.8, size=(n, c)), axis=1)
        expected = float(np.mean(np.argmax(_mlp_scores(params, X), axis=1) == y))
        if abs(_buggy_accuracy(params, X, y) - expected) > 0.05:
            break
    got = [ctx.expect_number("evaluate(params, X, y)", ctx.call("evaluate", params, X, y)) for _ in range(2)]
    if abs(got[0] - _buggy_accuracy(params, X, y)) < 1e-12 and abs(got[0] - expected) > 1e-12:
        ctx.fail(f"evaluate reports {got[0]:.3f}, the accuracy with dropout still switched on (train=True); at test "
                 f"time every unit is used: forward(X, train=False)", diagnosis="train_mode")
    ctx.expect(abs(got[0] - expected) < 1e-12 and got[0] == got[1],
               f"evaluate(params, X, y) returned {got[0]:.4f} and then {got[1]:.4f}; the model's test-time accuracy "
               f"on this data is deterministic and different", diagnosis="train_mode")


@check("bce: finite for probabilities of exactly 0 and 1 (L3154-3158), clipped into [1e-12, 1 − 1e-12]", points=1)
def bce(ctx: CheckContext) -> None:
    y = (ctx.rng.random(12) < 0.5).astype(np.float64)
    p = ctx.rng.uniform(0.05, 0.95, 12)
    for label, probs in (("probabilities inside (0, 1)", p),
                         ("some probabilities exactly 0 or 1 on the right class", np.where(np.arange(12) % 3 == 0, y, p)),
                         ("a confidently wrong probability 0 for label 1", np.where(np.arange(12) == 1, 1 - y, p))):
        got = ctx.expect_number(f"bce(p, y) with {label}", ctx.call("bce", probs, y))
        clipped = np.clip(probs, EPS, 1 - EPS)
        expected = float(-np.mean(y * np.log(clipped) + (1 - y) * np.log(1 - clipped)))
        ctx.expect(np.isfinite(got), f"bce(p, y) with {label} is {got}: log(0) (and 0·log 0 = nan) reached the "
                                     f"loss. Clip p into [EPS, 1 − EPS] before taking logs.", diagnosis="nan")
        ctx.expect_close(f"bce(p, y) with {label}", got, expected, rtol=1e-9)
