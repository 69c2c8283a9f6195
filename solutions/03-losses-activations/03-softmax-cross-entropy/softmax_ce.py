"""Reference solution for `softmax-log-softmax-ce` (notes §4.1.3)."""

import numpy as np


def softmax(S: np.ndarray) -> np.ndarray:
    """Row-wise softmax of S (N, C), stable for any scores."""
    E = np.exp(S - np.max(S, axis=1, keepdims=True))
    return E / np.sum(E, axis=1, keepdims=True)


def softmax_backward(S: np.ndarray, G: np.ndarray) -> np.ndarray:
    """∂/∂S of Σ G * softmax(S), for upstream G (N, C)."""
    P = softmax(S)
    return P * (G - np.sum(G * P, axis=1, keepdims=True))


def log_softmax(S: np.ndarray) -> np.ndarray:
    """Row-wise s_c - log Σ_k exp(s_k), finite for any scores."""
    shifted = S - np.max(S, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def log_softmax_backward(S: np.ndarray, G: np.ndarray) -> np.ndarray:
    """∂/∂S of Σ G * log_softmax(S), for upstream G (N, C)."""
    return G - softmax(S) * np.sum(G, axis=1, keepdims=True)


def softmax_ce_loss(S: np.ndarray, y: np.ndarray) -> float:
    """Σ_i -log softmax(S)[i, y[i]] for integer labels y (N,)."""
    return float(-np.sum(log_softmax(S)[np.arange(S.shape[0]), y]))


def softmax_ce_grad(S: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂ softmax_ce_loss / ∂S, shape (N, C)."""
    grad = softmax(S)
    grad[np.arange(S.shape[0]), y] -= 1.0
    return grad
