"""Exercise `conv2d-backward-atomic-cuda` (notes §7.2–7.3): the conv2d backward in numba.cuda. dx as a scatter
with cuda.atomic.add (one thread per dy pixel), dw and db as gathers (one thread per result entry).

Run `gradschool grade conv2d-backward-atomic-cuda` to check your work. Without a GPU the grader runs your kernels
in Numba's CUDA simulator: correct, but slow, so it uses tiny images.
"""

import math  # noqa: F401  (math.ceil for the grids)

import numpy as np  # noqa: F401
from numba import cuda

BLOCK = 8  # 2-D blocks over the dy plane (input-gradient kernel)
THREADS = 64  # 1-D blocks (weight- and bias-gradient kernels)


@cuda.jit
def conv2d_input_grad_kernel(dy, w, dx, stride, padding, dilation):
    """For the dy pixel (j, i) = cuda.grid(2), n·C_out + co = cuda.blockIdx.z: cuda.atomic.add
    dy[n, co, i, j] · w[co, ci, p, q] onto dx[n, ci, i·stride − padding + p·dilation, j·stride − padding + q·dilation]
    for every (ci, p, q) inside the image."""
    pass  # your kernel


@cuda.jit
def conv2d_weight_grad_kernel(dy, x, dw, stride, padding, dilation):
    """dw[co, ci, p, q] (C-order flat index k = cuda.grid(1)) = Σ_{n, i, j} dy[n, co, i, j] · x[n, ci, r, c]."""
    pass  # your kernel


@cuda.jit
def conv2d_bias_grad_kernel(dy, db):
    """db[co] = Σ_{n, i, j} dy[n, co, i, j] for co = cuda.grid(1)."""
    pass  # your kernel


def conv2d_backward_cuda(dy: np.ndarray, x: np.ndarray, w: np.ndarray, stride: int = 1, padding: int = 0,
                         dilation: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dw, db) as host arrays: dx from zeros on the device; one launch of each kernel (README's rules)."""
    raise NotImplementedError("conv2d_backward_cuda: copy to the device, zeros for dx, launch the three kernels, "
                              "copy dx, dw, db back")
