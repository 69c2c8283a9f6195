"""Exercise `conv-speed-njit` (notes §7.2): a conv2d forward pass in @njit that is fast, not just right.
Layout NCHW, weights (C_out, C_in, KH, KW), cross-correlation, stride 1, zero padding.

Run `gradschool grade conv-speed-njit` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401
from numba import njit


@njit(cache=True)
def conv2d_fast(x, w, b, padding):
    """x (N, C_in, H, W), w (C_out, C_in, KH, KW), b (C_out,), padding: an int (zeros on all four sides).
    Returns y (N, C_out, H + 2·padding − KH + 1, W + 2·padding − KW + 1), stride 1:
    y[n, co, i, j] = b[co] + Σ_{ci,p,q} w[co, ci, p, q] · x[n, ci, i − padding + p, j − padding + q]."""
    raise NotImplementedError("conv2d_fast: a fast stride-1 conv2d forward pass")
