"""Exercise `softmax-rows-cuda` (notes §4.1.3, L1457–1471): row-wise softmax and its backward in numba.cuda,
one block per row, with shared-memory tree reductions.

Run `gradschool grade softmax-rows-cuda` to check your work. Without a GPU the grader runs your kernels in
Numba's CUDA simulator: correct, but slow, so it uses small shapes.
"""

import math  # noqa: F401  (math.exp, math.inf)

import numpy as np  # noqa: F401
from numba import cuda, float64  # noqa: F401  (float64: the dtype of cuda.shared.array)

THREADS = 32  # threads per block = length of the shared arrays; a power of two


@cuda.jit
def softmax_rows_kernel(S, P):
    """P[i, :] = softmax(S[i, :]) for the row i = cuda.blockIdx.x: the row max and the sum of exponentials each
    by a shared-memory tree reduction over THREADS partial results."""
    pass  # your kernel


@cuda.jit
def softmax_backward_kernel(P, G, dS):
    """dS[i, :] = P[i, :] * (G[i, :] - Σ_k G[i, k] P[i, k]) for the row i = cuda.blockIdx.x."""
    pass  # your kernel


def softmax_cuda(S: np.ndarray) -> np.ndarray:
    """Row-wise softmax of S (N, M) with softmax_rows_kernel[N, THREADS]; returns a host array (N, M)."""
    raise NotImplementedError("softmax_cuda: copy S to the device, launch one block per row, copy P back")


def softmax_backward_cuda(P: np.ndarray, G: np.ndarray) -> np.ndarray:
    """dS (N, M) for the softmax output P and the upstream gradient G, with softmax_backward_kernel[N, THREADS]."""
    raise NotImplementedError("softmax_backward_cuda: copy P and G to the device, launch one block per row, "
                              "copy dS back")
