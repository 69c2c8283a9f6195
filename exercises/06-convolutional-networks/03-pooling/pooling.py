"""Exercise `conv-pooling` (notes §7.3.1): max and average pooling, forward and backward. Layout NCHW.

Run `gradschool grade conv-pooling` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401


def pool_output_size(n, k, stride):
    """Given: floor((n − k) / stride) + 1 (notes L3277 with P = 0: windows never leave the input)."""
    return (n - k) // stride + 1


def maxpool_forward(x, size, stride):
    """x (N, C, H, W); size = (kh, kw), stride = (sh, sw). Returns (y, idx), both (N, C, H_out, W_out):
    y[n, c, i, j] = max over the window at rows i·sh .. i·sh+kh−1, columns j·sw .. j·sw+kw−1;
    idx[n, c, i, j] = r·W + col, the flat position in the (H, W) plane of the FIRST maximum of the
    window in row-major window order (ties: the earliest cell wins). idx is an integer array."""
    raise NotImplementedError("maxpool_forward: return (y, idx)")


def maxpool_backward(dy, idx, x_shape):
    """dx of shape x_shape: each dy[n, c, i, j] is ADDED to the input cell idx[n, c, i, j] (overlapping
    windows that share a maximum both send their gradient to it)."""
    raise NotImplementedError("maxpool_backward: route each dy to its idx")


def avgpool_forward(x, size, stride):
    """y[n, c, i, j] = mean of the window (divide by kh·kw)."""
    raise NotImplementedError("avgpool_forward: the mean of each window")


def avgpool_backward(dy, x_shape, size, stride):
    """dx of shape x_shape: every cell of a window receives dy / (kh·kw); overlapping windows add up."""
    raise NotImplementedError("avgpool_backward: spread dy over each window")
