"""Checks for `minibatch-sgd` (runs in the grader; learner code through ctx.call / ctx.probe).

The exercise hands the seed in, so the permutation stream (numpy's default_rng(seed).permutation) is part of
the specification: the exact batches are compared, and also the properties that hold for any shuffle.
"""

import numpy as np

from grader import reference_optim as ro
from grader.checklib import CheckContext, check

# (N, B): a last partial batch, B dividing N, B = 1, B ≥ N.
LOCAL = [(10, 4), (12, 3), (5, 1), (3, 8)]
HIDDEN = [(17, 5), (8, 8), (23, 6)]


def _data(ctx: CheckContext, n: int, d: int = 3) -> tuple[np.ndarray, np.ndarray]:
    # Row i of X starts with i itself, so a row and its label can be matched after any shuffle.
    X = np.column_stack([np.arange(n, dtype=np.float64), ctx.rng.normal(size=(n, d - 1))])
    y = 100.0 + np.arange(n, dtype=np.float64)
    return X, y


def _epochs(ctx: CheckContext, X: np.ndarray, y: np.ndarray, b: int, seed: int, n_epochs: int) -> list:
    got = ctx.probe("epochs", X, y, b, seed, n_epochs, label="minibatches")
    ctx.expect(isinstance(got, list) and len(got) == n_epochs, "minibatches: no epochs came back", diagnosis="dtype")
    return got


@check("every example exactly once per epoch, inputs and labels shuffled together, the last batch rule", points=2)
def properties(ctx: CheckContext) -> None:
    for n, b in ctx.cases(LOCAL, HIDDEN):
        X, y = _data(ctx, n)
        seed = int(ctx.rng.integers(0, 2**31))
        for e, batches in enumerate(_epochs(ctx, X, y, b, seed, 2)):
            where = f"minibatches(X, y, batch_size={b}, rng) with N = {n}, epoch {e + 1}"
            sizes = [len(bx) for bx, _ in batches]
            want = [b] * (n // b) + ([n % b] if n % b else [])
            ctx.expect(sizes == want, f"{where}: batch sizes {sizes}, expected {want} (full batches of B, then one "
                                      f"batch with the N mod B examples left, none if B divides N)",
                       diagnosis="shape")
            rows = np.concatenate([bx[:, 0] for bx, _ in batches]).astype(int)
            labels = np.concatenate([by for _, by in batches])
            ctx.expect(sorted(rows.tolist()) == list(range(n)),
                       f"{where}: the batches do not hold every example exactly once (got rows {rows.tolist()})",
                       diagnosis="mismatch")
            ctx.expect(np.array_equal(labels - 100.0, rows),
                       f"{where}: labels are separated from their inputs: shuffle X and y with the SAME permutation "
                       f"(L3015-3025 shows what a model learns from shuffled labels: nothing)", diagnosis="shuffle")
            for bx, _ in batches:
                ctx.expect(np.array_equal(bx, X[bx[:, 0].astype(int)]), f"{where}: a batch row is not a row of X",
                           diagnosis="mismatch")


@check("the exact batches of rng.permutation(N), one permutation per epoch", points=2)
def exact_batches(ctx: CheckContext) -> None:
    for n, b in ctx.cases(LOCAL[:2], HIDDEN[:2]):
        X, y = _data(ctx, n)
        seed = int(ctx.rng.integers(0, 2**31))
        rng = np.random.default_rng(seed)
        for e, batches in enumerate(_epochs(ctx, X, y, b, seed, 3)):
            order = np.concatenate([bx[:, 0] for bx, _ in batches]).astype(int)
            expected = np.concatenate(ro.minibatch_order(n, b, rng))
            ctx.expect(np.array_equal(order, expected),
                       f"epoch {e + 1} of minibatches(X, y, {b}, rng) for N = {n} (rng = default_rng({seed}), the same "
                       f"Generator for every epoch): the examples come in the order {order.tolist()}, expected "
                       f"{expected.tolist()}, the order of perm = rng.permutation(N), drawn once per call",
                       diagnosis="shuffle")


def _run(ctx: CheckContext, X, y, w0, b, epochs, eta, decay, seed) -> tuple[np.ndarray, np.ndarray]:
    label = f"sgd_linreg(X, y, w0, batch_size={b}, epochs={epochs}, eta={eta:g}, decay={decay}, seed={seed})"
    out = ctx.expect_tuple(label, ctx.call("sgd_linreg", X, y, w0, b, epochs, eta, decay, seed), 2)
    steps = epochs * -(-len(y) // b)
    w = ctx.expect_array(f"w from {label}", out[0], w0.shape)
    losses = ctx.expect_array(f"the losses from {label}", out[1], (steps,))
    ref_w, ref_losses = ro.sgd_linreg(X, y, w0, b, epochs, eta, decay, seed)
    ctx.expect_close(f"the losses from {label}", losses, ref_losses, rtol=1e-9)
    ctx.expect_close(f"w from {label}", w, ref_w, rtol=1e-9)
    return w, losses


def _problem(ctx: CheckContext, n: int, d: int, noise: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = ctx.rng.normal(size=(n, d))
    w_true = ctx.rng.normal(size=d)
    return X, X @ w_true + noise * ctx.rng.normal(size=n), w_true


@check("sgd_linreg: exact losses and weights, constant and η/t steps", points=3)
def exact_sgd(ctx: CheckContext) -> None:
    for n, b, epochs in ctx.cases([(11, 4, 3), (6, 1, 2)], [(19, 5, 2), (7, 7, 3)]):
        X, y, _ = _problem(ctx, n, 3, 0.3)
        w0 = ctx.rng.normal(size=3)
        for decay in (False, True):
            _run(ctx, X, y, w0, b, epochs, 0.05, decay, int(ctx.rng.integers(0, 2**31)))


RUNS = 12  # seeds averaged: one run's noise can end near w* by chance, twelve cannot (margin > 10x)


@check("constant vs decaying step sizes (6.2.4): started at the optimum, η/t stays closer", points=2)
def constant_vs_decay(ctx: CheckContext) -> None:
    X, y, _ = _problem(ctx, 64, 2, 1.0)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]  # the minimum of the full loss: SGD's noise alone moves w
    seeds = [int(s) for s in ctx.rng.integers(0, 2**31, size=RUNS)]
    curves, dist = {}, {}
    for decay, name in ((False, "constant η"), (True, "η / t")):
        runs = [_run(ctx, X, y, w_star, 4, 10, 0.2, decay, seed) for seed in seeds]
        curves[name] = runs[0][1]
        dist[name] = float(np.mean([np.sum((w - w_star) ** 2) for w, _ in runs]))
    ctx.plot("Minibatch loss from the optimum: constant η keeps moving, η/t settles (L2687-2729)", curves,
             x_label="iteration", y_label="batch loss")
    ctx.expect(dist["η / t"] < dist["constant η"],
               f"after 10 epochs the mean ‖w − w*‖² over {RUNS} seeds is {dist['η / t']:.3g} with η/t and "
               f"{dist['constant η']:.3g} with a constant η; the decaying steps should end closer to the optimum",
               diagnosis="mismatch")
