"""The course's reference CUDA kernels, timed against the learner's on a real GPU (cuda_probe.py) and by
benchmarks/gpu_kernels.py. Runs in the learner's process as part of the probe (it cannot import the grader).

REFERENCE_LAUNCHES[name](*args), for the arguments of the solution wrapper it is timed against, copies the
inputs to the device once (device arrays too: "adam" gets the Adam wrapper's device arrays and updates its own
copies) and returns the launches [(kernel, config, device_args)] that compute the reference result, ready to be
re-run and timed.
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


def _host(a):
    """A host copy of a device array (the Adam wrapper takes device arrays); host arrays pass through."""
    return a.copy_to_host() if hasattr(a, "copy_to_host") else a


# --- chapter 3: the batched bilinear map U[h,i,j] = Σ_k A[h,i,k]·B[h,j,k], Y = σ(U), and its gradients ------


@cuda.jit(device=True)
def _ref_sigmoid(t):
    if t >= 0.0:
        return 1.0 / (1.0 + math.exp(-t))
    z = math.exp(t)
    return z / (1.0 + z)


@cuda.jit
def ref_bilinear_forward_kernel(A, B, U, Y):
    """One thread per (h, i, j); x runs over j (the last axis of U, Y), z over h."""
    j, i = cuda.grid(2)
    h = cuda.blockIdx.z
    if i < U.shape[1] and j < U.shape[2]:
        s = 0.0
        for k in range(A.shape[2]):
            s += A[h, i, k] * B[h, j, k]
        U[h, i, j] = s
        Y[h, i, j] = _ref_sigmoid(s)


@cuda.jit
def ref_sigmoid_backward_kernel(U, Y_grad, U_grad):
    for t in range(cuda.grid(1), U.size, cuda.gridsize(1)):
        j, i, h = t % U.shape[2], (t // U.shape[2]) % U.shape[1], t // (U.shape[2] * U.shape[1])
        s = _ref_sigmoid(U[h, i, j])
        U_grad[h, i, j] = Y_grad[h, i, j] * s * (1.0 - s)


@cuda.jit
def ref_bilinear_grad_a_kernel(U_grad, B, A_grad):
    """One thread per (h, i, k): A_grad[h,i,k] = Σ_j U_grad[h,i,j]·B[h,j,k]."""
    k, i = cuda.grid(2)
    h = cuda.blockIdx.z
    if i < A_grad.shape[1] and k < A_grad.shape[2]:
        s = 0.0
        for j in range(B.shape[1]):
            s += U_grad[h, i, j] * B[h, j, k]
        A_grad[h, i, k] = s


@cuda.jit
def ref_bilinear_grad_b_kernel(U_grad, A, B_grad):
    """One thread per (h, j, k): B_grad[h,j,k] = Σ_i U_grad[h,i,j]·A[h,i,k]."""
    k, j = cuda.grid(2)
    h = cuda.blockIdx.z
    if j < B_grad.shape[1] and k < B_grad.shape[2]:
        s = 0.0
        for i in range(A.shape[1]):
            s += U_grad[h, i, j] * A[h, i, k]
        B_grad[h, j, k] = s


def _grid_3d(shape):
    """Blocks of REF_CONV_BLOCK x REF_CONV_BLOCK over the last two axes of (G, R, C), one grid layer per h."""
    g, r, c = shape
    return (math.ceil(c / REF_CONV_BLOCK), math.ceil(r / REF_CONV_BLOCK), g), (REF_CONV_BLOCK, REF_CONV_BLOCK)


def _bilinear_forward_launches(A, B, *_):
    d_a, d_b = _dev(A), _dev(B)
    shape = (A.shape[0], A.shape[1], B.shape[1])
    return [(ref_bilinear_forward_kernel, _grid_3d(shape), (d_a, d_b, cuda.device_array(shape),
                                                           cuda.device_array(shape)))]


def _bilinear_backward_launches(A, B, U, Y_grad, *_):
    d_a, d_b, d_u = _dev(A), _dev(B), _dev(U)
    u_grad = cuda.device_array(d_u.shape)
    return [(ref_sigmoid_backward_kernel, (math.ceil(d_u.size / REF_THREADS), REF_THREADS),
             (d_u, _dev(Y_grad), u_grad)),
            (ref_bilinear_grad_a_kernel, _grid_3d(d_a.shape), (u_grad, d_b, cuda.device_array(d_a.shape))),
            (ref_bilinear_grad_b_kernel, _grid_3d(d_b.shape), (u_grad, d_a, cuda.device_array(d_b.shape)))]


# --- chapter 6: a fused, in-place Adam step; train-mode batch normalization ----------------------------


@cuda.jit
def ref_adam_kernel(w, g, m, v, lr, beta1, beta2, eps, c1, c2):
    for i in range(cuda.grid(1), w.size, cuda.gridsize(1)):
        mi = beta1 * m[i] + (1.0 - beta1) * g[i]
        vi = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i]
        m[i] = mi
        v[i] = vi
        w[i] -= lr * (mi / c1) / (math.sqrt(vi / c2) + eps)


def _adam_launches(w, g, m, v, lr, beta1, beta2, eps, t, *_):
    # The reference updates its own copies of the wrapper's (device) arrays in place, so every timed re-run
    # is one more Adam step: the state drifts, which leaves the time of this branch-free kernel unchanged.
    d_w, d_g, d_m, d_v = (_flat(_host(a)) for a in (w, g, m, v))
    return [(ref_adam_kernel, (math.ceil(d_w.size / REF_THREADS), REF_THREADS),
             (d_w, d_g, d_m, d_v, float(lr), float(beta1), float(beta2), float(eps), 1.0 - beta1**t,
              1.0 - beta2**t))]


@cuda.jit
def ref_bn_stats_kernel(x, mean, var):
    """One thread per channel j (neighbouring threads read neighbouring columns): mean, then biased var."""
    j = cuda.grid(1)
    n = x.shape[0]
    if j < x.shape[1]:
        s = 0.0
        for i in range(n):
            s += x[i, j]
        mu = s / n
        s = 0.0
        for i in range(n):
            d = x[i, j] - mu
            s += d * d
        mean[j] = mu
        var[j] = s / n


@cuda.jit
def ref_bn_normalize_kernel(x, gamma, beta, mean, var, eps, y):
    c = x.shape[1]
    for t in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        i, j = t // c, t % c
        y[i, j] = gamma[j] * (x[i, j] - mean[j]) / math.sqrt(var[j] + eps) + beta[j]


@cuda.jit
def ref_bn_grad_sums_kernel(g, x, mean, var, eps, dgamma, dbeta):
    """One thread per channel j: dgamma[j] = Σ_i g·x̂, dbeta[j] = Σ_i g."""
    j = cuda.grid(1)
    if j < x.shape[1]:
        inv = 1.0 / math.sqrt(var[j] + eps)
        s1 = 0.0
        s2 = 0.0
        for i in range(x.shape[0]):
            s1 += g[i, j] * (x[i, j] - mean[j]) * inv
            s2 += g[i, j]
        dgamma[j] = s1
        dbeta[j] = s2


@cuda.jit
def ref_bn_dx_kernel(g, x, gamma, mean, var, eps, dgamma, dbeta, dx):
    """dx = γ/(B√(σ²+ε))·(B g − dβ − x̂ dγ)."""
    n, c = x.shape
    for t in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        i, j = t // c, t % c
        inv = 1.0 / math.sqrt(var[j] + eps)
        xhat = (x[i, j] - mean[j]) * inv
        dx[i, j] = gamma[j] * inv / n * (n * g[i, j] - dbeta[j] - xhat * dgamma[j])


def _bn_forward_launches(x, gamma, beta, eps, *_):
    d_x = _dev(x)
    n, c = d_x.shape
    mean, var = cuda.device_array(c), cuda.device_array(c)
    return [(ref_bn_stats_kernel, (math.ceil(c / REF_THREADS), REF_THREADS), (d_x, mean, var)),
            (ref_bn_normalize_kernel, (math.ceil(n * c / REF_THREADS), REF_THREADS),
             (d_x, _dev(gamma), _dev(beta), mean, var, float(eps), cuda.device_array((n, c))))]


def _bn_backward_launches(g, x, gamma, eps, *_):
    d_g, d_x = _dev(g), _dev(x)
    n, c = d_x.shape
    mean, var, dgamma, dbeta = (cuda.device_array(c) for _ in range(4))
    per_channel = (math.ceil(c / REF_THREADS), REF_THREADS)
    return [(ref_bn_stats_kernel, per_channel, (d_x, mean, var)),
            (ref_bn_grad_sums_kernel, per_channel, (d_g, d_x, mean, var, float(eps), dgamma, dbeta)),
            (ref_bn_dx_kernel, (math.ceil(n * c / REF_THREADS), REF_THREADS),
             (d_g, d_x, _dev(gamma), mean, var, float(eps), dgamma, dbeta, cuda.device_array((n, c))))]


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
    "bilinear_forward": _bilinear_forward_launches,
    "bilinear_backward": _bilinear_backward_launches,
    "adam": _adam_launches,
    "bn_forward": _bn_forward_launches,
    "bn_backward": _bn_backward_launches,
}
