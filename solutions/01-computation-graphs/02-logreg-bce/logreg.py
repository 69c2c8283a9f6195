"""Reference solution for `logreg-bce` (notes §2.1.2)."""

import numpy as np


def sigmoid(s: np.ndarray) -> np.ndarray:
    """σ(s) = 1 / (1 + e^{-s}). Given: the checks keep |s| small, so the plain formula is fine here."""
    return 1.0 / (1.0 + np.exp(-s))


def _xlogy(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a·log(b) with 0·log(anything) = 0, so a zero weight never meets log 0."""
    safe_b = np.where(a == 0, 1.0, b)
    return np.where(a == 0, 0.0, a * np.log(safe_b))


def bce(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Eq. (7) elementwise: -y log ŷ - (1 - y) log(1 - ŷ), with 0·log 0 = 0."""
    yhat = np.asarray(yhat, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return -_xlogy(y, yhat) - _xlogy(1.0 - y, 1.0 - yhat)


def logreg_loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Σ_i BCE(σ(w·x_i), y_i) over the N rows x_i of X (N, D): a SUM, as in eq. (6)."""
    return float(np.sum(bce(sigmoid(X @ w), y)))


def logreg_grad(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∇_w logreg_loss = Σ_i (ŷ_i - y_i) x_i, shape (D,) (eq. 9-10)."""
    return X.T @ (sigmoid(X @ w) - y)
