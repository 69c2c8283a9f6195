"""Exercise `sigmoid-sum-approx` (notes §3.4): universal approximation in one dimension, a sum of
sigmoids built by hand as a staircase, then refined by gradient descent.

Run `gradschool grade sigmoid-sum-approx` (or press c in the tutor) to check your work.
"""

import math  # noqa: F401  (math.ceil)

import numpy as np


def sigmoid(u: np.ndarray) -> np.ndarray:
    """σ(u) elementwise, without overflow (given)."""
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_sum(x: np.ndarray, alpha: np.ndarray, a: np.ndarray, b: np.ndarray, c: float) -> np.ndarray:
    """G(x) = c + Σ_j α_j σ(a_j x + b_j) at every point of x (P,): returns (P,)."""
    raise NotImplementedError("sigmoid_sum: c plus the weighted sigmoids, for all points at once")


def step_sum_params(knots: np.ndarray, values: np.ndarray,
                    steepness: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The staircase through (knots[k], values[k]), k = 0..n: c = values[0], and for j = 1..n one unit that
    steps by values[j] − values[j−1] at the midpoint of [knots[j−1], knots[j]] with slope `steepness`.
    Returns (alpha (n,), a (n,), b (n,), c)."""
    raise NotImplementedError("step_sum_params: one unit per interval, stepping by the change in value at its midpoint")


def staircase_size(max_slope: float, eps: float) -> tuple[int, float]:
    """(n_units, steepness) so that the staircase on n_units equal intervals of [0, 1] is within eps of
    every f with |f'| ≤ max_slope there, using at most 2·ceil(max_slope / eps) units."""
    raise NotImplementedError("staircase_size: how many intervals keep |f'|·h/2 below eps, and how steep?")


def sigmoid_sum_grads(x: np.ndarray, y: np.ndarray, alpha: np.ndarray, a: np.ndarray, b: np.ndarray,
                      c: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, float]:
    """L = (1/P) Σ_p (G(x_p) − y_p)² and its gradients: (L, dalpha, da, db, dc)."""
    raise NotImplementedError("sigmoid_sum_grads: the mean squared error and its four gradients")


def fit_sigmoid_sum(x: np.ndarray, y: np.ndarray, alpha: np.ndarray, a: np.ndarray, b: np.ndarray, c: float,
                    steps: int, learning_rate: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """`steps` steps of gradient descent on L from the given parameters: (alpha, a, b, c, losses) with
    losses[t] the loss before step t."""
    raise NotImplementedError("fit_sigmoid_sum: `steps` gradient-descent steps, recording the loss before each")
