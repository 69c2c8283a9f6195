"""Reference solution for `minibatch-affine` (notes §3.1.2): the minibatch affine layer in NumPy and
with a shared-memory tiled matmul kernel in numba.cuda."""

import math

import numpy as np
from numba import cuda, float64

TILE = 8  # threads per block side and tile side; 8 keeps Numba's CUDA simulator quick (64 threads a block)


# --- NumPy -----------------------------------------------------------------------------------


def affine_forward(X: np.ndarray, A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """X (N, D) @ A (D, M) + b (M,) -> (N, M)  (L930, L945)."""
    return X @ A + b


def affine_backward(G: np.ndarray, X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dX, dA, db) = (G Aᵀ, Xᵀ G, Σ_rows G) for the upstream gradient G (N, M)."""
    return G @ A.T, X.T @ G, G.sum(axis=0)


# --- CUDA ------------------------------------------------------------------------------------


@cuda.jit
def matmul_kernel(A, B, C):
    """C = A @ B: one thread per C[row, col], K walked in TILE-wide tiles staged in shared memory."""
    sA = cuda.shared.array((TILE, TILE), float64)
    sB = cuda.shared.array((TILE, TILE), float64)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    row = cuda.blockIdx.y * TILE + ty
    col = cuda.blockIdx.x * TILE + tx
    n, k = A.shape
    m = B.shape[1]
    acc = 0.0
    for t in range((k + TILE - 1) // TILE):  # ceil: the last, partial tile too
        kk = t * TILE
        # Threads outside A or B load zeros, so the partial tiles add nothing.
        sA[ty, tx] = A[row, kk + tx] if row < n and kk + tx < k else 0.0
        sB[ty, tx] = B[kk + ty, col] if kk + ty < k and col < m else 0.0
        cuda.syncthreads()  # the whole tile is loaded before anyone reads it
        for p in range(TILE):
            acc += sA[ty, p] * sB[p, tx]
        cuda.syncthreads()  # everyone is done with this tile before it is overwritten
    if row < n and col < m:
        C[row, col] = acc


@cuda.jit
def colsum_kernel(G, out):
    """out[j] = Σ_i G[i, j]: one thread per column."""
    j = cuda.grid(1)
    if j < G.shape[1]:
        total = 0.0
        for i in range(G.shape[0]):
            total += G[i, j]
        out[j] = total


def matmul_cuda(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """A (N, K) @ B (K, M) on the device with matmul_kernel; returns a host array (N, M)."""
    A = np.ascontiguousarray(A, dtype=np.float64)
    B = np.ascontiguousarray(B, dtype=np.float64)
    n, m = A.shape[0], B.shape[1]
    C = cuda.device_array((n, m), dtype=np.float64)
    grid = (math.ceil(m / TILE), math.ceil(n / TILE))  # x over columns, y over rows
    matmul_kernel[grid, (TILE, TILE)](cuda.to_device(A), cuda.to_device(B), C)
    return C.copy_to_host()


def colsum_cuda(G: np.ndarray) -> np.ndarray:
    """Σ_rows G on the device with colsum_kernel."""
    G = np.ascontiguousarray(G, dtype=np.float64)
    out = cuda.device_array(G.shape[1], dtype=np.float64)
    threads = 32
    colsum_kernel[math.ceil(G.shape[1] / threads), threads](cuda.to_device(G), out)
    return out.copy_to_host()


def affine_forward_cuda(X: np.ndarray, A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """X @ A on the device, then + b."""
    return matmul_cuda(X, A) + b


def affine_backward_cuda(G: np.ndarray, X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(G Aᵀ, Xᵀ G, Σ_rows G), every product with matmul_kernel and db with colsum_kernel."""
    return matmul_cuda(G, A.T), matmul_cuda(X.T, G), colsum_cuda(G)
