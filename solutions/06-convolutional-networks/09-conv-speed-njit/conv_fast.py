"""Exercise `conv-speed-njit` (notes §7.2): a conv2d forward pass in @njit that is fast, not just right.
Layout NCHW, weights (C_out, C_in, KH, KW), cross-correlation, stride 1, zero padding.

Run `gradschool grade conv-speed-njit` (or press c in the tutor) to check your work.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def conv2d_fast(x, w, b, padding):
    """x (N, C_in, H, W), w (C_out, C_in, KH, KW), b (C_out,), padding: an int (zeros on all four sides).
    Returns y (N, C_out, H + 2·padding − KH + 1, W + 2·padding − KW + 1), stride 1:
    y[n, co, i, j] = b[co] + Σ_{ci,p,q} w[co, ci, p, q] · x[n, ci, i − padding + p, j − padding + q]."""
    n_b, c_in, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    oh, ow = h + 2 * padding - kh + 1, wd + 2 * padding - kw + 1
    y = np.empty((n_b, c_out, oh, ow))
    for n in range(n_b):
        for co in range(c_out):
            plane = y[n, co]
            plane[:, :] = b[co]
            for ci in range(c_in):
                for p in range(kh):
                    # Output rows whose input row i − padding + p lies inside x.
                    i_lo = max(0, padding - p)
                    i_hi = min(oh, h + padding - p)
                    for q in range(kw):
                        j_lo = max(0, padding - q)
                        j_hi = min(ow, wd + padding - q)
                        wv = w[co, ci, p, q]
                        shift = q - padding
                        for i in range(i_lo, i_hi):
                            row = plane[i]
                            xr = x[n, ci, i - padding + p]
                            # Innermost loop: consecutive j, contiguous in memory, no branch.
                            for j in range(j_lo, j_hi):
                                row[j] += wv * xr[j + shift]
    return y
