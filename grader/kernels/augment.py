"""Data augmentation kernels (notes §5.9) on image batches of layout (N, H, W, C), float64.

Pixel (i, j) is row i, column j, and its centre sits at the integer point (x, y) = (j, i).
"""

import math

import numpy as np
from numba import njit


@njit(cache=True)
def hflip(x: np.ndarray) -> np.ndarray:
    n, h, w, c = x.shape
    out = np.empty_like(x)
    for b in range(n):
        for i in range(h):
            for j in range(w):
                for k in range(c):
                    out[b, i, j, k] = x[b, i, w - 1 - j, k]
    return out


@njit(cache=True)
def crop_with_padding(x: np.ndarray, pad: int, out_h: int, out_w: int, offsets: np.ndarray) -> np.ndarray:
    n, h, w, c = x.shape
    out = np.zeros((n, out_h, out_w, c))
    for b in range(n):
        top, left = offsets[b, 0], offsets[b, 1]
        for i in range(out_h):
            si = top + i - pad  # row in the unpadded image
            if si < 0 or si >= h:
                continue
            for j in range(out_w):
                sj = left + j - pad
                if sj < 0 or sj >= w:
                    continue
                for k in range(c):
                    out[b, i, j, k] = x[b, si, sj, k]
    return out


@njit(cache=True)
def _pixel(x: np.ndarray, b: int, i: int, j: int, k: int, fill: float) -> float:
    h, w = x.shape[1], x.shape[2]
    if i < 0 or i >= h or j < 0 or j >= w:
        return fill
    return x[b, i, j, k]


@njit(cache=True)
def affine_warp(x: np.ndarray, m: np.ndarray, fill: float) -> np.ndarray:
    n, h, w, c = x.shape
    out = np.empty_like(x)
    for b in range(n):
        for i in range(h):
            for j in range(w):
                xs = m[b, 0, 0] * j + m[b, 0, 1] * i + m[b, 0, 2]
                ys = m[b, 1, 0] * j + m[b, 1, 1] * i + m[b, 1, 2]
                x0 = math.floor(xs)
                y0 = math.floor(ys)
                fx = xs - x0
                fy = ys - y0
                j0, i0 = int(x0), int(y0)
                for k in range(c):
                    top = (1.0 - fx) * _pixel(x, b, i0, j0, k, fill) + fx * _pixel(x, b, i0, j0 + 1, k, fill)
                    bottom = (1.0 - fx) * _pixel(x, b, i0 + 1, j0, k, fill) + fx * _pixel(x, b, i0 + 1, j0 + 1, k, fill)
                    out[b, i, j, k] = (1.0 - fy) * top + fy * bottom
    return out


@njit(cache=True)
def gaussian_kernel(sigma: float) -> np.ndarray:
    r = int(math.ceil(3.0 * sigma))
    g = np.empty(2 * r + 1)
    total = 0.0
    for t in range(-r, r + 1):
        g[t + r] = math.exp(-(t * t) / (2.0 * sigma * sigma))
        total += g[t + r]
    return g / total


@njit(cache=True)
def blur_separable(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    n, h, w, c = x.shape
    r = (g.size - 1) // 2
    tmp = np.zeros_like(x)
    out = np.zeros_like(x)
    for b in range(n):
        for i in range(h):
            for j in range(w):
                for k in range(c):
                    s = 0.0
                    for t in range(-r, r + 1):
                        jj = min(max(j + t, 0), w - 1)  # edge replicate
                        s += g[t + r] * x[b, i, jj, k]
                    tmp[b, i, j, k] = s
        for i in range(h):
            for j in range(w):
                for k in range(c):
                    s = 0.0
                    for t in range(-r, r + 1):
                        ii = min(max(i + t, 0), h - 1)
                        s += g[t + r] * tmp[b, ii, j, k]
                    out[b, i, j, k] = s
    return out


@njit(cache=True)
def add_noise(x: np.ndarray, z: np.ndarray, sigma: float) -> np.ndarray:
    xf, zf = x.ravel(), z.ravel()
    out = np.empty(xf.size)
    for i in range(xf.size):
        out[i] = min(max(xf[i] + sigma * zf[i], 0.0), 1.0)
    return out.reshape(x.shape)


@njit(cache=True)
def brightness_contrast(x: np.ndarray, brightness: np.ndarray, contrast: np.ndarray) -> np.ndarray:
    n, h, w, c = x.shape
    out = np.empty_like(x)
    for b in range(n):
        mean = 0.0
        for i in range(h):
            for j in range(w):
                for k in range(c):
                    mean += x[b, i, j, k]
        mean /= h * w * c
        for i in range(h):
            for j in range(w):
                for k in range(c):
                    v = contrast[b] * (x[b, i, j, k] - mean) + mean + brightness[b]
                    out[b, i, j, k] = min(max(v, 0.0), 1.0)
    return out
