"""Exercise `activations-forward-backward` (notes §4.2): five activations, forward and backward.

Each backward gets the forward's input x and the upstream gradient g, and returns g * f'(x).
Run `gradschool grade activations-forward-backward` to check your work.
"""

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), elementwise, for any x."""
    raise NotImplementedError("sigmoid: the stable logistic sigmoid")


def sigmoid_backward(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """g * σ'(x)."""
    raise NotImplementedError("sigmoid_backward: g times the sigmoid's derivative")


def tanh(x: np.ndarray) -> np.ndarray:
    """2 / (1 + exp(-2x)) - 1, elementwise, for any x."""
    raise NotImplementedError("tanh: the hyperbolic tangent")


def tanh_backward(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """g * tanh'(x)."""
    raise NotImplementedError("tanh_backward: g times tanh's derivative")


def relu(x: np.ndarray) -> np.ndarray:
    """max(0, x)."""
    raise NotImplementedError("relu: max(0, x)")


def relu_backward(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """g where x > 0, 0 where x < 0."""
    raise NotImplementedError("relu_backward: pass g where x > 0")


def leaky_relu(x: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """max(slope * x, x) for 0 <= slope < 1."""
    raise NotImplementedError("leaky_relu: max(slope * x, x)")


def leaky_relu_backward(x: np.ndarray, g: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """g where x > 0, slope * g where x < 0."""
    raise NotImplementedError("leaky_relu_backward: g, or slope * g for negative x")


def elu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """x for x > 0, alpha * (exp(x) - 1) otherwise."""
    raise NotImplementedError("elu: x, or alpha (e^x - 1) for x <= 0")


def elu_backward(x: np.ndarray, g: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """g where x > 0, g * alpha * exp(x) where x < 0."""
    raise NotImplementedError("elu_backward: g times ELU's derivative")
