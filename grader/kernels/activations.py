"""Sigmoid (stable and edf-clamped) and row-wise softmax, forward and backward."""

import numpy as np
from numba import njit


@njit(cache=True)
def sigmoid_scalar(x: float) -> float:
    # Two branches so exp only ever sees a non-positive argument: no overflow for any x.
    if x >= 0.0:
        return 1.0 / (1.0 + np.exp(-x))
    z = np.exp(x)
    return z / (1.0 + z)


@njit(cache=True)
def sigmoid(x: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(x.size):
        out[i] = sigmoid_scalar(x[i])
    return out


@njit(cache=True)
def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(x.size):
        # σ(x)(1-σ(x)) written as σ(x)σ(-x): 1-σ(x) would cancel to 0 long before σ(-x) underflows.
        out[i] = sigmoid_scalar(x[i]) * sigmoid_scalar(-x[i])
    return out


@njit(cache=True)
def edf_sigmoid_forward(x: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(x.size):
        bounded = max(-10.0, min(10.0, x[i]))
        out[i] = 1.0 / (1.0 + np.exp(-bounded))
    return out


@njit(cache=True)
def edf_sigmoid_backward(value: np.ndarray, grad: np.ndarray) -> np.ndarray:
    out = np.empty_like(value)
    for i in range(value.size):
        out[i] = grad[i] * value[i] * (1.0 - value[i])
    return out


@njit(cache=True)
def softmax_rows(S: np.ndarray) -> np.ndarray:
    n, c = S.shape
    P = np.empty_like(S)
    for i in range(n):
        # Subtracting the row max keeps every exponent <= 0.
        m = S[i, 0]
        for j in range(1, c):
            m = max(m, S[i, j])
        total = 0.0
        for j in range(c):
            P[i, j] = np.exp(S[i, j] - m)
            total += P[i, j]
        for j in range(c):
            P[i, j] /= total
    return P


@njit(cache=True)
def softmax_backward_rows(P: np.ndarray, G: np.ndarray) -> np.ndarray:
    n, c = P.shape
    dS = np.empty_like(P)
    for i in range(n):
        dot = 0.0
        for j in range(c):
            dot += G[i, j] * P[i, j]
        for j in range(c):
            dS[i, j] = P[i, j] * (G[i, j] - dot)
    return dS
