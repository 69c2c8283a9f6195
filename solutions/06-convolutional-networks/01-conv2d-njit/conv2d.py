"""Exercise `conv2d-njit` (notes §7.2-7.4.5): conv2d forward and backward with stride, padding and
dilation, as Numba @njit loops. Layout NCHW, weights (C_out, C_in, KH, KW), cross-correlation.

Run `gradschool grade conv2d-njit` (or press c in the tutor) to check your work.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def output_size(n, k, stride, padding, dilation):
    """Given: floor((n + 2·padding − dilation·(k − 1) − 1) / stride) + 1 (notes L3277, with dilation)."""
    return (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1


@njit(cache=True)
def conv2d_forward(x, w, b, stride, padding, dilation):
    """x (N, C_in, H, W), w (C_out, C_in, KH, KW), b (C_out,); stride, padding, dilation are (h, w) pairs.

    Returns y (N, C_out, H_out, W_out) with
    y[n, co, i, j] = b[co] + Σ_{ci,p,q} w[co, ci, p, q] · x[n, ci, i·sh − ph + p·dh, j·sw − pw + q·dw],
    where reads outside x count as 0 (zero padding).
    """
    n_b, c_in, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    sh, sw = stride
    ph, pw = padding
    dh, dw = dilation
    oh = output_size(h, kh, sh, ph, dh)
    ow = output_size(wd, kw, sw, pw, dw)
    y = np.zeros((n_b, c_out, oh, ow))
    for n in range(n_b):
        for co in range(c_out):
            for i in range(oh):
                for j in range(ow):
                    acc = b[co]
                    for ci in range(c_in):
                        for p in range(kh):
                            r = i * sh - ph + p * dh
                            if r < 0 or r >= h:
                                continue
                            for q in range(kw):
                                c = j * sw - pw + q * dw
                                if c >= 0 and c < wd:
                                    acc += w[co, ci, p, q] * x[n, ci, r, c]
                    y[n, co, i, j] = acc
    return y


@njit(cache=True)
def conv2d_backward(dy, x, w, stride, padding, dilation):
    """dy (N, C_out, H_out, W_out) is ∂L/∂y. Returns (dx, dw, db) with the shapes of x, w and b;
    dw and db are SUMS over the batch."""
    n_b, c_in, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    sh, sw = stride
    ph, pw = padding
    dh, dw_ = dilation
    oh, ow = dy.shape[2], dy.shape[3]
    dx = np.zeros(x.shape)
    dw = np.zeros(w.shape)
    db = np.zeros(c_out)
    for n in range(n_b):
        for co in range(c_out):
            for i in range(oh):
                for j in range(ow):
                    g = dy[n, co, i, j]
                    db[co] += g
                    for ci in range(c_in):
                        for p in range(kh):
                            r = i * sh - ph + p * dh
                            if r < 0 or r >= h:
                                continue
                            for q in range(kw):
                                c = j * sw - pw + q * dw_
                                if c >= 0 and c < wd:
                                    dw[co, ci, p, q] += g * x[n, ci, r, c]
                                    dx[n, ci, r, c] += g * w[co, ci, p, q]
    return dx, dw, db
