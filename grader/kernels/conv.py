"""Convolution and pooling kernels (notes §7.2-7.4), NCHW layout, float64.

x (N, C_in, H, W), weights w (C_out, C_in, KH, KW), bias b (C_out,). The layer is a
CROSS-CORRELATION, as the notes compute it (L3203, "CNNs implement correlation"): no kernel flip,

    y[n, co, i, j] = b[co] + Σ_{ci, p, q} w[co, ci, p, q] · x[n, ci, i·sh - ph + p·dh, j·sw - pw + q·dw]

with zero padding (reads outside the input count as 0). Backward passes sum over the batch.

The loops are ordered so the innermost one walks a row of the output (or input) with no branch:
the valid column range of each kernel tap is computed once, which lets LLVM vectorize stride 1.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def output_size(n: int, k: int, stride: int, padding: int, dilation: int) -> int:
    """floor((n + 2p - d(k-1) - 1) / s) + 1 (notes L3266 with dilation; d = 1 gives (n + 2p - k)/s + 1)."""
    return (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1


@njit(cache=True)
def _valid_range(out_len: int, in_len: int, stride: int, offset: int) -> tuple[int, int]:
    # Output positions o in [lo, hi) whose input index o·stride + offset lies in [0, in_len).
    lo = 0
    if offset < 0:
        lo = (-offset + stride - 1) // stride
    hi = out_len
    last = in_len - 1 - offset  # o·stride <= last
    if last < 0:
        hi = 0
    elif last // stride + 1 < hi:
        hi = last // stride + 1
    if hi < lo:
        hi = lo
    return lo, hi


@njit(cache=True)
def _conv_forward_plane(x, w, b, y, n, co, sh, sw, ph, pw, dh, dw):
    c_in, h, wd = x.shape[1], x.shape[2], x.shape[3]
    kh_n, kw_n = w.shape[2], w.shape[3]
    oh_n, ow_n = y.shape[2], y.shape[3]
    for i in range(oh_n):
        for j in range(ow_n):
            y[n, co, i, j] = b[co]
    for ci in range(c_in):
        for p in range(kh_n):
            i_lo, i_hi = _valid_range(oh_n, h, sh, p * dh - ph)
            for q in range(kw_n):
                off = q * dw - pw
                j_lo, j_hi = _valid_range(ow_n, wd, sw, off)
                wv = w[co, ci, p, q]
                for i in range(i_lo, i_hi):
                    ih = i * sh + p * dh - ph
                    for j in range(j_lo, j_hi):
                        y[n, co, i, j] += wv * x[n, ci, ih, j * sw + off]


@njit(cache=True)
def conv2d_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, sh: int, sw: int, ph: int, pw: int,
                   dh: int, dw: int) -> np.ndarray:
    n_b, h, wd = x.shape[0], x.shape[2], x.shape[3]
    c_out, kh_n, kw_n = w.shape[0], w.shape[2], w.shape[3]
    oh_n = output_size(h, kh_n, sh, ph, dh)
    ow_n = output_size(wd, kw_n, sw, pw, dw)
    y = np.empty((n_b, c_out, oh_n, ow_n))
    for n in range(n_b):
        for co in range(c_out):
            _conv_forward_plane(x, w, b, y, n, co, sh, sw, ph, pw, dh, dw)
    return y


@njit(cache=True)
def _conv_dx_plane(dy, w, dx, n, ci, sh, sw, ph, pw, dh, dw):
    h, wd = dx.shape[2], dx.shape[3]
    c_out, kh_n, kw_n = w.shape[0], w.shape[2], w.shape[3]
    oh_n, ow_n = dy.shape[2], dy.shape[3]
    for co in range(c_out):
        for p in range(kh_n):
            i_lo, i_hi = _valid_range(oh_n, h, sh, p * dh - ph)
            for q in range(kw_n):
                off = q * dw - pw
                j_lo, j_hi = _valid_range(ow_n, wd, sw, off)
                wv = w[co, ci, p, q]
                for i in range(i_lo, i_hi):
                    ih = i * sh + p * dh - ph
                    for j in range(j_lo, j_hi):
                        dx[n, ci, ih, j * sw + off] += wv * dy[n, co, i, j]


@njit(cache=True)
def _conv_dw_pair(dy, x, dwt, co, ci, sh, sw, ph, pw, dh, dw):
    n_b, h, wd = x.shape[0], x.shape[2], x.shape[3]
    kh_n, kw_n = dwt.shape[2], dwt.shape[3]
    oh_n, ow_n = dy.shape[2], dy.shape[3]
    for p in range(kh_n):
        i_lo, i_hi = _valid_range(oh_n, h, sh, p * dh - ph)
        for q in range(kw_n):
            off = q * dw - pw
            j_lo, j_hi = _valid_range(ow_n, wd, sw, off)
            acc = 0.0
            for n in range(n_b):
                for i in range(i_lo, i_hi):
                    ih = i * sh + p * dh - ph
                    for j in range(j_lo, j_hi):
                        acc += dy[n, co, i, j] * x[n, ci, ih, j * sw + off]
            dwt[co, ci, p, q] = acc


@njit(cache=True)
def conv2d_backward(dy: np.ndarray, x: np.ndarray, w: np.ndarray, sh: int, sw: int, ph: int, pw: int,
                    dh: int, dw: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_b, c_in = x.shape[0], x.shape[1]
    c_out = w.shape[0]
    dx = np.zeros(x.shape)
    dwt = np.empty(w.shape)
    db = np.zeros(c_out)
    for co in range(c_out):
        acc = 0.0
        for n in range(n_b):
            for i in range(dy.shape[2]):
                for j in range(dy.shape[3]):
                    acc += dy[n, co, i, j]
        db[co] = acc
    for n in range(n_b):
        for ci in range(c_in):
            _conv_dx_plane(dy, w, dx, n, ci, sh, sw, ph, pw, dh, dw)
    for co in range(c_out):
        for ci in range(c_in):
            _conv_dw_pair(dy, x, dwt, co, ci, sh, sw, ph, pw, dh, dw)
    return dx, dwt, db


# --- pooling (notes §7.3.1): windows never leave the input (no padding) ---------------------


@njit(cache=True)
def maxpool_argmax(x: np.ndarray, kh: int, kw: int, sh: int, sw: int) -> tuple[np.ndarray, np.ndarray]:
    """(y, idx): the max of each window and the flat index ih·W + iw (within its plane) of the
    FIRST maximum in row-major window order (strict >: a later equal value never replaces it)."""
    n_b, c, h, wd = x.shape
    oh_n = (h - kh) // sh + 1
    ow_n = (wd - kw) // sw + 1
    y = np.empty((n_b, c, oh_n, ow_n))
    idx = np.empty((n_b, c, oh_n, ow_n), dtype=np.int64)
    for n in range(n_b):
        for ch in range(c):
            for i in range(oh_n):
                for j in range(ow_n):
                    best = x[n, ch, i * sh, j * sw]
                    at = i * sh * wd + j * sw
                    for p in range(kh):
                        for q in range(kw):
                            v = x[n, ch, i * sh + p, j * sw + q]
                            if v > best:
                                best = v
                                at = (i * sh + p) * wd + j * sw + q
                    y[n, ch, i, j] = best
                    idx[n, ch, i, j] = at
    return y, idx


@njit(cache=True)
def maxpool_backward(dy: np.ndarray, x: np.ndarray, kh: int, kw: int, sh: int, sw: int) -> np.ndarray:
    """The whole dy of a window goes to its first maximum; overlapping windows accumulate."""
    _, idx = maxpool_argmax(x, kh, kw, sh, sw)
    n_b, c, h, wd = x.shape
    dx = np.zeros(x.shape)
    for n in range(n_b):
        for ch in range(c):
            for i in range(dy.shape[2]):
                for j in range(dy.shape[3]):
                    at = idx[n, ch, i, j]
                    dx[n, ch, at // wd, at % wd] += dy[n, ch, i, j]
    return dx


@njit(cache=True)
def avgpool_forward(x: np.ndarray, kh: int, kw: int, sh: int, sw: int) -> np.ndarray:
    n_b, c, h, wd = x.shape
    oh_n = (h - kh) // sh + 1
    ow_n = (wd - kw) // sw + 1
    y = np.empty((n_b, c, oh_n, ow_n))
    area = kh * kw
    for n in range(n_b):
        for ch in range(c):
            for i in range(oh_n):
                for j in range(ow_n):
                    acc = 0.0
                    for p in range(kh):
                        for q in range(kw):
                            acc += x[n, ch, i * sh + p, j * sw + q]
                    y[n, ch, i, j] = acc / area
    return y


@njit(cache=True)
def avgpool_backward(dy: np.ndarray, x_shape: tuple, kh: int, kw: int, sh: int, sw: int) -> np.ndarray:
    dx = np.zeros(x_shape)
    area = kh * kw
    for n in range(dy.shape[0]):
        for ch in range(dy.shape[1]):
            for i in range(dy.shape[2]):
                for j in range(dy.shape[3]):
                    g = dy[n, ch, i, j] / area
                    for p in range(kh):
                        for q in range(kw):
                            dx[n, ch, i * sh + p, j * sw + q] += g
    return dx


# --- im2col / col2im: rows (ci, p, q), columns (n, i, j), both row-major -----------------------


@njit(cache=True)
def im2col(x: np.ndarray, kh_n: int, kw_n: int, sh: int, sw: int, ph: int, pw: int, dh: int,
           dw: int) -> np.ndarray:
    n_b, c_in, h, wd = x.shape
    oh_n = output_size(h, kh_n, sh, ph, dh)
    ow_n = output_size(wd, kw_n, sw, pw, dw)
    cols = np.zeros((c_in * kh_n * kw_n, n_b * oh_n * ow_n))
    for ci in range(c_in):
        for p in range(kh_n):
            for q in range(kw_n):
                row = (ci * kh_n + p) * kw_n + q
                for n in range(n_b):
                    for i in range(oh_n):
                        r = i * sh - ph + p * dh
                        if r < 0 or r >= h:
                            continue
                        for j in range(ow_n):
                            c = j * sw - pw + q * dw
                            if 0 <= c < wd:
                                cols[row, (n * oh_n + i) * ow_n + j] = x[n, ci, r, c]
    return cols


@njit(cache=True)
def col2im(cols: np.ndarray, x_shape: tuple, kh_n: int, kw_n: int, sh: int, sw: int, ph: int, pw: int,
           dh: int, dw: int) -> np.ndarray:
    """The adjoint of im2col: every column entry is added back to the input pixel it was read from."""
    n_b, c_in, h, wd = x_shape
    oh_n = output_size(h, kh_n, sh, ph, dh)
    ow_n = output_size(wd, kw_n, sw, pw, dw)
    dx = np.zeros(x_shape)
    for ci in range(c_in):
        for p in range(kh_n):
            for q in range(kw_n):
                row = (ci * kh_n + p) * kw_n + q
                for n in range(n_b):
                    for i in range(oh_n):
                        r = i * sh - ph + p * dh
                        if r < 0 or r >= h:
                            continue
                        for j in range(ow_n):
                            c = j * sw - pw + q * dw
                            if 0 <= c < wd:
                                dx[n, ci, r, c] += cols[row, (n * oh_n + i) * ow_n + j]
    return dx


# --- upsampling (notes §7.4) by integer factors (fh, fw) -----------------------------------------


@njit(cache=True)
def upsample_nearest(x: np.ndarray, fh: int, fw: int) -> np.ndarray:
    n_b, c, h, wd = x.shape
    y = np.empty((n_b, c, h * fh, wd * fw))
    for n in range(n_b):
        for ch in range(c):
            for i in range(h * fh):
                for j in range(wd * fw):
                    y[n, ch, i, j] = x[n, ch, i // fh, j // fw]
    return y


@njit(cache=True)
def upsample_nearest_backward(dy: np.ndarray, fh: int, fw: int) -> np.ndarray:
    n_b, c, oh, ow = dy.shape
    dx = np.zeros((n_b, c, oh // fh, ow // fw))
    for n in range(n_b):
        for ch in range(c):
            for i in range(oh):
                for j in range(ow):
                    dx[n, ch, i // fh, j // fw] += dy[n, ch, i, j]
    return dx


@njit(cache=True)
def _bilinear_source(out_index: int, factor: int, in_len: int) -> tuple[int, int, float]:
    # align_corners=False (half-pixel centres): src = (o + 0.5)/f − 0.5, clamped at 0; the right
    # neighbour is clamped at the last pixel. Returns (i0, i1, weight of i1).
    src = (out_index + 0.5) / factor - 0.5
    if src < 0.0:
        src = 0.0
    i0 = int(src)
    i1 = i0 + 1 if i0 < in_len - 1 else i0
    return i0, i1, src - i0


@njit(cache=True)
def upsample_bilinear(x: np.ndarray, fh: int, fw: int) -> np.ndarray:
    n_b, c, h, wd = x.shape
    y = np.empty((n_b, c, h * fh, wd * fw))
    for i in range(h * fh):
        r0, r1, a = _bilinear_source(i, fh, h)
        for j in range(wd * fw):
            c0, c1, t = _bilinear_source(j, fw, wd)
            for n in range(n_b):
                for ch in range(c):
                    top = (1.0 - t) * x[n, ch, r0, c0] + t * x[n, ch, r0, c1]
                    bottom = (1.0 - t) * x[n, ch, r1, c0] + t * x[n, ch, r1, c1]
                    y[n, ch, i, j] = (1.0 - a) * top + a * bottom
    return y


@njit(cache=True)
def upsample_bilinear_backward(dy: np.ndarray, fh: int, fw: int) -> np.ndarray:
    n_b, c, oh, ow = dy.shape
    h, wd = oh // fh, ow // fw
    dx = np.zeros((n_b, c, h, wd))
    for i in range(oh):
        r0, r1, a = _bilinear_source(i, fh, h)
        for j in range(ow):
            c0, c1, t = _bilinear_source(j, fw, wd)
            for n in range(n_b):
                for ch in range(c):
                    g = dy[n, ch, i, j]
                    dx[n, ch, r0, c0] += (1.0 - a) * (1.0 - t) * g
                    dx[n, ch, r0, c1] += (1.0 - a) * t * g
                    dx[n, ch, r1, c0] += a * (1.0 - t) * g
                    dx[n, ch, r1, c1] += a * t * g
    return dx


@njit(cache=True)
def bed_of_nails(x: np.ndarray, fh: int, fw: int) -> np.ndarray:
    n_b, c, h, wd = x.shape
    y = np.zeros((n_b, c, h * fh, wd * fw))
    for n in range(n_b):
        for ch in range(c):
            for i in range(h):
                for j in range(wd):
                    y[n, ch, i * fh, j * fw] = x[n, ch, i, j]
    return y


@njit(cache=True)
def bed_of_nails_backward(dy: np.ndarray, fh: int, fw: int) -> np.ndarray:
    n_b, c, oh, ow = dy.shape
    dx = np.empty((n_b, c, oh // fh, ow // fw))
    for n in range(n_b):
        for ch in range(c):
            for i in range(oh // fh):
                for j in range(ow // fw):
                    dx[n, ch, i, j] = dy[n, ch, i * fh, j * fw]
    return dx


@njit(cache=True)
def max_unpool(x: np.ndarray, idx: np.ndarray, oh: int, ow: int) -> np.ndarray:
    """y (N, C, oh, ow), zero except at the pooling's indices; values sharing an index are added."""
    n_b, c, h, wd = x.shape
    y = np.zeros((n_b, c, oh, ow))
    for n in range(n_b):
        for ch in range(c):
            for i in range(h):
                for j in range(wd):
                    at = idx[n, ch, i, j]
                    y[n, ch, at // ow, at % ow] += x[n, ch, i, j]
    return y


@njit(cache=True)
def max_unpool_backward(dy: np.ndarray, idx: np.ndarray) -> np.ndarray:
    n_b, c, h, wd = idx.shape
    ow = dy.shape[3]
    dx = np.empty((n_b, c, h, wd))
    for n in range(n_b):
        for ch in range(c):
            for i in range(h):
                for j in range(wd):
                    at = idx[n, ch, i, j]
                    dx[n, ch, i, j] = dy[n, ch, at // ow, at % ow]
    return dx
