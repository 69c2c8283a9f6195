"""Exercise `minibatch-affine` (notes §3.1.2): the minibatch affine layer, in NumPy (GEMM form) and on
the GPU with a shared-memory tiled matmul kernel in numba.cuda.

Run `gradschool grade minibatch-affine` (or press c in the tutor) to check your work. Without a GPU
the grader runs your kernels in Numba's CUDA simulator: correct, but slow, so it uses tiny shapes.
"""

import math  # noqa: F401  (math.ceil for the grid size)

import numpy as np
from numba import cuda, float64  # noqa: F401  (float64: the dtype of cuda.shared.array)

TILE = 16  # threads per block side and side of the shared-memory tiles: 8 or 16 work well


# --- NumPy -----------------------------------------------------------------------------------


def affine_forward(X: np.ndarray, A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """X (N, D) @ A (D, M) + b (M,) -> (N, M)  (L930, L945)."""
    raise NotImplementedError("affine_forward: return X A + b")


def affine_backward(G: np.ndarray, X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dX, dA, db) for the upstream gradient G (N, M), as three matrix products / sums (no (N, D, M) array)."""
    raise NotImplementedError("affine_backward: return (G Aᵀ, Xᵀ G, the column sums of G)")


# --- CUDA ------------------------------------------------------------------------------------


@cuda.jit
def matmul_kernel(A, B, C):
    """C = A @ B for A (N, K), B (K, M), C (N, M): one thread per C entry, TILE x TILE blocks, and the
    K axis walked in TILE-wide tiles of A and B staged in cuda.shared.array."""
    pass  # your kernel


@cuda.jit
def colsum_kernel(G, out):
    """out[j] = Σ_i G[i, j] for G (N, M), out (M,)."""
    pass  # your kernel


def matmul_cuda(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Copy A and B to the device, launch matmul_kernel on a 2-D grid of ceil-div blocks, copy C back."""
    raise NotImplementedError("matmul_cuda: copy to the device, launch matmul_kernel, copy the result back")


def affine_forward_cuda(X: np.ndarray, A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """X A + b, with X A computed by matmul_kernel."""
    raise NotImplementedError("affine_forward_cuda: X A with your kernel, then + b")


def affine_backward_cuda(G: np.ndarray, X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dX, dA, db): both products with matmul_kernel, db with colsum_kernel."""
    raise NotImplementedError("affine_backward_cuda: G Aᵀ and Xᵀ G with matmul_kernel, db with colsum_kernel")
