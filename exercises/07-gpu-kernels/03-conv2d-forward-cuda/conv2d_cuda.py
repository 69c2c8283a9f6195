"""Exercise `conv2d-forward-cuda` (notes §7.2–7.3): a direct conv2d forward (a cross-correlation, NCHW, zero
padding, stride, dilation) as a numba.cuda kernel, one thread per output pixel.

Run `gradschool grade conv2d-forward-cuda` to check your work. Without a GPU the grader runs your kernel in
Numba's CUDA simulator: correct, but slow, so it uses tiny images.
"""

import math  # noqa: F401  (math.ceil for the grid)

import numpy as np  # noqa: F401
from numba import cuda

BLOCK = 8  # blocks are BLOCK x BLOCK threads over the output plane


@cuda.jit
def conv2d_forward_kernel(x, w, b, y, stride, padding, dilation):
    """y[n, co, i, j] = b[co] + Σ_{ci, p, q} w[co, ci, p, q] · x[n, ci, i·stride − padding + p·dilation,
    j·stride − padding + q·dilation] (padding positions count as 0), for (j, i) = cuda.grid(2) and
    (n, co) from cuda.blockIdx.z."""
    pass  # your kernel


def conv2d_forward_cuda(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0,
                        dilation: int = 1) -> np.ndarray:
    """y (N, C_out, H_out, W_out) for x (N, C_in, H, W), w (C_out, C_in, KH, KW), b (C_out,): one launch of
    conv2d_forward_kernel on the grid (ceil(W_out / BLOCK), ceil(H_out / BLOCK), N * C_out)."""
    raise NotImplementedError("conv2d_forward_cuda: compute H_out and W_out, copy to the device, launch, copy back")
