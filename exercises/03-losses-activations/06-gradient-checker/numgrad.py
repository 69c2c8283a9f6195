"""Exercise `numerical-gradient-checker` (notes §4.2, L1650-1665): central differences and the step h.

Run `gradschool grade numerical-gradient-checker` to check your work.
"""

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float | None = None) -> np.ndarray:
    """Central differences (f(x + h e_i) - f(x - h e_i)) / 2h for every index i of x; h defaults to ∛eps."""
    raise NotImplementedError("numerical_gradient: the symmetric difference quotient over every coordinate")


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max over entries of |a - b| / max(1e-8, |a| + |b|)."""
    raise NotImplementedError("relative_error: the largest relative error, with a floor of 1e-8")


def check_gradient(f: Callable[[np.ndarray], float], grad_f: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                   h: float | None = None) -> float:
    """relative_error(grad_f(x), numerical_gradient(f, x, h))."""
    raise NotImplementedError("check_gradient: compare an analytic gradient with your numerical one")
