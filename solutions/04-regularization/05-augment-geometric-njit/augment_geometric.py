"""Reference solution for `augment-geometric-njit`."""

import math

import numpy as np
from numba import njit


@njit(cache=True)
def hflip(images: np.ndarray) -> np.ndarray:
    n, h, w, c = images.shape
    out = np.empty_like(images)
    for b in range(n):
        for i in range(h):
            for j in range(w):
                for k in range(c):
                    out[b, i, j, k] = images[b, i, w - 1 - j, k]
    return out


@njit(cache=True)
def crop_with_padding(images: np.ndarray, pad: int, out_h: int, out_w: int, offsets: np.ndarray) -> np.ndarray:
    n, h, w, c = images.shape
    out = np.zeros((n, out_h, out_w, c))
    for b in range(n):
        for i in range(out_h):
            si = offsets[b, 0] + i - pad
            for j in range(out_w):
                sj = offsets[b, 1] + j - pad
                if 0 <= si < h and 0 <= sj < w:
                    for k in range(c):
                        out[b, i, j, k] = images[b, si, sj, k]
    return out


@njit(cache=True)
def _read(images: np.ndarray, b: int, i: int, j: int, k: int, fill: float) -> float:
    if 0 <= i < images.shape[1] and 0 <= j < images.shape[2]:
        return images[b, i, j, k]
    return fill


@njit(cache=True)
def affine_warp(images: np.ndarray, matrices: np.ndarray, fill: float) -> np.ndarray:
    n, h, w, c = images.shape
    out = np.empty_like(images)
    for b in range(n):
        m = matrices[b]
        for i in range(h):
            for j in range(w):
                xs = m[0, 0] * j + m[0, 1] * i + m[0, 2]
                ys = m[1, 0] * j + m[1, 1] * i + m[1, 2]
                x0 = math.floor(xs)
                y0 = math.floor(ys)
                fx, fy = xs - x0, ys - y0
                for k in range(c):
                    top = (1 - fx) * _read(images, b, y0, x0, k, fill) + fx * _read(images, b, y0, x0 + 1, k, fill)
                    low = (1 - fx) * _read(images, b, y0 + 1, x0, k, fill) + fx * _read(images, b, y0 + 1, x0 + 1, k,
                                                                                       fill)
                    out[b, i, j, k] = (1 - fy) * top + fy * low
    return out
