"""Exercise `dropout-inverted` (notes §5.8, L2082–2186): inverted dropout, forward and backward.

Conventions (stated in the README; the notes differ, see erratum 11):
- p is the DROP probability (the notes' μ, L2128): each unit is zeroed with probability p.
- Masks come from the Generator you are given: u = rng.random(x.shape) (ONE call per forward), keep = u >= p.
- Train mode scales the kept units by 1/(1 - p) (inverted dropout); test mode is exactly the identity.

Run `gradschool grade dropout-inverted` (or press c in the tutor) to check your work.
"""

import numpy as np


def dropout_forward(x: np.ndarray, p: float, rng: np.random.Generator,
                    train: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Returns (y, mask), mask a bool array of x's shape (True = kept).
    train=True:  mask = rng.random(x.shape) >= p, y = x * mask / (1 - p).
    train=False: y = x (identity), mask all True, and rng is not used. 0 <= p < 1."""
    raise NotImplementedError("dropout_forward: draw the keep mask, scale the kept units by 1/(1 - p)")


def dropout_backward(grad_y: np.ndarray, mask: np.ndarray, p: float) -> np.ndarray:
    """Train-mode backward: the gradient with respect to x, given the upstream grad_y and the forward's mask."""
    raise NotImplementedError("dropout_backward: reuse the forward pass's mask and scale")


class Dropout:
    """A dropout layer that remembers the mask of its last forward pass for backward."""

    def __init__(self, p: float, rng: np.random.Generator) -> None:
        self.p = p
        self.rng = rng

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """Like dropout_forward (one rng.random call per train-mode forward); remembers what backward needs."""
        raise NotImplementedError("Dropout.forward: call dropout_forward and keep the mask (and the mode)")

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        """The gradient for the LAST forward call: its mask and scale in train mode, grad_y unchanged in test mode."""
        raise NotImplementedError("Dropout.backward: use the mask stored by the last forward")
