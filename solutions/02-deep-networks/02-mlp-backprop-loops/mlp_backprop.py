"""Exercise `mlp-backprop-loops` (notes §3.1.1-3.1.2): backprop through a whole two-layer MLP, as the
notes' index loops in @njit and vectorized in NumPy.

Run `gradschool grade mlp-backprop-loops` (or press c in the tutor) to check your work.
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


# --- the loops (target numba) ------------------------------------------------------------------


@njit(cache=True)
def mlp_forward_loops(X: np.ndarray, A1: np.ndarray, b1: np.ndarray, A2: np.ndarray,
                      b2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """H = σ(X A1 + b1) (N, H) and Ŷ = H A2 + b2 (N, K), as loops over b, i, j (L935-937). Returns (H, Ŷ)."""
    n, d = X.shape
    h = A1.shape[1]
    k = A2.shape[1]
    H = np.zeros((n, h))
    Yhat = np.zeros((n, k))
    for s in range(n):
        for i in range(h):
            u = 0.0
            for j in range(d):
                u += X[s, j] * A1[j, i]
            H[s, i] = sigmoid(u + b1[i])
        for i in range(k):
            v = 0.0
            for j in range(h):
                v += H[s, j] * A2[j, i]
            Yhat[s, i] = v + b2[i]
    return H, Yhat


@njit(cache=True)
def mlp_backward_loops(X: np.ndarray, Y: np.ndarray, A2: np.ndarray, H: np.ndarray,
                       Yhat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of L = ½ Σ_{b,k} (Ŷ - Y)², summed over the batch, as loops: (dA1, db1, dA2, db2)."""
    n, d = X.shape
    h = H.shape[1]
    k = Yhat.shape[1]
    dA1 = np.zeros((d, h))
    db1 = np.zeros(h)
    dA2 = np.zeros((h, k))
    db2 = np.zeros(k)
    for s in range(n):
        for i in range(k):
            g = Yhat[s, i] - Y[s, i]
            db2[i] += g
            for j in range(h):
                dA2[j, i] += H[s, j] * g
        for j in range(h):
            dh = 0.0
            for i in range(k):
                dh += (Yhat[s, i] - Y[s, i]) * A2[j, i]
            du = dh * H[s, j] * (1.0 - H[s, j])
            db1[j] += du
            for p in range(d):
                dA1[p, j] += X[s, p] * du
    return dA1, db1, dA2, db2


# --- vectorized (target numpy) -----------------------------------------------------------------


def mlp_forward(X: np.ndarray, A1: np.ndarray, b1: np.ndarray, A2: np.ndarray,
                b2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(H, Ŷ) with matrix products: H = σ(X A1 + b1), Ŷ = H A2 + b2."""
    H = 1.0 / (1.0 + np.exp(-(X @ A1 + b1)))
    return H, H @ A2 + b2


def mlp_backward(X: np.ndarray, Y: np.ndarray, A2: np.ndarray, H: np.ndarray,
                 Yhat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(dA1, db1, dA2, db2) with matrix products (dA = inputᵀ · upstream), no (N, D, H) array."""
    G2 = Yhat - Y
    G1 = (G2 @ A2.T) * H * (1.0 - H)
    return X.T @ G1, G1.sum(axis=0), H.T @ G2, G2.sum(axis=0)
