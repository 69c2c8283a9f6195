"""Exercise `linear-collapse` (notes §3.3, L1108-1122): without non-linear activations, a stack of
affine layers is one affine map.

Run `gradschool grade linear-collapse` (or press c in the tutor) to check your work.
"""

import numpy as np


def linear_stack_forward(As: list[np.ndarray], bs: list[np.ndarray], X: np.ndarray) -> np.ndarray:
    """Apply y = A_i h + b_i for i = 1, ..., L (g(x) = x) to every row of X (N, D): returns Y (N, K)."""
    H = X
    for A, b in zip(As, bs, strict=True):
        H = H @ A.T + b
    return H


def collapse_linear(As: list[np.ndarray], bs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The single affine map (A (K, D), b (K,)) with A x + b equal to the whole stack, as in L1120."""
    A, b = As[0], bs[0]
    for Ai, bi in zip(As[1:], bs[1:], strict=True):
        A = Ai @ A
        b = Ai @ b + bi
    return A.copy(), b.copy()
