"""Exercise `sigmoid-sum-approx` (notes §3.4): universal approximation in one dimension, a sum of
sigmoids built by hand as a staircase, then refined by gradient descent.

Run `gradschool grade sigmoid-sum-approx` (or press c in the tutor) to check your work.
"""

import math

import numpy as np


def sigmoid(u: np.ndarray) -> np.ndarray:
    """σ(u) elementwise, without overflow (given)."""
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_sum(x: np.ndarray, alpha: np.ndarray, a: np.ndarray, b: np.ndarray, c: float) -> np.ndarray:
    """G(x) = c + Σ_j α_j σ(a_j x + b_j) at every point of x (P,): returns (P,)."""
    return c + sigmoid(np.outer(x, a) + b) @ alpha


def step_sum_params(knots: np.ndarray, values: np.ndarray,
                    steepness: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The staircase through (knots[k], values[k]), k = 0..n: c = values[0], and for j = 1..n one unit that
    steps by values[j] − values[j−1] at the midpoint of [knots[j−1], knots[j]] with slope `steepness`.
    Returns (alpha (n,), a (n,), b (n,), c)."""
    mid = 0.5 * (knots[:-1] + knots[1:])
    a = np.full(len(mid), float(steepness))
    return np.diff(values), a, -a * mid, float(values[0])


def staircase_size(max_slope: float, eps: float) -> tuple[int, float]:
    """(n_units, steepness) so that the staircase on n_units equal intervals of [0, 1] is within eps of
    every f with |f'| ≤ max_slope there, using at most 2·ceil(max_slope / eps) units."""
    n = math.ceil(max_slope / eps)
    return n, 40.0 * n  # σ's tails fall to e^-20 half an interval away from each step


def sigmoid_sum_grads(x: np.ndarray, y: np.ndarray, alpha: np.ndarray, a: np.ndarray, b: np.ndarray,
                      c: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, float]:
    """L = (1/P) Σ_p (G(x_p) − y_p)² and its gradients: (L, dalpha, da, db, dc)."""
    S = sigmoid(np.outer(x, a) + b)  # (P, n)
    r = c + S @ alpha - y
    g = 2.0 * r / len(x)
    T = np.outer(g, alpha) * S * (1.0 - S)
    return float(np.mean(r * r)), S.T @ g, T.T @ x, T.sum(axis=0), float(g.sum())


def fit_sigmoid_sum(x: np.ndarray, y: np.ndarray, alpha: np.ndarray, a: np.ndarray, b: np.ndarray, c: float,
                    steps: int, learning_rate: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """`steps` steps of gradient descent on L from the given parameters: (alpha, a, b, c, losses) with
    losses[t] the loss before step t."""
    alpha, a, b = alpha.copy(), a.copy(), b.copy()
    losses = np.zeros(steps)
    for t in range(steps):
        losses[t], dalpha, da, db, dc = sigmoid_sum_grads(x, y, alpha, a, b, c)
        alpha -= learning_rate * dalpha
        a -= learning_rate * da
        b -= learning_rate * db
        c -= learning_rate * dc
    return alpha, a, b, c, losses
