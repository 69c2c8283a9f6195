"""Reference solution for `sigmoid` (notes §2.1)."""

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + exp(-x)), elementwise, with no overflow for any float64 x."""
    x = np.asarray(x, dtype=np.float64)
    # exp of a non-positive number never overflows: pick the form per sign of x.
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """σ'(x) = σ(x) (1 - σ(x)), elementwise."""
    s = sigmoid(x)
    return s * (1.0 - s)
