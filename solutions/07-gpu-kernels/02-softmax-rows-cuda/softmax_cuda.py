"""Reference solution for `softmax-rows-cuda` (notes §4.1.3): row-wise softmax and its backward in numba.cuda,
one block per row, with shared-memory tree reductions."""

import math

import numpy as np
from numba import cuda, float64

THREADS = 32  # a power of two: the tree reduction halves it down to 1


@cuda.jit
def softmax_rows_kernel(S, P):
    """P[i, :] = softmax(S[i, :]) for the row i = blockIdx.x."""
    sh = cuda.shared.array(THREADS, float64)
    i, tid = cuda.blockIdx.x, cuda.threadIdx.x
    m = S.shape[1]
    # 1. the row max: a partial max per thread over its strided slice, then a tree reduction
    part = -math.inf
    for j in range(tid, m, THREADS):
        part = max(part, S[i, j])
    sh[tid] = part
    cuda.syncthreads()
    s = THREADS // 2
    while s > 0:
        if tid < s:
            sh[tid] = max(sh[tid], sh[tid + s])
        cuda.syncthreads()  # outside the if: every thread reaches it
        s //= 2
    row_max = sh[0]
    cuda.syncthreads()  # everyone has read sh[0] before it is overwritten
    # 2. the sum of exponentials, the same way
    part = 0.0
    for j in range(tid, m, THREADS):
        part += math.exp(S[i, j] - row_max)
    sh[tid] = part
    cuda.syncthreads()
    s = THREADS // 2
    while s > 0:
        if tid < s:
            sh[tid] += sh[tid + s]
        cuda.syncthreads()
        s //= 2
    total = sh[0]
    for j in range(tid, m, THREADS):
        P[i, j] = math.exp(S[i, j] - row_max) / total


@cuda.jit
def softmax_backward_kernel(P, G, dS):
    """dS[i, :] = P[i, :] * (G[i, :] - Σ_k G[i, k] P[i, k]) for the row i = blockIdx.x."""
    sh = cuda.shared.array(THREADS, float64)
    i, tid = cuda.blockIdx.x, cuda.threadIdx.x
    m = P.shape[1]
    part = 0.0
    for j in range(tid, m, THREADS):
        part += G[i, j] * P[i, j]
    sh[tid] = part
    cuda.syncthreads()
    s = THREADS // 2
    while s > 0:
        if tid < s:
            sh[tid] += sh[tid + s]
        cuda.syncthreads()
        s //= 2
    dot = sh[0]
    for j in range(tid, m, THREADS):
        dS[i, j] = P[i, j] * (G[i, j] - dot)


def softmax_cuda(S: np.ndarray) -> np.ndarray:
    """Row-wise softmax of S (N, M), one block of THREADS threads per row."""
    S = np.ascontiguousarray(S, dtype=np.float64)
    P = cuda.device_array(S.shape, dtype=np.float64)
    softmax_rows_kernel[S.shape[0], THREADS](cuda.to_device(S), P)
    return P.copy_to_host()


def softmax_backward_cuda(P: np.ndarray, G: np.ndarray) -> np.ndarray:
    """dS = P * (G - rowsum(G * P)), one block of THREADS threads per row."""
    P = np.ascontiguousarray(P, dtype=np.float64)
    G = np.ascontiguousarray(G, dtype=np.float64)
    dS = cuda.device_array(P.shape, dtype=np.float64)
    softmax_backward_kernel[P.shape[0], THREADS](cuda.to_device(P), cuda.to_device(G), dS)
    return dS.copy_to_host()
