"""Exercise `saliency-gradient` (notes §7.6.3): saliency via backpropagation, the gradient of a class score with
respect to the input image. The network is given and uses your conv2d-njit and pooling layers:

conv 3×3 (C→4, padding 1) → ReLU → max-pool 2 → flatten → affine → scores (N, K).

Run `gradschool grade saliency-gradient` (or press c in the tutor) to check your work.
"""

import numpy as np
from conv2d import conv2d_backward, conv2d_forward  # noqa: F401  (your conv2d-njit layers)
from pooling import maxpool_backward, maxpool_forward  # noqa: F401  (your pooling layers)

ONE, PAD, POOL = (1, 1), (1, 1), (2, 2)


def scores(params, x):
    """Given: the class scores (N, K) of images x (N, C, H, W), H and W even."""
    z = conv2d_forward(x, params["W1"], params["b1"], ONE, PAD, ONE)
    pooled, _ = maxpool_forward(np.maximum(z, 0.0), POOL, POOL)
    return pooled.reshape(len(x), -1) @ params["A"] + params["b"]


def input_gradient(params, x, c):
    """∂ scores[n, c[n]] / ∂ x[n] for every image n, shape (N, C, H, W); c (N,) holds one class per image.
    (The images do not interact, so this is the gradient of Σ_n scores[n, c[n]] with respect to x.)"""
    raise NotImplementedError("input_gradient: backpropagate a one-hot gradient of the scores to x")


def saliency_map(params, x, c):
    """The saliency map (N, H, W): the largest magnitude of the input gradient over the channels,
    max_ch |∂ scores[n, c[n]] / ∂ x[n, ch, i, j]| (notes L3412-3416)."""
    raise NotImplementedError("saliency_map: the max over channels of the gradient's magnitude")
