"""Exercise `elu-grid-stride-cuda` (notes §4.2, L1617–1624): ELU forward and backward as numba.cuda kernels
with a grid-stride loop.

Run `gradschool grade elu-grid-stride-cuda` to check your work. Without a GPU the grader runs your kernels
in Numba's CUDA simulator: correct, but slow, so it uses small sizes.
"""

import math  # noqa: F401  (math.exp in the kernels, math.ceil for the grid)

import numpy as np  # noqa: F401
from numba import cuda


@cuda.jit
def elu_forward_kernel(x, alpha, out):
    """out[i] = x[i] if x[i] > 0 else alpha * (exp(x[i]) - 1), for every i < x.size, by a grid-stride loop."""
    pass  # your kernel


@cuda.jit
def elu_backward_kernel(x, g, alpha, out):
    """out[i] = g[i] * ELU'(x[i]): g[i] if x[i] > 0 else g[i] * alpha * exp(x[i]), by a grid-stride loop."""
    pass  # your kernel


def elu_forward_cuda(x: np.ndarray, alpha: float = 1.0, blocks: int | None = None, threads: int = 64) -> np.ndarray:
    """ELU(x) for a float64 array of any shape. Launches elu_forward_kernel[blocks, threads] on the flattened
    array; blocks=None means ceil(n / threads). Returns a host array of x's shape."""
    raise NotImplementedError("elu_forward_cuda: copy x to the device, launch elu_forward_kernel, copy back")


def elu_backward_cuda(x: np.ndarray, g: np.ndarray, alpha: float = 1.0, blocks: int | None = None,
                      threads: int = 64) -> np.ndarray:
    """g * ELU'(x) for float64 arrays of one shape, with elu_backward_kernel[blocks, threads]."""
    raise NotImplementedError("elu_backward_cuda: copy x and g to the device, launch elu_backward_kernel, "
                              "copy back")
