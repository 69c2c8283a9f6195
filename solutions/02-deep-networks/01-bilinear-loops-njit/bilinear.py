"""Exercise `bilinear-loops-njit` (notes §3.1.1, L902-917): a batched bilinear map and a sigmoid as index
loops in @njit, with the left-hand-side indices the notes dropped restored.

Run `gradschool grade bilinear-loops-njit` (or press c in the tutor) to check your work.
"""

import math

import numpy as np
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
    g, ni, nk = A.shape
    nj = B.shape[1]
    U = np.zeros((g, ni, nj))
    Y = np.zeros((g, ni, nj))
    for h in range(g):
        for i in range(ni):
            for j in range(nj):
                for k in range(nk):
                    U[h, i, j] += A[h, i, k] * B[h, j, k]
                Y[h, i, j] = sigmoid(U[h, i, j])
    return U, Y


@njit(cache=True)
def bilinear_backward(A: np.ndarray, B: np.ndarray, U: np.ndarray,
                      Y_grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L915-917 with every left-hand side indexed: returns (A_grad (G, I, K), B_grad (G, J, K))."""
    g, ni, nk = A.shape
    nj = B.shape[1]
    U_grad = np.zeros((g, ni, nj))
    A_grad = np.zeros((g, ni, nk))
    B_grad = np.zeros((g, nj, nk))
    for h in range(g):
        for i in range(ni):
            for j in range(nj):
                s = sigmoid(U[h, i, j])
                U_grad[h, i, j] += Y_grad[h, i, j] * s * (1.0 - s)
    for h in range(g):
        for i in range(ni):
            for j in range(nj):
                for k in range(nk):
                    A_grad[h, i, k] += U_grad[h, i, j] * B[h, j, k]
                    B_grad[h, j, k] += U_grad[h, i, j] * A[h, i, k]
    return A_grad, B_grad
