"""Reference solution for `dropout-inverted`."""

import numpy as np


def dropout_forward(x: np.ndarray, p: float, rng: np.random.Generator,
                    train: bool = True) -> tuple[np.ndarray, np.ndarray]:
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    return x * mask / (1.0 - p), mask


def dropout_backward(grad_y: np.ndarray, mask: np.ndarray, p: float) -> np.ndarray:
    return grad_y * mask / (1.0 - p)


class Dropout:
    def __init__(self, p: float, rng: np.random.Generator) -> None:
        self.p = p
        self.rng = rng
        self.mask = None
        self.train = True

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        y, self.mask = dropout_forward(x, self.p, self.rng, train)
        self.train = train
        return y

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        if not self.train:
            return grad_y.copy()
        return dropout_backward(grad_y, self.mask, self.p)
