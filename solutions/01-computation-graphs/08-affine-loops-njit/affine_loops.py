"""Reference solution for `affine-loops-njit` (notes §3.1.1)."""

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
def affine_sigmoid_forward(A: np.ndarray, x: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L884–886 with A (M, D), x (D,), b (M,): u = A x WITHOUT b, y = σ(u + b). Returns (u, y)."""
    M, D = A.shape
    u = np.zeros(M)
    y = np.zeros(M)
    for i in range(M):
        for j in range(D):
            u[i] += A[i, j] * x[j]
    for i in range(M):
        y[i] = sigmoid(u[i] + b[i])
    return u, y


@njit(cache=True)
def affine_sigmoid_backward(A: np.ndarray, x: np.ndarray, b: np.ndarray, u: np.ndarray,
                            y_grad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """L892–900: returns (A_grad (M, D), x_grad (D,), b_grad (M,)) for upstream y_grad (M,)."""
    M, D = A.shape
    u_grad = np.zeros(M)
    b_grad = np.zeros(M)
    A_grad = np.zeros((M, D))
    x_grad = np.zeros(D)
    for i in range(M):
        s = sigmoid(u[i] + b[i])
        u_grad[i] += y_grad[i] * s * (1.0 - s)  # σ'(u + b): b is added inside σ (L886)
        b_grad[i] += y_grad[i] * s * (1.0 - s)
    for i in range(M):
        for j in range(D):
            A_grad[i, j] += u_grad[i] * x[j]
            x_grad[j] += u_grad[i] * A[i, j]
    return A_grad, x_grad, b_grad
