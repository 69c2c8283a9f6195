"""Reference solution for `bce-probs-logits` (notes §4.1.3)."""

import numpy as np


def bce_loss(p: np.ndarray, y: np.ndarray) -> float:
    """Σ -y log p - (1 - y) log(1 - p), for 0 < p < 1."""
    return float(-np.sum(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


def bce_grad(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂ bce_loss / ∂ p, the shape of p."""
    return (p - y) / (p * (1.0 - p))


def bce_logits_loss(s: np.ndarray, y: np.ndarray) -> float:
    """Σ BCE(σ(s), y), computed from the logits s without overflow for any s."""
    return float(np.sum(np.maximum(s, 0.0) - s * y + np.log1p(np.exp(-np.abs(s)))))


def bce_logits_grad(s: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂ bce_logits_loss / ∂ s = σ(s) - y, finite for any s."""
    z = np.exp(-np.abs(s))  # never overflows
    sigma = np.where(s >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return sigma - y
