"""The reference kernel that `gradschool grade conv-speed-njit` times your conv2d_fast against.

A copy of the grader's conv2d_forward (grader/kernels/conv.py) in its row-at-a-time form (the grader's
own kernel also has a blocked path for stride 1), shipped beside your file so that both run in the same
process. Do not edit it: the grader checks that it is unchanged.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def _pad(x, ph, pw):
    n_b, c, h, wd = x.shape
    xp = np.zeros((n_b, c, h + 2 * ph, wd + 2 * pw))
    for n in range(n_b):
        for ci in range(c):
            for r in range(h):
                xp[n, ci, r + ph, pw:pw + wd] = x[n, ci, r]
    return xp


@njit(cache=True)
def _taps(acc, w, ci, p, q, xs):
    # acc[co, :] += w[co, ci, p, q] * xs for every output channel (xs: one tap's input row)
    m = acc.shape[1]
    for co in range(acc.shape[0]):
        wv = w[co, ci, p, q]
        a = acc[co]
        for t in range(m):
            a[t] += wv * xs[t]


@njit(cache=True)
def _taps3(acc, w, ci, p, q, x0, x1, x2):
    # Three neighbouring taps at once: one load and store of acc per three products
    m = acc.shape[1]
    for co in range(acc.shape[0]):
        w0, w1, w2 = w[co, ci, p, q], w[co, ci, p, q + 1], w[co, ci, p, q + 2]
        a = acc[co]
        for t in range(m):
            a[t] = ((a[t] + w0 * x0[t]) + w1 * x1[t]) + w2 * x2[t]


@njit(cache=True)
def _fwd_row(xp, w, acc, n, i, sh, sw, dh, dw):
    c_in = xp.shape[1]
    kh_n, kw_n = w.shape[2], w.shape[3]
    m = acc.shape[1]
    buf = np.empty(m)  # strided layers: each tap's input row, gathered to be contiguous
    for ci in range(c_in):
        for p in range(kh_n):
            xr = xp[n, ci, i * sh + p * dh]
            q = 0
            if sw == 1:
                while q + 3 <= kw_n:
                    s0 = q * dw
                    _taps3(acc, w, ci, p, q, xr[s0:s0 + m], xr[s0 + dw:s0 + dw + m], xr[s0 + 2 * dw:s0 + 2 * dw + m])
                    q += 3
                while q < kw_n:
                    _taps(acc, w, ci, p, q, xr[q * dw:q * dw + m])
                    q += 1
            else:
                while q < kw_n:
                    s0 = q * dw
                    for t in range(m):
                        buf[t] = xr[s0 + t * sw]
                    _taps(acc, w, ci, p, q, buf)
                    q += 1


@njit(cache=True)
def conv2d_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, sh: int, sw: int, ph: int, pw: int,
                   dh: int, dw: int) -> np.ndarray:
    n_b, _, h, wd = x.shape
    c_out, _, kh_n, kw_n = w.shape
    oh_n = (h + 2 * ph - dh * (kh_n - 1) - 1) // sh + 1
    ow_n = (wd + 2 * pw - dw * (kw_n - 1) - 1) // sw + 1
    xp = _pad(x, ph, pw)
    y = np.empty((n_b, c_out, oh_n, ow_n))
    acc = np.empty((c_out, ow_n))
    for n in range(n_b):
        for i in range(oh_n):
            for co in range(c_out):
                acc[co, :] = b[co]
            _fwd_row(xp, w, acc, n, i, sh, sw, dh, dw)
            y[n, :, i, :] = acc
    return y


def reference_conv(x, w, b, padding):
    """Stride 1, dilation 1, zero padding on all four sides."""
    return conv2d_forward(x, w, b, 1, 1, padding, padding, 1, 1)
