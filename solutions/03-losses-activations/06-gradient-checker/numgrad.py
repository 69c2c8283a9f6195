"""Reference solution for `numerical-gradient-checker` (notes §4.2, L1650-1665)."""

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float | None = None) -> np.ndarray:
    """Central differences (f(x + h e_i) - f(x - h e_i)) / 2h for every index i of x; h defaults to ∛eps."""
    if h is None:
        h = np.finfo(np.float64).eps ** (1.0 / 3.0)
    base = np.array(x, dtype=np.float64, copy=True)
    grad = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        old = base[index]
        base[index] = old + h
        up = f(base)
        base[index] = old - h
        down = f(base)
        base[index] = old
        grad[index] = (up - down) / (2.0 * h)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max over entries of |a - b| / max(1e-8, |a| + |b|)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def check_gradient(f: Callable[[np.ndarray], float], grad_f: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                   h: float | None = None) -> float:
    """relative_error(grad_f(x), numerical_gradient(f, x, h))."""
    return relative_error(grad_f(x), numerical_gradient(f, x, h))
