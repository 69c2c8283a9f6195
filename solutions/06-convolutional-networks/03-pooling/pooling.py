"""Exercise `conv-pooling` (notes §7.3.1): max and average pooling, forward and backward. Layout NCHW.

Run `gradschool grade conv-pooling` (or press c in the tutor) to check your work.
"""

import numpy as np


def pool_output_size(n, k, stride):
    """Given: floor((n − k) / stride) + 1 (notes L3277 with P = 0: windows never leave the input)."""
    return (n - k) // stride + 1


def maxpool_forward(x, size, stride):
    """x (N, C, H, W); size = (kh, kw), stride = (sh, sw). Returns (y, idx), both (N, C, H_out, W_out):
    y[n, c, i, j] = max over the window at rows i·sh .. i·sh+kh−1, columns j·sw .. j·sw+kw−1;
    idx[n, c, i, j] = r·W + col, the flat position in the (H, W) plane of the FIRST maximum of the
    window in row-major window order (ties: the earliest cell wins). idx is an integer array."""
    n_b, c, h, w = x.shape
    kh, kw = size
    sh, sw = stride
    oh, ow = pool_output_size(h, kh, sh), pool_output_size(w, kw, sw)
    rows = sh * np.arange(oh)[:, None]
    cols = sw * np.arange(ow)[None, :]
    y = x[:, :, rows, cols].copy()
    idx = np.broadcast_to(rows * w + cols, y.shape).astype(np.int64)
    for p in range(kh):
        for q in range(kw):
            v = x[:, :, rows + p, cols + q]
            better = v > y  # strict: an equal later value never replaces the first maximum
            y = np.where(better, v, y)
            idx = np.where(better, (rows + p) * w + cols + q, idx)
    return y, idx


def maxpool_backward(dy, idx, x_shape):
    """dx of shape x_shape: each dy[n, c, i, j] is ADDED to the input cell idx[n, c, i, j] (overlapping
    windows that share a maximum both send their gradient to it)."""
    n_b, c, h, w = x_shape
    dx = np.zeros((n_b, c, h * w))
    np.add.at(dx, (np.arange(n_b)[:, None, None], np.arange(c)[None, :, None], idx.reshape(n_b, c, -1)),
              dy.reshape(n_b, c, -1))
    return dx.reshape(x_shape)


def avgpool_forward(x, size, stride):
    """y[n, c, i, j] = mean of the window (divide by kh·kw)."""
    n_b, c, h, w = x.shape
    kh, kw = size
    sh, sw = stride
    oh, ow = pool_output_size(h, kh, sh), pool_output_size(w, kw, sw)
    rows = sh * np.arange(oh)[:, None]
    cols = sw * np.arange(ow)[None, :]
    y = np.zeros((n_b, c, oh, ow))
    for p in range(kh):
        for q in range(kw):
            y += x[:, :, rows + p, cols + q]
    return y / (kh * kw)


def avgpool_backward(dy, x_shape, size, stride):
    """dx of shape x_shape: every cell of a window receives dy / (kh·kw); overlapping windows add up."""
    n_b, c, h, w = x_shape
    kh, kw = size
    sh, sw = stride
    oh, ow = dy.shape[2], dy.shape[3]
    rows = sh * np.arange(oh)[:, None]
    cols = sw * np.arange(ow)[None, :]
    dx = np.zeros(x_shape)
    for p in range(kh):
        for q in range(kw):
            np.add.at(dx, (slice(None), slice(None), rows + p, cols + q), dy / (kh * kw))
    return dx
