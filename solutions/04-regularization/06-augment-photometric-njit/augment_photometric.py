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
    return np.minimum(np.maximum(images + sigma * noise, 0.0), 1.0)


def add_gaussian_noise(images: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    return add_noise(images, rng.standard_normal(images.shape), sigma)


@njit(cache=True)
def brightness_contrast(images: np.ndarray, brightness: np.ndarray, contrast: np.ndarray) -> np.ndarray:
    out = np.empty_like(images)
    for b in range(images.shape[0]):
        m = images[b].mean()
        out[b] = np.minimum(np.maximum(contrast[b] * (images[b] - m) + m + brightness[b], 0.0), 1.0)
    return out
