"""Reference solution for `conv2d-backward-atomic-cuda` (notes §7.2–7.3): the conv2d backward in numba.cuda.
dx as a scatter with cuda.atomic.add (one thread per dy pixel), dw and db as gathers (one thread per result)."""

import math

import numpy as np
from numba import cuda

BLOCK = 8  # 2-D blocks over the dy plane (input-gradient kernel)
THREADS = 64  # 1-D blocks (weight- and bias-gradient kernels)


@cuda.jit
def conv2d_input_grad_kernel(dy, w, dx, stride, padding, dilation):
    """Thread (j, i, n·C_out + co) scatters dy[n, co, i, j] · w[co, ci, p, q] onto every input pixel its window
    touched. Overlapping windows and all output channels add into the same dx entries: atomically."""
    j, i = cuda.grid(2)
    nc = cuda.blockIdx.z
    c_out, h_out, w_out = dy.shape[1], dy.shape[2], dy.shape[3]
    if i >= h_out or j >= w_out:
        return
    n, co = nc // c_out, nc % c_out
    height, width = dx.shape[2], dx.shape[3]
    g = dy[n, co, i, j]
    for ci in range(w.shape[1]):
        for p in range(w.shape[2]):
            r = i * stride - padding + p * dilation
            if r < 0 or r >= height:
                continue  # a padding row: no input pixel there
            for q in range(w.shape[3]):
                c = j * stride - padding + q * dilation
                if 0 <= c < width:
                    cuda.atomic.add(dx, (n, ci, r, c), g * w[co, ci, p, q])


@cuda.jit
def conv2d_weight_grad_kernel(dy, x, dw, stride, padding, dilation):
    """Thread k owns dw.flat[k] = dw[co, ci, p, q] and sums over the batch and the output plane: a gather, each
    thread writes only its own entry, no atomics."""
    k = cuda.grid(1)
    c_out, c_in, kh, kw = dw.shape
    if k >= c_out * c_in * kh * kw:
        return
    q = k % kw
    p = (k // kw) % kh
    ci = (k // (kw * kh)) % c_in
    co = k // (kw * kh * c_in)
    height, width = x.shape[2], x.shape[3]
    acc = 0.0
    for n in range(dy.shape[0]):
        for i in range(dy.shape[2]):
            r = i * stride - padding + p * dilation
            if r < 0 or r >= height:
                continue
            for j in range(dy.shape[3]):
                c = j * stride - padding + q * dilation
                if 0 <= c < width:
                    acc += dy[n, co, i, j] * x[n, ci, r, c]
    dw[co, ci, p, q] = acc


@cuda.jit
def conv2d_bias_grad_kernel(dy, db):
    """db[co] = Σ_{n, i, j} dy[n, co, i, j], one thread per output channel."""
    co = cuda.grid(1)
    if co >= dy.shape[1]:
        return
    acc = 0.0
    for n in range(dy.shape[0]):
        for i in range(dy.shape[2]):
            for j in range(dy.shape[3]):
                acc += dy[n, co, i, j]
    db[co] = acc


def conv2d_backward_cuda(dy: np.ndarray, x: np.ndarray, w: np.ndarray, stride: int = 1, padding: int = 0,
                         dilation: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dw, db): one launch of each kernel; dx starts at zero on the device (the atomics add onto it)."""
    dy = np.ascontiguousarray(dy, dtype=np.float64)
    x = np.ascontiguousarray(x, dtype=np.float64)
    w = np.ascontiguousarray(w, dtype=np.float64)
    n, c_out, h_out, w_out = dy.shape
    d_dy, d_x, d_w = cuda.to_device(dy), cuda.to_device(x), cuda.to_device(w)
    dx = cuda.to_device(np.zeros_like(x))
    dw = cuda.device_array(w.shape, dtype=np.float64)
    db = cuda.device_array(c_out, dtype=np.float64)
    grid = (math.ceil(w_out / BLOCK), math.ceil(h_out / BLOCK), n * c_out)
    conv2d_input_grad_kernel[grid, (BLOCK, BLOCK)](d_dy, d_w, dx, stride, padding, dilation)
    conv2d_weight_grad_kernel[math.ceil(w.size / THREADS), THREADS](d_dy, d_x, dw, stride, padding, dilation)
    conv2d_bias_grad_kernel[math.ceil(c_out / THREADS), THREADS](d_dy, db)
    return dx.copy_to_host(), dw.copy_to_host(), db.copy_to_host()
