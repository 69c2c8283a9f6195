"""Matmul and affine layers: minibatch GEMM form (notes L930-951) and the per-sample loops (L884-900)."""

import numpy as np
from numba import njit

from grader.kernels.activations import sigmoid_scalar


@njit(cache=True)
def matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    # i-k-j order: the inner loop walks rows of B and C contiguously. (np.dot in njit needs SciPy.)
    n, k = A.shape
    m = B.shape[1]
    C = np.zeros((n, m))
    for i in range(n):
        for p in range(k):
            a = A[i, p]
            for j in range(m):
                C[i, j] += a * B[p, j]
    return C


@njit(cache=True)
def affine_forward(X: np.ndarray, A: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = matmul(X, A)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] += b[j]
    return out


@njit(cache=True)
def affine_backward(G: np.ndarray, X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n, d_in = X.shape
    m = A.shape[1]
    dX = np.zeros((n, d_in))
    dA = np.zeros((d_in, m))
    db = np.zeros(m)
    for i in range(n):
        for j in range(m):
            db[j] += G[i, j]
        for d in range(d_in):
            x = X[i, d]
            acc = 0.0
            for j in range(m):
                acc += G[i, j] * A[d, j]  # (G Aᵀ)[i, d]
                dA[d, j] += x * G[i, j]  # (Xᵀ G)[d, j]
            dX[i, d] = acc
    return dX, dA, db


@njit(cache=True)
def affine_backward_per_example(G: np.ndarray, X: np.ndarray) -> np.ndarray:
    n, d_in = X.shape
    m = G.shape[1]
    dA = np.empty((n, d_in, m))
    for i in range(n):
        for d in range(d_in):
            for j in range(m):
                dA[i, d, j] = X[i, d] * G[i, j]
    return dA


@njit(cache=True)
def affine_sigmoid_loops_forward(
    A: np.ndarray, x: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    m, d_in = A.shape
    u = np.zeros(m)
    y = np.empty(m)
    for i in range(m):
        for j in range(d_in):
            u[i] += A[i, j] * x[j]
    for i in range(m):
        y[i] = sigmoid_scalar(u[i] + b[i])
    return u, y


@njit(cache=True)
def affine_sigmoid_loops_backward(
    A: np.ndarray, x: np.ndarray, b: np.ndarray, u: np.ndarray, y_grad: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    m, d_in = A.shape
    u_grad = np.zeros(m)
    b_grad = np.zeros(m)
    A_grad = np.zeros((m, d_in))
    x_grad = np.zeros(d_in)
    for i in range(m):
        s = sigmoid_scalar(u[i] + b[i])
        local = s * (1.0 - s)
        u_grad[i] += y_grad[i] * local
        b_grad[i] += y_grad[i] * local
    for i in range(m):
        for j in range(d_in):
            A_grad[i, j] += u_grad[i] * x[j]
            x_grad[j] += u_grad[i] * A[i, j]
    return A_grad, x_grad, b_grad, u_grad
