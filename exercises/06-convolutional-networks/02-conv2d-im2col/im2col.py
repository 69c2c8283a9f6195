"""Exercise `conv2d-im2col` (notes §7.2): conv2d as one matrix product. im2col copies every window
into a column; col2im is its transpose and carries the gradient back. Layout NCHW.

Run `gradschool grade conv2d-im2col` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401


def output_size(n, k, stride, padding, dilation):
    """Given: floor((n + 2·padding − dilation·(k − 1) − 1) / stride) + 1 (notes L3277, with dilation)."""
    return (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1


def im2col(x, kh, kw, stride, padding, dilation):
    """x (N, C, H, W) -> cols (C·kh·kw, N·H_out·W_out).

    Row (c·kh + p)·kw + q, column (n·H_out + i)·W_out + j holds x[n, c, i·sh − ph + p·dh, j·sw − pw + q·dw],
    or 0 where that index falls outside x (zero padding).
    """
    raise NotImplementedError("im2col: copy each window into one column")


def col2im(cols, x_shape, kh, kw, stride, padding, dilation):
    """The transpose of im2col: returns dx of shape x_shape where every entry of cols is ADDED to the
    pixel of x it was copied from (overlapping windows accumulate; entries from the padding are dropped)."""
    raise NotImplementedError("col2im: add each column entry back to its pixel")


def conv2d_im2col_forward(x, w, b, stride, padding, dilation):
    """y (N, C_out, H_out, W_out) = w.reshape(C_out, −1) @ im2col(x, ...), reshaped to NCHW, plus b."""
    raise NotImplementedError("conv2d_im2col_forward: one matrix product with im2col(x)")


def conv2d_im2col_backward(dy, x, w, stride, padding, dilation):
    """(dx, dw, db) from two matrix products and col2im; dw and db are SUMS over the batch."""
    raise NotImplementedError("conv2d_im2col_backward: two matrix products and col2im")
