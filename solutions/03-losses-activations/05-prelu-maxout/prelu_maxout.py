"""Reference solution for `prelu-maxout` (notes §4.2)."""

import numpy as np


def prelu(X: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """max(alpha_c * x, x) for X (N, C), alpha (C,): one slope per column, shared over the batch."""
    return np.where(X > 0, X, alpha * X)


def prelu_backward(X: np.ndarray, alpha: np.ndarray, G: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(dX (N, C), dalpha (C,)) for upstream G (N, C); dalpha is summed over the batch."""
    negative = X <= 0
    dX = np.where(negative, alpha * G, G)
    dalpha = np.sum(np.where(negative, X * G, 0.0), axis=0)
    return dX, dalpha


def maxout(Z: np.ndarray, k: int) -> np.ndarray:
    """(N, M*k) -> (N, M): unit j is the max over the contiguous columns j*k .. j*k+k-1."""
    n = Z.shape[0]
    return Z.reshape(n, -1, k).max(axis=-1)


def maxout_backward(Z: np.ndarray, k: int, G: np.ndarray) -> np.ndarray:
    """dZ (N, M*k) for upstream G (N, M): G goes to each group's argmax (the lowest column on a tie)."""
    n = Z.shape[0]
    groups = Z.reshape(n, -1, k)
    winner = np.argmax(groups, axis=-1)[..., None]  # the first maximum on a tie
    dZ = np.zeros_like(groups)
    np.put_along_axis(dZ, winner, G[..., None], axis=-1)
    return dZ.reshape(Z.shape)
