"""Exercise `prelu-maxout` (notes §4.2): PReLU with a learned per-channel slope, and maxout.

Run `gradschool grade prelu-maxout` to check your work.
"""

import numpy as np


def prelu(X: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """max(alpha_c * x, x) for X (N, C), alpha (C,): one slope per column, shared over the batch."""
    raise NotImplementedError("prelu: x where x > 0, alpha_c * x elsewhere")


def prelu_backward(X: np.ndarray, alpha: np.ndarray, G: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(dX (N, C), dalpha (C,)) for upstream G (N, C); dalpha is summed over the batch."""
    raise NotImplementedError("prelu_backward: the gradients for X and for the shared slopes")


def maxout(Z: np.ndarray, k: int) -> np.ndarray:
    """(N, M*k) -> (N, M): unit j is the max over the contiguous columns j*k .. j*k+k-1."""
    raise NotImplementedError("maxout: the max over each group of k contiguous columns")


def maxout_backward(Z: np.ndarray, k: int, G: np.ndarray) -> np.ndarray:
    """dZ (N, M*k) for upstream G (N, M): G goes to each group's argmax (the lowest column on a tie)."""
    raise NotImplementedError("maxout_backward: route each G[i, j] to the winning piece")
