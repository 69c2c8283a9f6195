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
    "elu_forward": _elu_forward_launches,
    "elu_backward": _elu_backward_launches,
    "softmax": _softmax_launches,
    "softmax_backward": _softmax_backward_launches,
}
