"""Reference solution for `augment-photometric-njit`."""

import math

import numpy as np
from numba import njit


@njit(cache=True)
def gaussian_kernel(sigma: float) -> np.ndarray:
    r = math.ceil(3 * sigma)
    w = np.empty(2 * r + 1)
    for t in range(-r, r + 1):
        w[t + r] = math.exp(-t * t / (2 * sigma * sigma))
    return w / w.sum()


@njit(cache=True)
def gaussian_blur(images: np.ndarray, sigma: float) -> np.ndarray:
    g = gaussian_kernel(sigma)
    r = g.size // 2
    n, h, w, c = images.shape
    rows = np.zeros_like(images)
    out = np.zeros_like(images)
    for b in range(n):
        for i in range(h):
            for j in range(w):
                for t in range(-r, r + 1):
                    jj = min(max(j + t, 0), w - 1)
                    for k in range(c):
                        rows[b, i, j, k] += g[t + r] * images[b, i, jj, k]
        for i in range(h):
            for t in range(-r, r + 1):
                ii = min(max(i + t, 0), h - 1)
                for j in range(w):
                    for k in range(c):
                        out[b, i, j, k] += g[t + r] * rows[b, ii, j, k]
    return out


@njit(cache=True)
def add_noise(images: np.ndarray, noise: np.ndarray, sigma: float) -> np.ndarray:
    flat_x, flat_z = images.ravel(), noise.ravel()
    out = np.empty(flat_x.size)
    for t in range(flat_x.size):
        out[t] = min(max(flat_x[t] + sigma * flat_z[t], 0.0), 1.0)
    return out.reshape(images.shape)


def add_gaussian_noise(images: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    return add_noise(images, rng.standard_normal(images.shape), sigma)


@njit(cache=True)
def brightness_contrast(images: np.ndarray, brightness: np.ndarray, contrast: np.ndarray) -> np.ndarray:
    n, h, w, c = images.shape
    out = np.empty_like(images)
    for b in range(n):
        m = 0.0
        for i in range(h):
            for j in range(w):
                for k in range(c):
                    m += images[b, i, j, k]
        m /= h * w * c
        for i in range(h):
            for j in range(w):
                for k in range(c):
                    v = contrast[b] * (images[b, i, j, k] - m) + m + brightness[b]
                    out[b, i, j, k] = min(max(v, 0.0), 1.0)
    return out
