"""Convolution and pooling kernels (notes §7.2-7.4), NCHW layout, float64.

x (N, C_in, H, W), weights w (C_out, C_in, KH, KW), bias b (C_out,). The layer is a
CROSS-CORRELATION, as the notes compute it (L3203, "CNNs implement correlation"): no kernel flip,

    y[n, co, i, j] = b[co] + Σ_{ci, p, q} w[co, ci, p, q] · x[n, ci, i·sh - ph + p·dh, j·sw - pw + q·dw]

with zero padding (reads outside the input count as 0). Backward passes sum over the batch.

Speed (benchmarks/bench_conv.py): each example is zero-padded and split by row and column phase into
a buffer reused across the batch (xs[c, a, b, u·wq + v] = padded x[n, c, u·sh + a, v·sw + b]; at
stride 1 one plane, the padded input), so every kernel tap of every stride reads ONE contiguous run
of one plane with no bounds test. The forward pass keeps several output rows of every channel in L1
(an implicit GEMM; each row computed over the plane width, its junk columns never copied out) and
adds each tap's run to them, neighbouring taps fused in threes; dw accumulates with dy moved
channels-last, so the inner loop runs over C_out; at stride 1, dx is the forward pass on dy with the
flipped kernel, otherwise every tap's run of the planes gets w · dy (three output channels at once).
Inner loops are plain, contiguous and branch-free, which LLVM vectorizes; fastmath stays off, and
every sum runs in a fixed order (results are deterministic). The roof is the multiply and the add
issued separately (no FMA without fastmath's contraction): about 10 GMAC/s on one AVX-512 core.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def output_size(n: int, k: int, stride: int, padding: int, dilation: int) -> int:
    """floor((n + 2p - d(k-1) - 1) / s) + 1 (notes L3266 with dilation; d = 1 gives (n + 2p - k)/s + 1)."""
    return (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1


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
def _split(x, n, ph, pw, wq, xs):
    # Example n of x, zero-padded and split by row and column phase, each plane flattened:
    # xs[c, a, b, u·wq + v] = padded x[n, c, u·sh + a, v·sw + b]. A strided tap then reads one
    # contiguous run of one plane (at stride 1 there is one plane: the padded input itself). One
    # example at a time, into a buffer reused across the batch, so it stays in cache.
    c, sh, sw, size = xs.shape
    h, wd = x.shape[2], x.shape[3]
    xs[:] = 0.0
    for r in range(h):
        a, u = (r + ph) % sh, (r + ph) // sh
        if (u + 1) * wq > size:
            break  # rows no window reaches
        for b in range(sw):
            # the columns v·sw + b − pw of this phase that lie in x and in the plane: v in [v0, v1)
            v0 = (max(pw - b, 0) + sw - 1) // sw
            v1 = min(wq, (wd - 1 + pw - b) // sw + 1)
            for ci in range(c):
                xr = x[n, ci, r]
                d = xs[ci, a, b, u * wq:(u + 1) * wq]
                for v in range(v0, v1):
                    d[v] = xr[v * sw + b - pw]


@njit(cache=True)
def _plane_shape(oh_n, ow_n, kh_n, kw_n, sh, sw, dh, dw):
    return oh_n + (dh * (kh_n - 1)) // sh, ow_n + (dw * (kw_n - 1)) // sw


@njit(cache=True)
def conv2d_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, sh: int, sw: int, ph: int, pw: int,
                   dh: int, dw: int) -> np.ndarray:
    n_b, _, h, wd = x.shape
    c_out, _, kh_n, kw_n = w.shape
    oh_n = output_size(h, kh_n, sh, ph, dh)
    ow_n = output_size(wd, kw_n, sw, pw, dw)
    hq, wq = _plane_shape(oh_n, ow_n, kh_n, kw_n, sh, sw, dh, dw)
    xs = np.empty((x.shape[1], sh, sw, hq * wq))
    y = np.empty((n_b, c_out, oh_n, ow_n))
    for n in range(n_b):
        _split(x, n, ph, pw, wq, xs)
        _fwd_blocks(xs, w, b, y, n, sh, sw, dh, dw, wq)
    return y


@njit(cache=True)
def _fwd_blocks(xs, w, b, y, n, sh, sw, dh, dw, wq):
    # r output rows at once, each computed over the plane width wq (the last wq − W_out columns of a
    # row are junk and never copied out), so one tap is ONE contiguous run of a phase plane,
    # (r − 1)·wq + W_out long, instead of r short rows.
    c_in = xs.shape[0]
    c_out, kh_n, kw_n = w.shape[0], w.shape[2], w.shape[3]
    oh_n, ow_n = y.shape[2], y.shape[3]
    rows = max(1, min(oh_n, 4096 // (c_out * wq)))  # acc of about 32 KiB: stays in L1
    for i0 in range(0, oh_n, rows):
        r = min(rows, oh_n - i0)
        m = (r - 1) * wq + ow_n
        acc = np.empty((c_out, m))
        for co in range(c_out):
            acc[co, :] = b[co]
        for ci in range(c_in):
            for p in range(kh_n):
                a = (p * dh) % sh
                base = (i0 + (p * dh) // sh) * wq
                q = 0
                while q + 3 <= kw_n:
                    s0, s1, s2 = base + (q * dw) // sw, base + ((q + 1) * dw) // sw, base + ((q + 2) * dw) // sw
                    _taps3(acc, w, ci, p, q, xs[ci, a, (q * dw) % sw, s0:s0 + m],
                           xs[ci, a, ((q + 1) * dw) % sw, s1:s1 + m],
                           xs[ci, a, ((q + 2) * dw) % sw, s2:s2 + m])
                    q += 3
                while q < kw_n:
                    s0 = base + (q * dw) // sw
                    _taps(acc, w, ci, p, q, xs[ci, a, (q * dw) % sw, s0:s0 + m])
                    q += 1
        for k in range(r):
            y[n, :, i0 + k, :] = acc[:, k * wq:k * wq + ow_n]


@njit(cache=True)
def _sum3(t, w0, w1, w2, g0, g1, g2):
    # t += w0·g0 + w1·g1 + w2·g2, left to right (three output channels scattered at once)
    for k in range(t.shape[0]):
        t[k] = ((t[k] + w0 * g0[k]) + w1 * g1[k]) + w2 * g2[k]


@njit(cache=True)
def _dx_scatter(dyx, w, dxs, sh, sw, dh, dw, oh_n, ow_n, wq):
    # The transpose of the forward pass on one example's phase planes: for every tap, the run of plane
    # (a, b) that the tap read gets w · (that output channel's dy, rows wq apart, junk columns 0).
    c_out, c_in, kh_n, kw_n = w.shape
    m = (oh_n - 1) * wq + ow_n
    for ci in range(c_in):
        for p in range(kh_n):
            a = (p * dh) % sh
            base = (p * dh) // sh * wq
            for q in range(kw_n):
                s0 = base + (q * dw) // sw
                t = dxs[ci, a, (q * dw) % sw, s0:s0 + m]
                co = 0
                while co + 3 <= c_out:
                    _sum3(t, w[co, ci, p, q], w[co + 1, ci, p, q], w[co + 2, ci, p, q], dyx[co, :m],
                          dyx[co + 1, :m], dyx[co + 2, :m])
                    co += 3
                while co < c_out:
                    wv = w[co, ci, p, q]
                    g = dyx[co, :m]
                    for k in range(m):
                        t[k] += wv * g[k]
                    co += 1


@njit(cache=True)
def _dots(d, g, xs):
    # d[co] += xs[t] · g[t, co] for every t in order (g: one row of dy, channels-last)
    for t in range(xs.shape[0]):
        xv = xs[t]
        gt = g[t]
        for co in range(d.shape[0]):
            d[co] += xv * gt[co]


@njit(cache=True)
def _dots3(d0, d1, d2, g, x0, x1, x2):
    # Three neighbouring taps at once: each row of dy is loaded once for three products
    for t in range(x0.shape[0]):
        v0, v1, v2 = x0[t], x1[t], x2[t]
        gt = g[t]
        for co in range(d0.shape[0]):
            gc = gt[co]
            d0[co] += v0 * gc
            d1[co] += v1 * gc
            d2[co] += v2 * gc


@njit(cache=True)
def _dw_example(dyt, xs, part, n, sh, sw, dh, dw, wq):
    # part[ci, p, q, co] += Σ over this example's output pixels, in order, of x · dy (dy channels-last,
    # so the inner loop runs over C_out); every tap's input row is a contiguous run of a phase plane.
    c_in, kh_n, kw_n = part.shape[0], part.shape[1], part.shape[2]
    oh_n, m = dyt.shape[1], dyt.shape[2]
    for i in range(oh_n):
        g = dyt[n, i]
        for ci in range(c_in):
            for p in range(kh_n):
                a = (p * dh) % sh
                base = (i + (p * dh) // sh) * wq
                q = 0
                while q + 3 <= kw_n:
                    s0, s1, s2 = base + (q * dw) // sw, base + ((q + 1) * dw) // sw, base + ((q + 2) * dw) // sw
                    _dots3(part[ci, p, q], part[ci, p, q + 1], part[ci, p, q + 2], g,
                           xs[ci, a, (q * dw) % sw, s0:s0 + m], xs[ci, a, ((q + 1) * dw) % sw, s1:s1 + m],
                           xs[ci, a, ((q + 2) * dw) % sw, s2:s2 + m])
                    q += 3
                while q < kw_n:
                    s0 = base + (q * dw) // sw
                    _dots(part[ci, p, q], g, xs[ci, a, (q * dw) % sw, s0:s0 + m])
                    q += 1


@njit(cache=True)
def conv2d_backward(dy: np.ndarray, x: np.ndarray, w: np.ndarray, sh: int, sw: int, ph: int, pw: int,
                    dh: int, dw: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_b, _, h, wd = x.shape
    c_out, c_in, kh_n, kw_n = w.shape
    oh_n, ow_n = dy.shape[2], dy.shape[3]
    hq, wq = _plane_shape(oh_n, ow_n, kh_n, kw_n, sh, sw, dh, dw)
    xs = np.empty((c_in, sh, sw, hq * wq))
    db = np.zeros(c_out)
    for n in range(n_b):
        for co in range(c_out):
            for i in range(oh_n):
                for j in range(ow_n):
                    db[co] += dy[n, co, i, j]
    part = np.zeros((c_in, kh_n, kw_n, c_out))
    dyt = np.ascontiguousarray(dy.transpose(0, 2, 3, 1))
    for n in range(n_b):
        _split(x, n, ph, pw, wq, xs)
        _dw_example(dyt, xs, part, n, sh, sw, dh, dw, wq)
    dwt = np.empty(w.shape)
    for co in range(c_out):
        for ci in range(c_in):
            for p in range(kh_n):
                for q in range(kw_n):
                    dwt[co, ci, p, q] = part[ci, p, q, co]
    fh, fw = dh * (kh_n - 1) - ph, dw * (kw_n - 1) - pw
    if sh == 1 and sw == 1 and fh >= 0 and fw >= 0:
        # Stride 1: dx is the forward pass on dy with the flipped, channel-transposed kernel (a gather).
        wf = np.empty((c_in, c_out, kh_n, kw_n))
        for co in range(c_out):
            for ci in range(c_in):
                for p in range(kh_n):
                    for q in range(kw_n):
                        wf[ci, co, p, q] = w[co, ci, kh_n - 1 - p, kw_n - 1 - q]
        return conv2d_forward(dy, wf, np.zeros(c_in), 1, 1, fh, fw, dh, dw), dwt, db
    dyx = np.zeros((c_out, oh_n * wq))  # one example's dy with rows wq apart, the junk columns 0
    dxs = np.empty((c_in, sh, sw, hq * wq))  # one example's dx on the padded phase planes
    dx = np.zeros(x.shape)  # pixels that no window reaches keep gradient 0
    for n in range(n_b):
        for co in range(c_out):
            for i in range(oh_n):
                dyx[co, i * wq:i * wq + ow_n] = dy[n, co, i]
        dxs[:] = 0.0
        _dx_scatter(dyx, w, dxs, sh, sw, dh, dw, oh_n, ow_n, wq)
        for r in range(h):
            a, u = (r + ph) % sh, (r + ph) // sh
            if u >= hq:
                break
            for b in range(sw):
                v0 = (max(pw - b, 0) + sw - 1) // sw
                v1 = min(wq, (wd - 1 + pw - b) // sw + 1)
                for ci in range(c_in):
                    dr = dx[n, ci, r]
                    g = dxs[ci, a, b, u * wq:(u + 1) * wq]
                    for v in range(v0, v1):
                        dr[v * sw + b - pw] = g[v]
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
