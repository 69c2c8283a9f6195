"""Exercise `affine-loops-njit` (notes §3.1.1): the loops of L884–900, forward and backward, in @njit.

Run `gradschool grade affine-loops-njit` (or press c in the tutor) to check your work.
"""

import math

import numpy as np  # noqa: F401  (np.zeros to allocate results)
from numba import njit


@njit(cache=True)
def sigmoid(t: float) -> float:
    """σ(t) for one float, without overflow (given)."""
    if t >= 0.0:
        return 1.0 / (1.0 + math.exp(-t))
    z = math.exp(t)
    return z / (1.0 + z)


@njit(cache=True)
def affine_sigmoid_forward(A: np.ndarray, x: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L884–886 with A (M, D), x (D,), b (M,): u = A x WITHOUT b, y = σ(u + b). Returns (u, y)."""
    raise NotImplementedError("affine_sigmoid_forward: write the loops of L884-886")


@njit(cache=True)
def affine_sigmoid_backward(A: np.ndarray, x: np.ndarray, b: np.ndarray, u: np.ndarray,
                            y_grad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """L892–900: returns (A_grad (M, D), x_grad (D,), b_grad (M,)) for upstream y_grad (M,)."""
    raise NotImplementedError("affine_sigmoid_backward: write the loops of L892-900")
