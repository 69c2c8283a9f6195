"""Exercise `sigmoid` (notes §2.1): a numerically stable sigmoid and its derivative.

Run `gradschool grade sigmoid` (or press c in the tutor) to check your work.
"""

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + exp(-x)), elementwise, with no overflow for any float64 x."""
    raise NotImplementedError("sigmoid: write the numerically stable sigmoid")


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """σ'(x) = σ(x) (1 - σ(x)), elementwise."""
    raise NotImplementedError("sigmoid_grad: write the derivative of the sigmoid")
