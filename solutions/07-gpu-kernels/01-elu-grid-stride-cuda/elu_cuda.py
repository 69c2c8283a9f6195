"""Reference solution for `elu-grid-stride-cuda` (notes §4.2, L1617–1624): ELU forward and backward as
numba.cuda kernels with a grid-stride loop."""

import math

import numpy as np
from numba import cuda


@cuda.jit
def elu_forward_kernel(x, alpha, out):
    """out[i] = ELU(x[i]) for every i, whatever the grid: each thread strides over the array."""
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        v = x[i]
        out[i] = v if v > 0.0 else alpha * math.expm1(v)  # expm1: no cancellation near 0


@cuda.jit
def elu_backward_kernel(x, g, alpha, out):
    """out[i] = g[i] * ELU'(x[i]) with ELU'(x) = 1 for x > 0 and alpha e^x for x <= 0."""
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        v = x[i]
        out[i] = g[i] if v > 0.0 else g[i] * alpha * math.exp(v)


def _launch_size(n: int, blocks: int | None, threads: int) -> int:
    return max(1, math.ceil(n / threads)) if blocks is None else blocks


def elu_forward_cuda(x: np.ndarray, alpha: float = 1.0, blocks: int | None = None, threads: int = 64) -> np.ndarray:
    """ELU(x), any shape: the flattened array through elu_forward_kernel[blocks, threads]."""
    flat = np.ascontiguousarray(x, dtype=np.float64).ravel()
    out = cuda.device_array(flat.size, dtype=np.float64)
    elu_forward_kernel[_launch_size(flat.size, blocks, threads), threads](cuda.to_device(flat), float(alpha), out)
    return out.copy_to_host().reshape(np.shape(x))


def elu_backward_cuda(x: np.ndarray, g: np.ndarray, alpha: float = 1.0, blocks: int | None = None,
                      threads: int = 64) -> np.ndarray:
    """g * ELU'(x), any shape, through elu_backward_kernel[blocks, threads]."""
    flat = np.ascontiguousarray(x, dtype=np.float64).ravel()
    up = np.ascontiguousarray(g, dtype=np.float64).ravel()
    out = cuda.device_array(flat.size, dtype=np.float64)
    elu_backward_kernel[_launch_size(flat.size, blocks, threads), threads](
        cuda.to_device(flat), cuda.to_device(up), float(alpha), out)
    return out.copy_to_host().reshape(np.shape(x))
