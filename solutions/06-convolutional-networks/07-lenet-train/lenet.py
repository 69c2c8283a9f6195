"""Exercise `lenet-train` (notes §7.5.1): a small LeNet built from YOUR layers, trained on 8×8 shapes.

conv 3×3 (1→6, padding 1) → ReLU → max-pool 2 → conv 3×3 (6→8, padding 1) → ReLU → max-pool 2
→ flatten (8·2·2 = 32) → affine 32→16 → ReLU → affine 16→C.

Run `gradschool grade lenet-train` (or press c in the tutor) to check your work.
"""

import numpy as np
from conv2d import conv2d_backward, conv2d_forward  # your conv2d-njit layers
from pooling import maxpool_backward, maxpool_forward  # your pooling layers

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
    z1 = conv2d_forward(x, params["W1"], params["b1"], ONE, PAD, ONE)
    h1 = np.maximum(z1, 0.0)
    p1, i1 = maxpool_forward(h1, POOL, POOL)
    z2 = conv2d_forward(p1, params["W2"], params["b2"], ONE, PAD, ONE)
    h2 = np.maximum(z2, 0.0)
    p2, i2 = maxpool_forward(h2, POOL, POOL)
    f = p2.reshape(len(x), -1)
    z3 = f @ params["A3"] + params["b3"]
    h3 = np.maximum(z3, 0.0)
    scores = h3 @ params["A4"] + params["b4"]
    return scores, (x, z1, h1, i1, p1, z2, h2, i2, p2, f, z3, h3)


def lenet_loss_and_grads(params, x, y):
    """Mean softmax cross-entropy over the batch and its gradient for every parameter (same keys)."""
    scores, (x, z1, h1, i1, p1, z2, h2, i2, p2, f, z3, h3) = lenet_forward(params, x)
    n = len(x)
    shifted = scores - scores.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(n), y].mean()
    ds = np.exp(logp)
    ds[np.arange(n), y] -= 1.0
    ds /= n
    grads = {"A4": h3.T @ ds, "b4": ds.sum(axis=0)}
    dz3 = (ds @ params["A4"].T) * (z3 > 0)
    grads["A3"], grads["b3"] = f.T @ dz3, dz3.sum(axis=0)
    dp2 = (dz3 @ params["A3"].T).reshape(p2.shape)
    dz2 = maxpool_backward(dp2, i2, list(h2.shape)) * (z2 > 0)
    dp1, grads["W2"], grads["b2"] = conv2d_backward(dz2, p1, params["W2"], ONE, PAD, ONE)
    dz1 = maxpool_backward(dp1, i1, list(h1.shape)) * (z1 > 0)
    _, grads["W1"], grads["b1"] = conv2d_backward(dz1, x, params["W1"], ONE, PAD, ONE)
    return float(loss), grads


def train(x, y, n_classes, seed):
    """Train on x (N, 1, 8, 8), labels y (N,). Returns (params, losses): the trained parameters and the
    loss of every step, in order. Derive every random choice from seed."""
    rng = np.random.default_rng(seed)
    params = init_params(n_classes, rng)
    losses = []
    for _ in range(20):  # epochs of minibatch SGD, batch 16, learning rate 0.1
        order = rng.permutation(len(x))
        for start in range(0, len(x), 16):
            batch = order[start:start + 16]
            loss, grads = lenet_loss_and_grads(params, x[batch], y[batch])
            losses.append(loss)
            for k in params:
                params[k] = params[k] - 0.1 * grads[k]
    return params, losses
