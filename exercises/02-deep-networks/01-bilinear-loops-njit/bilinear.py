"""Exercise `bilinear-loops-njit` (notes §3.1.1, L902-917): a batched bilinear map and a sigmoid as index
loops in @njit, with the left-hand-side indices the notes dropped restored.

Run `gradschool grade bilinear-loops-njit` (or press c in the tutor) to check your work.
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
def bilinear_forward(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L908-909 for A (G, I, K) and B (G, J, K): U[h,i,j] = Σ_k A[h,i,k]·B[h,j,k] and Y = σ(U),
    both (G, I, J). Returns (U, Y)."""
    raise NotImplementedError("bilinear_forward: write the loops of L908-909")


@njit(cache=True)
def bilinear_backward(A: np.ndarray, B: np.ndarray, U: np.ndarray,
                      Y_grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L915-917 with every left-hand side indexed: returns (A_grad (G, I, K), B_grad (G, J, K))."""
    raise NotImplementedError("bilinear_backward: write the loops of L915-917, restoring the indices on the left")
