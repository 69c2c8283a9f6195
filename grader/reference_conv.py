"""Float64 references for convolutional networks (notes §7.2-7.4), wrapping ``grader.kernels.conv``.

Layout NCHW: x (N, C_in, H, W); weights w (C_out, C_in, KH, KW); bias b (C_out,). conv2d is a
CROSS-CORRELATION, as the notes compute it (L3203: no kernel flip):

    y[n, co, i, j] = b[co] + Σ_{ci,p,q} w[co, ci, p, q] · x[n, ci, i·s_h - p_h + p·d_h, j·s_w - p_w + q·d_w]

with zero padding. stride, padding, dilation and pooling sizes are ints or (h, w) pairs. Backward
passes return SUMS over the batch (dw, db). Max-pooling ties: the FIRST maximum in row-major window
order gets the window's whole gradient; overlapping windows accumulate into dx.

The wrappers convert to C-contiguous float64, validate shapes and parameters (the kernels do no
bounds checking) and return float64 arrays.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from grader.kernels import conv

F64 = NDArray[np.float64]
Pair = int | tuple[int, int]


def _f64(x: ArrayLike, name: str, ndim: int) -> F64:
    a = np.asarray(x, dtype=np.float64, order="C")
    if a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {a.shape}")
    return a


def _pair(name: str, v: Pair, minimum: int) -> tuple[int, int]:
    values = (v, v) if np.ndim(v) == 0 else tuple(v)  # type: ignore[arg-type]
    if len(values) != 2:
        raise ValueError(f"{name} must be an int or an (h, w) pair, got {v!r}")
    out = []
    for item in values:
        if isinstance(item, bool) or int(item) != item:
            raise ValueError(f"{name} must hold integers, got {v!r}")
        if int(item) < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {v!r}")
        out.append(int(item))
    return out[0], out[1]


def conv_output_size(n: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """floor((n + 2·padding - dilation·(k-1) - 1) / stride) + 1, the notes' formula (L3266) with dilation.

    Raises ValueError for a size < 1 (the dilated kernel does not fit the padded input).
    """
    for name, value, minimum in (("n", n, 1), ("k", k, 1), ("stride", stride, 1), ("padding", padding, 0),
                                 ("dilation", dilation, 1)):
        if isinstance(value, bool) or int(value) != value or value < minimum:
            raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    size = int(conv.output_size(int(n), int(k), int(stride), int(padding), int(dilation)))
    if size < 1:
        raise ValueError(f"a kernel of size {k} with dilation {dilation} does not fit an input of {n} "
                         f"padded by {padding}")
    return size


def _conv_params(x: F64, w: F64, stride: Pair, padding: Pair, dilation: Pair) -> tuple[int, ...]:
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"x has {x.shape[1]} channels but w (C_out, C_in, KH, KW) = {w.shape} expects {w.shape[1]}")
    if min(w.shape) < 1 or min(x.shape) < 1:
        raise ValueError(f"empty x {x.shape} or w {w.shape}")
    sh, sw = _pair("stride", stride, 1)
    ph, pw = _pair("padding", padding, 0)
    dh, dw = _pair("dilation", dilation, 1)
    conv_output_size(x.shape[2], w.shape[2], sh, ph, dh)
    conv_output_size(x.shape[3], w.shape[3], sw, pw, dw)
    return sh, sw, ph, pw, dh, dw


def conv2d_output_shape(x_shape: tuple[int, ...], w_shape: tuple[int, ...], stride: Pair = 1, padding: Pair = 0,
                        dilation: Pair = 1) -> tuple[int, int, int, int]:
    """(N, C_out, H_out, W_out) of conv2d_forward for x (N, C_in, H, W) and w (C_out, C_in, KH, KW)."""
    sh, sw = _pair("stride", stride, 1)
    ph, pw = _pair("padding", padding, 0)
    dh, dw = _pair("dilation", dilation, 1)
    return (int(x_shape[0]), int(w_shape[0]), conv_output_size(x_shape[2], w_shape[2], sh, ph, dh),
            conv_output_size(x_shape[3], w_shape[3], sw, pw, dw))


def conv2d_forward(x: ArrayLike, w: ArrayLike, b: ArrayLike, stride: Pair = 1, padding: Pair = 0,
                   dilation: Pair = 1) -> F64:
    """y (N, C_out, H_out, W_out): the cross-correlation above plus b[co], zero padding."""
    xa, wa = _f64(x, "x", 4), _f64(w, "w", 4)
    ba = _f64(b, "b", 1)
    if ba.shape != (wa.shape[0],):
        raise ValueError(f"b must have shape ({wa.shape[0]},), got {ba.shape}")
    return conv.conv2d_forward(xa, wa, ba, *_conv_params(xa, wa, stride, padding, dilation))


def conv2d_backward(dy: ArrayLike, x: ArrayLike, w: ArrayLike, stride: Pair = 1, padding: Pair = 0,
                    dilation: Pair = 1) -> tuple[F64, F64, F64]:
    """(dx, dw, db) for upstream dy (N, C_out, H_out, W_out); dw and db are SUMS over the batch."""
    xa, wa, dya = _f64(x, "x", 4), _f64(w, "w", 4), _f64(dy, "dy", 4)
    params = _conv_params(xa, wa, stride, padding, dilation)
    expected = conv2d_output_shape(xa.shape, wa.shape, stride, padding, dilation)
    if dya.shape != expected:
        raise ValueError(f"dy must have shape {expected}, got {dya.shape}")
    return conv.conv2d_backward(dya, xa, wa, *params)


def _pool_params(x: F64, size: Pair, stride: Pair | None) -> tuple[int, int, int, int]:
    kh, kw = _pair("size", size, 1)
    sh, sw = _pair("stride", size if stride is None else stride, 1)
    if kh > x.shape[2] or kw > x.shape[3]:
        raise ValueError(f"pooling window {(kh, kw)} is larger than the input's {x.shape[2:]}")
    return kh, kw, sh, sw


def pool_output_shape(x_shape: tuple[int, ...], size: Pair, stride: Pair | None = None) -> tuple[int, int, int, int]:
    """(N, C, (H - kh)//sh + 1, (W - kw)//sw + 1): pooling windows never leave the input (no padding)."""
    kh, kw = _pair("size", size, 1)
    sh, sw = _pair("stride", size if stride is None else stride, 1)
    n, c, h, w = (int(v) for v in x_shape)
    if kh > h or kw > w:
        raise ValueError(f"pooling window {(kh, kw)} is larger than the input's {(h, w)}")
    return n, c, (h - kh) // sh + 1, (w - kw) // sw + 1


def _pool_dy(dy: ArrayLike, x: F64, size: Pair, stride: Pair | None) -> F64:
    dya = _f64(dy, "dy", 4)
    expected = pool_output_shape(x.shape, size, stride)
    if dya.shape != expected:
        raise ValueError(f"dy must have shape {expected}, got {dya.shape}")
    return dya


def maxpool_forward(x: ArrayLike, size: Pair, stride: Pair | None = None) -> F64:
    """Max over each size window, moved by stride (default: stride = size), per channel (notes L3240)."""
    xa = _f64(x, "x", 4)
    return conv.maxpool_argmax(xa, *_pool_params(xa, size, stride))[0]


def maxpool_indices(x: ArrayLike, size: Pair, stride: Pair | None = None) -> NDArray[np.int64]:
    """For each window, the flat index ih·W + iw (within its (H, W) plane) of its FIRST maximum in
    row-major window order: what max-unpooling (notes §7.4.4) needs from the pooling."""
    xa = _f64(x, "x", 4)
    return conv.maxpool_argmax(xa, *_pool_params(xa, size, stride))[1]


def maxpool_backward(dy: ArrayLike, x: ArrayLike, size: Pair, stride: Pair | None = None) -> F64:
    """dx: each window's dy goes whole to its first maximum; overlapping windows accumulate."""
    xa = _f64(x, "x", 4)
    params = _pool_params(xa, size, stride)
    return conv.maxpool_backward(_pool_dy(dy, xa, size, stride), xa, *params)


def avgpool_forward(x: ArrayLike, size: Pair, stride: Pair | None = None) -> F64:
    """Mean over each size window (divisor kh·kw), moved by stride (default: stride = size)."""
    xa = _f64(x, "x", 4)
    return conv.avgpool_forward(xa, *_pool_params(xa, size, stride))


def avgpool_backward(dy: ArrayLike, x: ArrayLike, size: Pair, stride: Pair | None = None) -> F64:
    """dx: each window spreads dy / (kh·kw) over its cells; overlapping windows accumulate."""
    xa = _f64(x, "x", 4)
    params = _pool_params(xa, size, stride)
    return conv.avgpool_backward(_pool_dy(dy, xa, size, stride), xa.shape, *params)


def _window_params(x_shape: tuple[int, ...], kh: int, kw: int, stride: Pair, padding: Pair,
                   dilation: Pair) -> tuple[int, ...]:
    if len(x_shape) != 4:
        raise ValueError(f"x must be 4-D (N, C, H, W), got shape {x_shape}")
    sh, sw = _pair("stride", stride, 1)
    ph, pw = _pair("padding", padding, 0)
    dh, dw = _pair("dilation", dilation, 1)
    conv_output_size(x_shape[2], kh, sh, ph, dh)
    conv_output_size(x_shape[3], kw, sw, pw, dw)
    return int(kh), int(kw), sh, sw, ph, pw, dh, dw


def im2col(x: ArrayLike, kh: int, kw: int, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1) -> F64:
    """cols (C_in·KH·KW, N·H_out·W_out): row (ci·KH + p)·KW + q, column (n·H_out + i)·W_out + j holds
    x[n, ci, i·s_h − p_h + p·d_h, j·s_w − p_w + q·d_w] (0 outside x). Then conv2d_forward(x, w, b) =
    (w.reshape(C_out, −1) @ cols) reshaped to (C_out, N, H_out, W_out), moved to NCHW, plus b."""
    xa = _f64(x, "x", 4)
    return conv.im2col(xa, *_window_params(xa.shape, kh, kw, stride, padding, dilation))


def col2im(cols: ArrayLike, x_shape: tuple[int, int, int, int], kh: int, kw: int, stride: Pair = 1,
           padding: Pair = 0, dilation: Pair = 1) -> F64:
    """The adjoint (transpose) of im2col: dx of x_shape, each entry of cols added to the pixel it came
    from; overlapping windows accumulate and padding entries are dropped."""
    shape = tuple(int(v) for v in x_shape)
    params = _window_params(shape, kh, kw, stride, padding, dilation)
    n, c, h, w = shape
    oh = conv_output_size(h, params[0], params[2], params[4], params[6])
    ow = conv_output_size(w, params[1], params[3], params[5], params[7])
    ca = _f64(cols, "cols", 2)
    if ca.shape != (c * params[0] * params[1], n * oh * ow):
        raise ValueError(f"cols must have shape {(c * params[0] * params[1], n * oh * ow)}, got {ca.shape}")
    return conv.col2im(ca, shape, *params)


# --- upsampling (notes §7.4): integer factors (fh, fw), output (N, C, H·fh, W·fw) ----------------


def _factor_dy(dy: ArrayLike, factor: Pair) -> tuple[F64, int, int]:
    fh, fw = _pair("factor", factor, 1)
    dya = _f64(dy, "dy", 4)
    if dya.shape[2] % fh or dya.shape[3] % fw:
        raise ValueError(f"dy's spatial shape {dya.shape[2:]} is not a multiple of the factor {(fh, fw)}")
    return dya, fh, fw


def upsample_nearest(x: ArrayLike, factor: Pair) -> F64:
    """y[n, c, i, j] = x[n, c, i // fh, j // fw]: each pixel becomes an fh×fw block (Fig. 118a)."""
    xa = _f64(x, "x", 4)
    return conv.upsample_nearest(xa, *_pair("factor", factor, 1))


def upsample_nearest_backward(dy: ArrayLike, factor: Pair) -> F64:
    """dx[n, c, i, j] = the sum of dy over the fh×fw block that pixel (i, j) became."""
    return conv.upsample_nearest_backward(*_factor_dy(dy, factor))


def upsample_bilinear(x: ArrayLike, factor: Pair) -> F64:
    """Bilinear interpolation with align_corners=False (half-pixel centres, PyTorch's default): output
    row i samples source row s = (i + 0.5)/fh − 0.5, clamped to ≥ 0, between rows ⌊s⌋ and
    min(⌊s⌋ + 1, H − 1) with weights 1 − (s − ⌊s⌋) and s − ⌊s⌋; columns likewise, rows first."""
    xa = _f64(x, "x", 4)
    return conv.upsample_bilinear(xa, *_pair("factor", factor, 1))


def upsample_bilinear_backward(dy: ArrayLike, factor: Pair) -> F64:
    """dx: each dy entry is spread over its four source pixels with the interpolation weights."""
    return conv.upsample_bilinear_backward(*_factor_dy(dy, factor))


def bed_of_nails(x: ArrayLike, factor: Pair) -> F64:
    """y[n, c, i·fh, j·fw] = x[n, c, i, j], every other output 0 (Fig. 118b: the top-left of each block)."""
    xa = _f64(x, "x", 4)
    return conv.bed_of_nails(xa, *_pair("factor", factor, 1))


def bed_of_nails_backward(dy: ArrayLike, factor: Pair) -> F64:
    """dx = dy[:, :, ::fh, ::fw]."""
    return conv.bed_of_nails_backward(*_factor_dy(dy, factor))


def _unpool_idx(idx: ArrayLike, x_shape: tuple[int, ...], out_hw: tuple[int, int]) -> NDArray[np.int64]:
    ia = np.asarray(idx)
    if ia.dtype.kind not in "iu":
        raise ValueError(f"idx must be an integer array, got dtype {ia.dtype}")
    ia = np.asarray(ia, dtype=np.int64, order="C")
    if ia.shape != tuple(x_shape):
        raise ValueError(f"idx must have shape {tuple(x_shape)}, got {ia.shape}")
    if ia.size and (ia.min() < 0 or ia.max() >= out_hw[0] * out_hw[1]):
        raise ValueError(f"idx must lie in [0, {out_hw[0] * out_hw[1]}), got [{ia.min()}, {ia.max()}]")
    return ia


def max_unpool(x: ArrayLike, idx: ArrayLike, out_hw: tuple[int, int]) -> F64:
    """Max-unpooling (§7.4.4, SegNet): y of shape (N, C, *out_hw), zero except y_plane[idx] = x, with
    idx the flat r·W + c positions from maxpool_indices; values that share an index are ADDED."""
    xa = _f64(x, "x", 4)
    oh, ow = (int(v) for v in out_hw)
    return conv.max_unpool(xa, _unpool_idx(idx, xa.shape, (oh, ow)), oh, ow)


def max_unpool_backward(dy: ArrayLike, idx: ArrayLike) -> F64:
    """dx[n, c, i, j] = dy_plane[n, c, idx[n, c, i, j]]: a gather."""
    dya = _f64(dy, "dy", 4)
    ia = np.asarray(idx)
    ia = _unpool_idx(ia, (dya.shape[0], dya.shape[1], *ia.shape[2:]) if ia.ndim == 4 else (-1,),
                     (dya.shape[2], dya.shape[3]))
    return conv.max_unpool_backward(dya, ia)


# --- receptive field (notes §7.3.3, Fig. 116b and 119b) ------------------------------------------


def receptive_field(layers: list[tuple[int, int, int]]) -> int:
    """Receptive field (pixels along one axis) of one output of a stack of (kernel, stride, dilation)
    layers, first layer first: r ← r + d·(k − 1)·j, then j ← j·s, from r = j = 1 (j: the spacing of the
    layer's inputs in pixels of the network's input). Pooling is a layer with dilation 1."""
    r, jump = 1, 1
    for layer in layers:
        if len(layer) != 3:
            raise ValueError(f"each layer is (kernel, stride, dilation), got {layer!r}")
        k, s, d = (int(v) for v in layer)
        if min(k, s, d) < 1:
            raise ValueError(f"kernel, stride and dilation must be >= 1, got {layer!r}")
        r += d * (k - 1) * jump
        jump *= s
    return r
