"""Reference solution for `regression-losses` (notes §4.1.2)."""

import numpy as np


def l2_loss(yhat: np.ndarray, y: np.ndarray) -> float:
    """Σ (yhat - y)² over all entries."""
    return float(np.sum((yhat - y) ** 2))


def l2_grad(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂ l2_loss / ∂ yhat, the shape of yhat."""
    return 2.0 * (yhat - y)


def l1_loss(yhat: np.ndarray, y: np.ndarray) -> float:
    """Σ |yhat - y| over all entries."""
    return float(np.sum(np.abs(yhat - y)))


def l1_grad(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂ l1_loss / ∂ yhat: sign(yhat - y), with 0 where yhat == y."""
    return np.sign(yhat - y)


def laplace_nll(mu: np.ndarray, log_b: np.ndarray, y: np.ndarray) -> float:
    """Σ log(2b) + |y - mu| / b with b = exp(log_b)."""
    return float(np.sum(np.log(2.0) + log_b + np.abs(y - mu) * np.exp(-log_b)))


def laplace_nll_grad(mu: np.ndarray, log_b: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(∂/∂mu, ∂/∂log_b) of laplace_nll, each the shape of mu."""
    inv_b = np.exp(-log_b)
    return np.sign(mu - y) * inv_b, 1.0 - np.abs(y - mu) * inv_b
