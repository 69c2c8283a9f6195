"""Exercise `conv-upsampling` (notes §7.4): nearest, bilinear, bed of nails and max-unpooling, each with its
backward pass. Layout NCHW; integer factors (fh, fw); the output is (N, C, H·fh, W·fw).

Run `gradschool grade conv-upsampling` (or press c in the tutor) to check your work.
"""

import numpy as np


def upsample_nearest(x, factor):
    """y[n, c, i, j] = x[n, c, i // fh, j // fw] (Fig. 118a)."""
    fh, fw = factor
    return x.repeat(fh, axis=2).repeat(fw, axis=3)


def upsample_nearest_backward(dy, factor):
    """dx[n, c, i, j] = the sum of dy over the fh×fw block that x[n, c, i, j] was copied to."""
    fh, fw = factor
    n_b, c, oh, ow = dy.shape
    return dy.reshape(n_b, c, oh // fh, fh, ow // fw, fw).sum(axis=(3, 5))


def _weights(n_in, f):
    """The (n_in·f, n_in) interpolation matrix along one axis, align_corners=False."""
    m = np.zeros((n_in * f, n_in))
    for o in range(n_in * f):
        s = max((o + 0.5) / f - 0.5, 0.0)
        i0 = int(s)
        i1 = min(i0 + 1, n_in - 1)
        m[o, i0] += 1.0 - (s - i0)
        m[o, i1] += s - i0
    return m


def upsample_bilinear(x, factor):
    """Bilinear, align_corners=False: output row i samples the source row s = (i + 0.5)/fh − 0.5
    (clamped to ≥ 0) between rows ⌊s⌋ and min(⌊s⌋ + 1, H − 1); columns likewise."""
    rows, cols = _weights(x.shape[2], factor[0]), _weights(x.shape[3], factor[1])
    return np.einsum("ih,nchw,jw->ncij", rows, x, cols)


def upsample_bilinear_backward(dy, factor):
    """dx: each dy entry is spread back over its (up to) four source pixels with the same weights."""
    h, w = dy.shape[2] // factor[0], dy.shape[3] // factor[1]
    rows, cols = _weights(h, factor[0]), _weights(w, factor[1])
    return np.einsum("ih,ncij,jw->nchw", rows, dy, cols)


def bed_of_nails(x, factor):
    """y[n, c, i·fh, j·fw] = x[n, c, i, j]; every other output is 0 (Fig. 118b)."""
    fh, fw = factor
    n_b, c, h, w = x.shape
    y = np.zeros((n_b, c, h * fh, w * fw))
    y[:, :, ::fh, ::fw] = x
    return y


def bed_of_nails_backward(dy, factor):
    """dx = dy at the nails."""
    fh, fw = factor
    return dy[:, :, ::fh, ::fw].copy()


def max_unpool(x, idx, out_hw):
    """y (N, C, H_out, W_out) with (H_out, W_out) = out_hw: zero, except that x[n, c, i, j] is ADDED at the
    flat position idx[n, c, i, j] = r·W_out + col of its plane (the indices of maxpool_forward)."""
    n_b, c = x.shape[:2]
    oh, ow = out_hw
    y = np.zeros((n_b, c, oh * ow))
    np.add.at(y, (np.arange(n_b)[:, None, None], np.arange(c)[None, :, None], idx.reshape(n_b, c, -1)),
              x.reshape(n_b, c, -1))
    return y.reshape(n_b, c, oh, ow)


def max_unpool_backward(dy, idx):
    """dx[n, c, i, j] = dy[n, c] at the flat position idx[n, c, i, j]: a gather."""
    n_b, c = dy.shape[:2]
    flat = dy.reshape(n_b, c, -1)
    return np.take_along_axis(flat, idx.reshape(n_b, c, -1), axis=2).reshape(idx.shape)
