"""Exercise `conv-upsampling` (notes §7.4): nearest, bilinear, bed of nails and max-unpooling, each with its
backward pass. Layout NCHW; integer factors (fh, fw); the output is (N, C, H·fh, W·fw).

Run `gradschool grade conv-upsampling` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401


def upsample_nearest(x, factor):
    """y[n, c, i, j] = x[n, c, i // fh, j // fw] (Fig. 118a)."""
    raise NotImplementedError("upsample_nearest: copy each pixel into an fh x fw block")


def upsample_nearest_backward(dy, factor):
    """dx[n, c, i, j] = the sum of dy over the fh×fw block that x[n, c, i, j] was copied to."""
    raise NotImplementedError("upsample_nearest_backward: sum dy over each block")


def upsample_bilinear(x, factor):
    """Bilinear, align_corners=False: output row i samples the source row s = (i + 0.5)/fh − 0.5
    (clamped to ≥ 0) between rows ⌊s⌋ and min(⌊s⌋ + 1, H − 1); columns likewise."""
    raise NotImplementedError("upsample_bilinear: interpolate with align_corners=False")


def upsample_bilinear_backward(dy, factor):
    """dx: each dy entry is spread back over its (up to) four source pixels with the same weights."""
    raise NotImplementedError("upsample_bilinear_backward: spread dy back with the same weights")


def bed_of_nails(x, factor):
    """y[n, c, i·fh, j·fw] = x[n, c, i, j]; every other output is 0 (Fig. 118b)."""
    raise NotImplementedError("bed_of_nails: place x at the top-left of each block")


def bed_of_nails_backward(dy, factor):
    """dx = dy at the nails."""
    raise NotImplementedError("bed_of_nails_backward: read dy at the nails")


def max_unpool(x, idx, out_hw):
    """y (N, C, H_out, W_out) with (H_out, W_out) = out_hw: zero, except that x[n, c, i, j] is ADDED at the
    flat position idx[n, c, i, j] = r·W_out + col of its plane (the indices of maxpool_forward)."""
    raise NotImplementedError("max_unpool: add x at its pooling index")


def max_unpool_backward(dy, idx):
    """dx[n, c, i, j] = dy[n, c] at the flat position idx[n, c, i, j]: a gather."""
    raise NotImplementedError("max_unpool_backward: gather dy at the indices")
