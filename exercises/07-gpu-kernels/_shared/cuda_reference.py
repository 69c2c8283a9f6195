"""The course's reference CUDA kernels, timed against the learner's on a real GPU (cuda_probe.py) and by
benchmarks/gpu_kernels.py. Runs in the learner's process as part of the probe (it cannot import the grader).

REFERENCE_LAUNCHES[name](*host_args) copies the inputs to the device once and returns the launches
[(kernel, config, device_args)] that compute the reference result, ready to be re-run and timed.
"""

import math

import numpy as np
from numba import cuda, float64

REF_THREADS = 256


@cuda.jit
def ref_elu_forward_kernel(x, alpha, out):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        v = x[i]
        out[i] = v if v > 0.0 else alpha * math.expm1(v)


@cuda.jit
def ref_elu_backward_kernel(x, g, alpha, out):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        v = x[i]
        out[i] = g[i] if v > 0.0 else g[i] * alpha * math.exp(v)


REF_ROW_THREADS = 128


@cuda.jit(device=True)
def _ref_block_max(sh, tid):
    s = REF_ROW_THREADS // 2
    while s > 0:
        if tid < s:
            sh[tid] = max(sh[tid], sh[tid + s])
        cuda.syncthreads()
        s //= 2
    result = sh[0]
    cuda.syncthreads()
    return result


@cuda.jit(device=True)
def _ref_block_sum(sh, tid):
    s = REF_ROW_THREADS // 2
    while s > 0:
        if tid < s:
            sh[tid] += sh[tid + s]
        cuda.syncthreads()
        s //= 2
    result = sh[0]
    cuda.syncthreads()
    return result


@cuda.jit
def ref_softmax_rows_kernel(S, P):
    sh = cuda.shared.array(REF_ROW_THREADS, float64)
    i, tid = cuda.blockIdx.x, cuda.threadIdx.x
    m = S.shape[1]
    part = -math.inf
    for j in range(tid, m, REF_ROW_THREADS):
        part = max(part, S[i, j])
    sh[tid] = part
    cuda.syncthreads()
    row_max = _ref_block_max(sh, tid)
    part = 0.0
    for j in range(tid, m, REF_ROW_THREADS):
        part += math.exp(S[i, j] - row_max)
    sh[tid] = part
    cuda.syncthreads()
    inv = 1.0 / _ref_block_sum(sh, tid)
    for j in range(tid, m, REF_ROW_THREADS):
        P[i, j] = math.exp(S[i, j] - row_max) * inv


@cuda.jit
def ref_softmax_backward_kernel(P, G, dS):
    sh = cuda.shared.array(REF_ROW_THREADS, float64)
    i, tid = cuda.blockIdx.x, cuda.threadIdx.x
    m = P.shape[1]
    part = 0.0
    for j in range(tid, m, REF_ROW_THREADS):
        part += G[i, j] * P[i, j]
    sh[tid] = part
    cuda.syncthreads()
    dot = _ref_block_sum(sh, tid)
    for j in range(tid, m, REF_ROW_THREADS):
        dS[i, j] = P[i, j] * (G[i, j] - dot)


def _dev(a):
    return cuda.to_device(np.ascontiguousarray(a, dtype=np.float64))


def _softmax_launches(S, *_):
    d_s = _dev(S)
    return [(ref_softmax_rows_kernel, (d_s.shape[0], REF_ROW_THREADS), (d_s, cuda.device_array(d_s.shape)))]


def _softmax_backward_launches(P, G, *_):
    d_p = _dev(P)
    return [(ref_softmax_backward_kernel, (d_p.shape[0], REF_ROW_THREADS), (d_p, _dev(G), cuda.device_array(d_p.shape)))]


REF_CONV_BLOCK = 16


@cuda.jit
def ref_conv2d_forward_kernel(x, w, b, y, stride, padding, dilation):
    j, i = cuda.grid(2)
    nc = cuda.blockIdx.z
    c_out, h_out, w_out = y.shape[1], y.shape[2], y.shape[3]
    if i >= h_out or j >= w_out:
        return
    n, co = nc // c_out, nc % c_out
    height, width = x.shape[2], x.shape[3]
    acc = b[co]
    for ci in range(w.shape[1]):
        for p in range(w.shape[2]):
            r = i * stride - padding + p * dilation
            if 0 <= r < height:
                for q in range(w.shape[3]):
                    c = j * stride - padding + q * dilation
                    if 0 <= c < width:
                        acc += w[co, ci, p, q] * x[n, ci, r, c]
    y[n, co, i, j] = acc


def _conv_out(size, k, stride, padding, dilation):
    return (size + 2 * padding - dilation * (k - 1) - 1) // stride + 1


def _conv2d_forward_launches(x, w, b, stride=1, padding=0, dilation=1, *_):
    d_x, d_w, d_b = _dev(x), _dev(w), _dev(b)
    h_out = _conv_out(x.shape[2], w.shape[2], stride, padding, dilation)
    w_out = _conv_out(x.shape[3], w.shape[3], stride, padding, dilation)
    y = cuda.device_array((x.shape[0], w.shape[0], h_out, w_out))
    grid = (math.ceil(w_out / REF_CONV_BLOCK), math.ceil(h_out / REF_CONV_BLOCK), x.shape[0] * w.shape[0])
    return [(ref_conv2d_forward_kernel, (grid, (REF_CONV_BLOCK, REF_CONV_BLOCK)),
             (d_x, d_w, d_b, y, stride, padding, dilation))]


@cuda.jit
def ref_conv2d_input_grad_kernel(dy, w, dx, stride, padding, dilation):
    j, i = cuda.grid(2)
    nc = cuda.blockIdx.z
    c_out, h_out, w_out = dy.shape[1], dy.shape[2], dy.shape[3]
    if i >= h_out or j >= w_out:
        return
    n, co = nc // c_out, nc % c_out
    height, width = dx.shape[2], dx.shape[3]
    g = dy[n, co, i, j]
    for ci in range(w.shape[1]):
        for p in range(w.shape[2]):
            r = i * stride - padding + p * dilation
            if 0 <= r < height:
                for q in range(w.shape[3]):
                    c = j * stride - padding + q * dilation
                    if 0 <= c < width:
                        cuda.atomic.add(dx, (n, ci, r, c), g * w[co, ci, p, q])


@cuda.jit
def ref_conv2d_weight_grad_kernel(dy, x, dw, stride, padding, dilation):
    c_out, c_in, kh, kw = dw.shape
    for k in range(cuda.grid(1), dw.size, cuda.gridsize(1)):
        q, p = k % kw, (k // kw) % kh
        ci, co = (k // (kw * kh)) % c_in, k // (kw * kh * c_in)
        acc = 0.0
        for n in range(dy.shape[0]):
            for i in range(dy.shape[2]):
                r = i * stride - padding + p * dilation
                if 0 <= r < x.shape[2]:
                    for j in range(dy.shape[3]):
                        c = j * stride - padding + q * dilation
                        if 0 <= c < x.shape[3]:
                            acc += dy[n, co, i, j] * x[n, ci, r, c]
        dw[co, ci, p, q] = acc


@cuda.jit
def ref_conv2d_bias_grad_kernel(dy, db):
    for co in range(cuda.grid(1), dy.shape[1], cuda.gridsize(1)):
        acc = 0.0
        for n in range(dy.shape[0]):
            for i in range(dy.shape[2]):
                for j in range(dy.shape[3]):
                    acc += dy[n, co, i, j]
        db[co] = acc


def _conv2d_backward_launches(dy, x, w, stride=1, padding=0, dilation=1, *_):
    d_dy, d_x, d_w = _dev(dy), _dev(x), _dev(w)
    dx = cuda.to_device(np.zeros(np.shape(x)))
    dw, db = cuda.device_array(np.shape(w)), cuda.device_array(np.shape(w)[0])
    n, c_out, h_out, w_out = np.shape(dy)
    grid = (math.ceil(w_out / REF_CONV_BLOCK), math.ceil(h_out / REF_CONV_BLOCK), n * c_out)
    return [(ref_conv2d_input_grad_kernel, (grid, (REF_CONV_BLOCK, REF_CONV_BLOCK)),
             (d_dy, d_w, dx, stride, padding, dilation)),
            (ref_conv2d_weight_grad_kernel, (math.ceil(dw.size / REF_THREADS), REF_THREADS),
             (d_dy, d_x, dw, stride, padding, dilation)),
            (ref_conv2d_bias_grad_kernel, (math.ceil(c_out / REF_THREADS), REF_THREADS), (d_dy, db))]


@cuda.jit(device=True)
def _ref_window_argmax(x, n, c, i, j, size, stride):
    r0, c0 = i * stride, j * stride
    best_r, best_c = r0, c0
    best = x[n, c, r0, c0]
    for p in range(size):
        for q in range(size):
            v = x[n, c, r0 + p, c0 + q]
            if v > best:
                best, best_r, best_c = v, r0 + p, c0 + q
    return best_r, best_c


@cuda.jit
def ref_maxpool_forward_kernel(x, y, size, stride):
    nb, ch, h_out, w_out = y.shape
    for k in range(cuda.grid(1), nb * ch * h_out * w_out, cuda.gridsize(1)):
        j, i = k % w_out, (k // w_out) % h_out
        c, n = (k // (w_out * h_out)) % ch, k // (w_out * h_out * ch)
        r, col = _ref_window_argmax(x, n, c, i, j, size, stride)
        y[n, c, i, j] = x[n, c, r, col]


@cuda.jit
def ref_maxpool_backward_kernel(dy, x, dx, size, stride):
    nb, ch, h_out, w_out = dy.shape
    for k in range(cuda.grid(1), nb * ch * h_out * w_out, cuda.gridsize(1)):
        j, i = k % w_out, (k // w_out) % h_out
        c, n = (k // (w_out * h_out)) % ch, k // (w_out * h_out * ch)
        r, col = _ref_window_argmax(x, n, c, i, j, size, stride)
        cuda.atomic.add(dx, (n, c, r, col), dy[n, c, i, j])


def _pool_shape(x, size, stride):
    return x.shape[0], x.shape[1], (x.shape[2] - size) // stride + 1, (x.shape[3] - size) // stride + 1


def _maxpool_forward_launches(x, size, stride, *_):
    d_x = _dev(x)
    y = cuda.device_array(_pool_shape(x, size, stride))
    return [(ref_maxpool_forward_kernel, (math.ceil(y.size / REF_THREADS), REF_THREADS), (d_x, y, size, stride))]


def _maxpool_backward_launches(dy, x, size, stride, *_):
    d_dy = _dev(dy)
    dx = cuda.to_device(np.zeros(np.shape(x)))  # accumulates over the timed repeats: only its time matters
    return [(ref_maxpool_backward_kernel, (math.ceil(d_dy.size / REF_THREADS), REF_THREADS),
             (d_dy, _dev(x), dx, size, stride))]


REF_TILE = 16


@cuda.jit
def ref_matmul_kernel(A, B, C):
    sA = cuda.shared.array((REF_TILE, REF_TILE), float64)
    sB = cuda.shared.array((REF_TILE, REF_TILE), float64)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    row = cuda.blockIdx.y * REF_TILE + ty
    col = cuda.blockIdx.x * REF_TILE + tx
    n, k = A.shape
    m = B.shape[1]
    acc = 0.0
    for t in range((k + REF_TILE - 1) // REF_TILE):
        kk = t * REF_TILE
        sA[ty, tx] = A[row, kk + tx] if row < n and kk + tx < k else 0.0
        sB[ty, tx] = B[kk + ty, col] if kk + ty < k and col < m else 0.0
        cuda.syncthreads()
        for p in range(REF_TILE):
            acc += sA[ty, p] * sB[p, tx]
        cuda.syncthreads()
    if row < n and col < m:
        C[row, col] = acc


def _matmul_launches(A, B, *_):
    d_a, d_b = _dev(A), _dev(B)
    n, m = A.shape[0], B.shape[1]
    grid = (math.ceil(m / REF_TILE), math.ceil(n / REF_TILE))
    return [(ref_matmul_kernel, (grid, (REF_TILE, REF_TILE)), (d_a, d_b, cuda.device_array((n, m))))]


def _flat(a):
    return cuda.to_device(np.ascontiguousarray(a, dtype=np.float64).ravel())


def _elu_forward_launches(x, alpha=1.0, *_):
    d_x = _flat(x)
    return [(ref_elu_forward_kernel, (math.ceil(d_x.size / REF_THREADS), REF_THREADS),
             (d_x, float(alpha), cuda.device_array(d_x.size)))]


def _elu_backward_launches(x, g, alpha=1.0, *_):
    d_x = _flat(x)
    return [(ref_elu_backward_kernel, (math.ceil(d_x.size / REF_THREADS), REF_THREADS),
             (d_x, _flat(g), float(alpha), cuda.device_array(d_x.size)))]


REFERENCE_LAUNCHES = {
    "matmul": _matmul_launches,
    "elu_forward": _elu_forward_launches,
    "elu_backward": _elu_backward_launches,
    "softmax": _softmax_launches,
    "softmax_backward": _softmax_backward_launches,
    "conv2d_forward": _conv2d_forward_launches,
    "conv2d_backward": _conv2d_backward_launches,
    "maxpool_forward": _maxpool_forward_launches,
    "maxpool_backward": _maxpool_backward_launches,
}
