"""Exercise `lenet-train` (notes §7.5.1): a small LeNet built from YOUR layers, trained on 8×8 shapes.

conv 3×3 (1→6, padding 1) → ReLU → max-pool 2 → conv 3×3 (6→8, padding 1) → ReLU → max-pool 2
→ flatten (8·2·2 = 32) → affine 32→16 → ReLU → affine 16→C.

Run `gradschool grade lenet-train` (or press c in the tutor) to check your work.
"""

import numpy as np
from conv2d import conv2d_backward, conv2d_forward  # noqa: F401  (your conv2d-njit layers)
from pooling import maxpool_backward, maxpool_forward  # noqa: F401  (your pooling layers)

ONE, PAD = (1, 1), (1, 1)  # stride and dilation 1, padding 1, as (h, w) pairs
POOL = (2, 2)


def init_params(n_classes, rng):
    """Given: He-style random weights (std sqrt(2 / fan_in)), zero biases."""
    def he(*shape, fan_in):
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)

    return {"W1": he(6, 1, 3, 3, fan_in=9), "b1": np.zeros(6),
            "W2": he(8, 6, 3, 3, fan_in=54), "b2": np.zeros(8),
            "A3": he(32, 16, fan_in=32), "b3": np.zeros(16),
            "A4": he(16, n_classes, fan_in=16), "b4": np.zeros(n_classes)}


def lenet_forward(params, x):
    """x (N, 1, 8, 8) -> (scores (N, C), cache): cache holds what lenet_backward needs."""
    raise NotImplementedError("lenet_forward: conv, ReLU, pool, conv, ReLU, pool, flatten, affine, ReLU, affine")


def lenet_loss_and_grads(params, x, y):
    """Mean softmax cross-entropy over the batch and its gradient for every parameter (same keys)."""
    raise NotImplementedError("lenet_loss_and_grads: backpropagate through every layer in reverse")


def train(x, y, n_classes, seed):
    """Train on x (N, 1, 8, 8), labels y (N,). Returns (params, losses): the trained parameters and the
    loss of every step, in order. Derive every random choice from seed."""
    raise NotImplementedError("train: minibatch SGD; return (params, losses)")
