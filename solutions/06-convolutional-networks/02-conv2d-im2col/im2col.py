"""Exercise `conv2d-im2col` (notes §7.2): conv2d as one matrix product. im2col copies every window
into a column; col2im is its transpose and carries the gradient back. Layout NCHW.

Run `gradschool grade conv2d-im2col` (or press c in the tutor) to check your work.
"""

import numpy as np


def output_size(n, k, stride, padding, dilation):
    """Given: floor((n + 2·padding − dilation·(k − 1) − 1) / stride) + 1 (notes L3277, with dilation)."""
    return (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1


def im2col(x, kh, kw, stride, padding, dilation):
    """x (N, C, H, W) -> cols (C·kh·kw, N·H_out·W_out).

    Row (c·kh + p)·kw + q, column (n·H_out + i)·W_out + j holds x[n, c, i·sh − ph + p·dh, j·sw − pw + q·dw],
    or 0 where that index falls outside x (zero padding).
    """
    n_b, c_in, h, w = x.shape
    sh, sw = stride
    ph, pw = padding
    dh, dw = dilation
    oh, ow = output_size(h, kh, sh, ph, dh), output_size(w, kw, sw, pw, dw)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.empty((c_in, kh, kw, n_b, oh, ow))
    for p in range(kh):
        for q in range(kw):
            rows = p * dh + sh * np.arange(oh)
            columns = q * dw + sw * np.arange(ow)
            # (N, C, oh, ow) -> (C, N, oh, ow)
            cols[:, p, q] = xp[:, :, rows[:, None], columns[None, :]].transpose(1, 0, 2, 3)
    return cols.reshape(c_in * kh * kw, n_b * oh * ow)


def col2im(cols, x_shape, kh, kw, stride, padding, dilation):
    """The transpose of im2col: returns dx of shape x_shape where every entry of cols is ADDED to the
    pixel of x it was copied from (overlapping windows accumulate; entries from the padding are dropped)."""
    n_b, c_in, h, w = x_shape
    sh, sw = stride
    ph, pw = padding
    dh, dw = dilation
    oh, ow = output_size(h, kh, sh, ph, dh), output_size(w, kw, sw, pw, dw)
    blocks = cols.reshape(c_in, kh, kw, n_b, oh, ow)
    dxp = np.zeros((n_b, c_in, h + 2 * ph, w + 2 * pw))
    for p in range(kh):
        for q in range(kw):
            rows = p * dh + sh * np.arange(oh)
            columns = q * dw + sw * np.arange(ow)
            np.add.at(dxp, (slice(None), slice(None), rows[:, None], columns[None, :]),
                      blocks[:, p, q].transpose(1, 0, 2, 3))
    return dxp[:, :, ph:ph + h, pw:pw + w].copy()


def conv2d_im2col_forward(x, w, b, stride, padding, dilation):
    """y (N, C_out, H_out, W_out) = w.reshape(C_out, −1) @ im2col(x, ...), reshaped to NCHW, plus b."""
    n_b, _, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    oh = output_size(h, kh, stride[0], padding[0], dilation[0])
    ow = output_size(wd, kw, stride[1], padding[1], dilation[1])
    cols = im2col(x, kh, kw, stride, padding, dilation)
    y = w.reshape(c_out, -1) @ cols  # (C_out, N·oh·ow)
    return y.reshape(c_out, n_b, oh, ow).transpose(1, 0, 2, 3) + b[None, :, None, None]


def conv2d_im2col_backward(dy, x, w, stride, padding, dilation):
    """(dx, dw, db) from two matrix products and col2im; dw and db are SUMS over the batch."""
    c_out, _, kh, kw = w.shape
    g = dy.transpose(1, 0, 2, 3).reshape(c_out, -1)  # (C_out, N·oh·ow), columns ordered like im2col's
    cols = im2col(x, kh, kw, stride, padding, dilation)
    dw = (g @ cols.T).reshape(w.shape)
    dx = col2im(w.reshape(c_out, -1).T @ g, x.shape, kh, kw, stride, padding, dilation)
    return dx, dw, g.sum(axis=1)
