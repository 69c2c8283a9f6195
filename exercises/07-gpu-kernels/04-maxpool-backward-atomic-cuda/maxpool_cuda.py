"""Exercise `maxpool-backward-atomic-cuda` (notes §7.3.1, L3256): max-pooling forward (a gather) and backward
(a scatter with cuda.atomic.add) as numba.cuda kernels, one thread per pooled output.

Run `gradschool grade maxpool-backward-atomic-cuda` to check your work. Without a GPU the grader runs your
kernels in Numba's CUDA simulator: correct, but slow, so it uses small inputs.
"""

import math  # noqa: F401  (math.ceil for the grid)

import numpy as np  # noqa: F401
from numba import cuda

THREADS = 64  # threads per block of the 1-D launches


@cuda.jit
def maxpool_forward_kernel(x, y, size, stride):
    """y[n, c, i, j] = max of x[n, c, i·stride + p, j·stride + q] over 0 <= p, q < size, for the output
    k = cuda.grid(1) decoded in C order (threads with k >= y.size do nothing)."""
    pass  # your kernel


@cuda.jit
def maxpool_backward_kernel(dy, x, dx, size, stride):
    """For the output k = cuda.grid(1): cuda.atomic.add dy[n, c, i, j] onto dx at the window's FIRST maximum
    (row-major window order)."""
    pass  # your kernel


def maxpool_forward_cuda(x: np.ndarray, size: int, stride: int) -> np.ndarray:
    """y (N, C, H_out, W_out) with H_out = (H - size) // stride + 1: one launch of maxpool_forward_kernel on
    ceil(outputs / THREADS) blocks of THREADS threads."""
    raise NotImplementedError("maxpool_forward_cuda: copy x to the device, launch one thread per output, copy back")


def maxpool_backward_cuda(dy: np.ndarray, x: np.ndarray, size: int, stride: int) -> np.ndarray:
    """dx of x's shape, starting from zeros on the device; one launch of maxpool_backward_kernel."""
    raise NotImplementedError("maxpool_backward_cuda: zeros for dx on the device, launch one thread per output, "
                              "copy dx back")
