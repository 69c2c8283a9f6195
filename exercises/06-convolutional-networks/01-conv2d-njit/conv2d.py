"""Exercise `conv2d-njit` (notes §7.2-7.4.5): conv2d forward and backward with stride, padding and
dilation, as Numba @njit loops. Layout NCHW, weights (C_out, C_in, KH, KW), cross-correlation.

Run `gradschool grade conv2d-njit` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401  (np.zeros to allocate results)
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
    raise NotImplementedError("conv2d_forward: loop over n, co, i, j and sum over ci, p, q")


@njit(cache=True)
def conv2d_backward(dy, x, w, stride, padding, dilation):
    """dy (N, C_out, H_out, W_out) is ∂L/∂y. Returns (dx, dw, db) with the shapes of x, w and b;
    dw and db are SUMS over the batch."""
    raise NotImplementedError("conv2d_backward: accumulate dx, dw and db with +=")
