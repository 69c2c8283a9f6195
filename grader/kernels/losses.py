"""Binary and categorical cross-entropy, and full-batch logistic regression (notes §2.1)."""

import numpy as np
from numba import njit

from grader.kernels.activations import sigmoid_scalar


@njit(cache=True)
def bce_with_logits_scalar(s: float, y: float) -> float:
    # BCE(σ(s), y) rearranged so exp never overflows and log never sees 0.
    return max(s, 0.0) - s * y + np.log1p(np.exp(-abs(s)))


@njit(cache=True)
def bce(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.empty_like(yhat)
    for i in range(yhat.size):
        # Skip zero-weight terms (0·log 0 = 0), so a confident correct prediction costs 0, not nan.
        loss = 0.0
        if y[i] != 0.0:
            loss -= y[i] * np.log(yhat[i])
        if y[i] != 1.0:
            loss -= (1.0 - y[i]) * np.log1p(-yhat[i])
        out[i] = loss
    return out


# error_model="numpy": ŷ ∈ {0, 1} gives ±inf/nan like NumPy would, not ZeroDivisionError.
@njit(cache=True, error_model="numpy")
def bce_grad_yhat(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.empty_like(yhat)
    for i in range(yhat.size):
        out[i] = (yhat[i] - y[i]) / (yhat[i] * (1.0 - yhat[i]))
    return out


@njit(cache=True)
def bce_with_logits(s: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.empty_like(s)
    for i in range(s.size):
        out[i] = bce_with_logits_scalar(s[i], y[i])
    return out


@njit(cache=True)
def cross_entropy(P: np.ndarray, y: np.ndarray) -> np.ndarray:
    n = P.shape[0]
    out = np.empty(n)
    for i in range(n):
        out[i] = -np.log(P[i, y[i]])
    return out


@njit(cache=True, error_model="numpy")  # P[i, y_i] = 0 gives -inf, not ZeroDivisionError
def cross_entropy_backward(P: np.ndarray, y: np.ndarray, g: np.ndarray) -> np.ndarray:
    dP = np.zeros_like(P)
    for i in range(P.shape[0]):
        dP[i, y[i]] = -g[i] / P[i, y[i]]
    return dP


@njit(cache=True)
def _logit(w: np.ndarray, X: np.ndarray, i: int) -> float:
    s = 0.0
    for d in range(w.size):
        s += w[d] * X[i, d]
    return s


@njit(cache=True)
def logreg_loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    total = 0.0
    for i in range(X.shape[0]):
        total += bce_with_logits_scalar(_logit(w, X, i), y[i])
    return total


@njit(cache=True)
def logreg_grad(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    grad = np.zeros_like(w)
    for i in range(X.shape[0]):
        r = sigmoid_scalar(_logit(w, X, i)) - y[i]
        for d in range(w.size):
            grad[d] += r * X[i, d]
    return grad
