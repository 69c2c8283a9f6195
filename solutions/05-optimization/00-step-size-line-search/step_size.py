"""Reference solution for `step-size-line-search` (notes §6.1.1-6.1.2, §6.2.3)."""

import numpy as np


def gd_quadratic(a, w0, eta, steps):
    """Gradient descent on L(w) = a·w² from w0: the array [w⁰, w¹, ..., w^steps]."""
    w = [float(w0)]
    for _ in range(steps):
        w.append(w[-1] - eta * 2.0 * a * w[-1])
    return np.array(w)


def largest_stable_eta(a):
    """The supremum of the step sizes for which gradient descent on a·w² converges: |1 − 2aη| < 1."""
    return 1.0 / a


def batch_loss_grad(X, y, w):
    r = X @ w - y
    return float(np.mean(r * r)), 2.0 * X.T @ r / len(y)


def line_search_step(X, y, w, candidates):
    """(η*, the new w): η* = argmin over the candidates of L_B(w − η ∇L_B(w)); the first one on a tie."""
    _, g = batch_loss_grad(X, y, w)
    losses = [batch_loss_grad(X, y, w - eta * g)[0] for eta in candidates]
    best = candidates[int(np.argmin(losses))]
    return float(best), w - best * g
