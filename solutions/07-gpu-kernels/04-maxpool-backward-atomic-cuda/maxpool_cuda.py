"""Reference solution for `maxpool-backward-atomic-cuda` (notes §7.3.1): max-pooling forward as a gather and
its backward as a scatter with cuda.atomic.add, one thread per pooled output."""

import math

import numpy as np
from numba import cuda

THREADS = 64  # threads per block of the 1-D launches


@cuda.jit(device=True)
def _window_argmax(x, n, c, i, j, size, stride):
    """(row, col) of the FIRST maximum of the window of output (i, j) in row-major window order."""
    r0, c0 = i * stride, j * stride
    best_r, best_c = r0, c0
    best = x[n, c, r0, c0]
    for p in range(size):
        for q in range(size):
            v = x[n, c, r0 + p, c0 + q]
            if v > best:  # strictly greater: a later tie never replaces the first maximum
                best, best_r, best_c = v, r0 + p, c0 + q
    return best_r, best_c


@cuda.jit
def maxpool_forward_kernel(x, y, size, stride):
    """y[n, c, i, j] = max of the size x size window at (i·stride, j·stride), for the output k = cuda.grid(1)."""
    k = cuda.grid(1)
    nb, ch, h_out, w_out = y.shape
    if k >= nb * ch * h_out * w_out:
        return
    j = k % w_out
    i = (k // w_out) % h_out
    c = (k // (w_out * h_out)) % ch
    n = k // (w_out * h_out * ch)
    r, col = _window_argmax(x, n, c, i, j, size, stride)
    y[n, c, i, j] = x[n, c, r, col]


@cuda.jit
def maxpool_backward_kernel(dy, x, dx, size, stride):
    """dx[first argmax of window (i, j)] += dy[n, c, i, j] for the output k = cuda.grid(1). Overlapping windows
    can share their argmax, so several threads may add to one dx entry: atomically."""
    k = cuda.grid(1)
    nb, ch, h_out, w_out = dy.shape
    if k >= nb * ch * h_out * w_out:
        return
    j = k % w_out
    i = (k // w_out) % h_out
    c = (k // (w_out * h_out)) % ch
    n = k // (w_out * h_out * ch)
    r, col = _window_argmax(x, n, c, i, j, size, stride)
    cuda.atomic.add(dx, (n, c, r, col), dy[n, c, i, j])


def _out_shape(x: np.ndarray, size: int, stride: int) -> tuple[int, int, int, int]:
    n, c, h, w = x.shape
    return n, c, (h - size) // stride + 1, (w - size) // stride + 1


def maxpool_forward_cuda(x: np.ndarray, size: int, stride: int) -> np.ndarray:
    """y (N, C, H_out, W_out): one thread per output, a 1-D grid of ceil(outputs / THREADS) blocks."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    shape = _out_shape(x, size, stride)
    y = cuda.device_array(shape, dtype=np.float64)
    maxpool_forward_kernel[math.ceil(math.prod(shape) / THREADS), THREADS](cuda.to_device(x), y, size, stride)
    return y.copy_to_host()


def maxpool_backward_cuda(dy: np.ndarray, x: np.ndarray, size: int, stride: int) -> np.ndarray:
    """dx (x's shape): starts at zero on the device, then every output adds its dy at its window's argmax."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    dy = np.ascontiguousarray(dy, dtype=np.float64)
    dx = cuda.to_device(np.zeros_like(x))  # zeros: the atomics add onto it (device_array is uninitialised)
    maxpool_backward_kernel[math.ceil(dy.size / THREADS), THREADS](cuda.to_device(dy), cuda.to_device(x), dx,
                                                                  size, stride)
    return dx.copy_to_host()
