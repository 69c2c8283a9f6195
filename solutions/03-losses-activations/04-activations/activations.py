"""Reference solution for `activations-forward-backward` (notes §4.2)."""

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), elementwise, for any x."""
    z = np.exp(-np.abs(x))  # exp of a non-positive number never overflows
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_backward(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """g * σ'(x)."""
    s = sigmoid(x)
    return g * s * (1.0 - s)


def tanh(x: np.ndarray) -> np.ndarray:
    """2 / (1 + exp(-2x)) - 1, elementwise, for any x."""
    return np.tanh(x)


def tanh_backward(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """g * tanh'(x)."""
    return g * (1.0 - np.tanh(x) ** 2)


def relu(x: np.ndarray) -> np.ndarray:
    """max(0, x)."""
    return np.maximum(x, 0.0)


def relu_backward(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """g where x > 0, 0 where x < 0."""
    return np.where(x > 0, g, 0.0)


def leaky_relu(x: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """max(slope * x, x) for 0 <= slope < 1."""
    return np.where(x > 0, x, slope * x)


def leaky_relu_backward(x: np.ndarray, g: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """g where x > 0, slope * g where x < 0."""
    return np.where(x > 0, g, slope * g)


def elu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """x for x > 0, alpha * (exp(x) - 1) otherwise."""
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_backward(x: np.ndarray, g: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """g where x > 0, g * alpha * exp(x) where x < 0."""
    return np.where(x > 0, g, g * alpha * np.exp(np.minimum(x, 0.0)))
