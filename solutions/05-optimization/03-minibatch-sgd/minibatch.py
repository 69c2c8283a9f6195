"""Reference solution for `minibatch-sgd` (notes §6.2.2-6.2.4): minibatches and SGD with constant or
decaying step sizes on linear regression."""

import numpy as np


def minibatches(X, y, batch_size, rng):
    """One epoch: one permutation from rng, applied to X and y together, cut into consecutive batches;
    the last batch holds what is left (it may be smaller)."""
    perm = rng.permutation(len(y))
    return [(X[perm[i:i + batch_size]], y[perm[i:i + batch_size]]) for i in range(0, len(y), batch_size)]


def sgd_linreg(X, y, w0, batch_size, epochs, eta, decay, seed):
    """SGD on the batch mean squared error; η_t = η (constant) or η / t (decay), t = 1, 2, ...
    Returns (w, the loss of every batch before its step)."""
    rng = np.random.default_rng(seed)
    w = np.array(w0, dtype=np.float64)
    losses = []
    t = 0
    for _ in range(epochs):
        for Xb, yb in minibatches(X, y, batch_size, rng):
            t += 1
            r = Xb @ w - yb
            losses.append(np.mean(r * r))
            grad = 2.0 * Xb.T @ r / len(yb)
            w -= (eta / t if decay else eta) * grad
    return w, np.array(losses)
