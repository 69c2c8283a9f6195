"""Float64 reference kernels for the CUDA exercises (chapter 7 part `07-gpu-kernels`) that grader.reference
and grader.reference_conv do not already have: the ELU activation, forward and backward."""

import numpy as np
from numba import njit


@njit(cache=True)
def elu_forward(x: np.ndarray, alpha: float) -> np.ndarray:
    """x for x > 0, alpha (e^x - 1) for x <= 0 (expm1: no cancellation near 0)."""
    out = np.empty_like(x)
    for i in range(x.size):
        out[i] = x[i] if x[i] > 0.0 else alpha * np.expm1(x[i])
    return out


@njit(cache=True)
def elu_backward(x: np.ndarray, g: np.ndarray, alpha: float) -> np.ndarray:
    """g times ELU'(x): 1 for x > 0, alpha e^x for x <= 0."""
    out = np.empty_like(x)
    for i in range(x.size):
        out[i] = g[i] if x[i] > 0.0 else g[i] * alpha * np.exp(x[i])
    return out
