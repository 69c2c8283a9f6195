"""Reference solution for `conv2d-forward-cuda` (notes §7.2–7.3): a direct conv2d forward in numba.cuda, one
thread per output pixel on a 3-D grid."""

import math

import numpy as np
from numba import cuda

BLOCK = 8  # 64 threads a block: quick in the CUDA simulator; 16 suits a real GPU better


@cuda.jit
def conv2d_forward_kernel(x, w, b, y, stride, padding, dilation):
    """One output pixel y[n, co, i, j] per thread: the cross-correlation with zero padding."""
    j, i = cuda.grid(2)
    nc = cuda.blockIdx.z
    c_out, h_out, w_out = y.shape[1], y.shape[2], y.shape[3]
    if i >= h_out or j >= w_out:
        return
    n, co = nc // c_out, nc % c_out
    c_in, kh, kw = w.shape[1], w.shape[2], w.shape[3]
    height, width = x.shape[2], x.shape[3]
    acc = b[co]
    for ci in range(c_in):
        for p in range(kh):
            r = i * stride - padding + p * dilation
            if r < 0 or r >= height:
                continue  # a padding row: zeros add nothing
            for q in range(kw):
                c = j * stride - padding + q * dilation
                if 0 <= c < width:
                    acc += w[co, ci, p, q] * x[n, ci, r, c]
    y[n, co, i, j] = acc


def conv2d_forward_cuda(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0,
                        dilation: int = 1) -> np.ndarray:
    """y = b + w ⋆ x on the device: grid (ceil(W_out / BLOCK), ceil(H_out / BLOCK), N * C_out)."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    w = np.ascontiguousarray(w, dtype=np.float64)
    b = np.ascontiguousarray(b, dtype=np.float64)
    n, _, height, width = x.shape
    c_out, _, kh, kw = w.shape
    h_out = (height + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    w_out = (width + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    y = cuda.device_array((n, c_out, h_out, w_out), dtype=np.float64)
    grid = (math.ceil(w_out / BLOCK), math.ceil(h_out / BLOCK), n * c_out)
    conv2d_forward_kernel[grid, (BLOCK, BLOCK)](cuda.to_device(x), cuda.to_device(w), cuda.to_device(b), y,
                                                stride, padding, dilation)
    return y.copy_to_host()
