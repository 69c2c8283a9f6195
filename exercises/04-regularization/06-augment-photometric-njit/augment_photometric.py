"""Exercise `augment-photometric-njit` (notes §5.9, L2270–2439): blur, noise and colour as @njit loops.

Images come in batches of layout (N, H, W, C), float64 in [0, 1]: image n, row i, column j, channel c.
Return new arrays; never modify inputs.

Run `gradschool grade augment-photometric-njit` (or press c in the tutor) to check your work.
"""

import math  # noqa: F401  (math.ceil, math.exp)

import numpy as np
from numba import njit


@njit(cache=True)
def gaussian_kernel(sigma: float) -> np.ndarray:
    """1-D Gaussian weights w[t + r] ∝ exp(-t² / (2σ²)) for t = -r..r with radius r = ceil(3σ), normalized to
    sum to 1. Shape (2r + 1,). sigma > 0."""
    raise NotImplementedError("gaussian_kernel: 2r + 1 weights, r = ceil(3 sigma), summing to 1")


@njit(cache=True)
def gaussian_blur(images: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur (GaussianBlur, L2281): convolve every image and channel with gaussian_kernel(sigma)
    along the columns (axis 2), then the result along the rows (axis 1). Borders: edge replication (an index
    outside the image is clamped to the nearest edge pixel)."""
    raise NotImplementedError("gaussian_blur: two 1-D passes with clamped indices")


@njit(cache=True)
def add_noise(images: np.ndarray, noise: np.ndarray, sigma: float) -> np.ndarray:
    """clip(images + sigma * noise, 0, 1) entry by entry; noise has the shape of images."""
    raise NotImplementedError("add_noise: x + sigma * z, clipped to [0, 1]")


def add_gaussian_noise(images: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """AdditiveGaussianNoise (L2333) for images in [0, 1] (plain Python, not @njit): draw
    z = rng.standard_normal(images.shape) with ONE call on the given rng, then return add_noise(images, z, sigma)."""
    raise NotImplementedError("add_gaussian_noise: one rng.standard_normal call, then your add_noise kernel")


@njit(cache=True)
def brightness_contrast(images: np.ndarray, brightness: np.ndarray, contrast: np.ndarray) -> np.ndarray:
    """Colour jitter (L2379–2397) per image n: m = the mean of image n over H, W and C; then
    out = clip(contrast[n] * (x - m) + m + brightness[n], 0, 1). brightness, contrast: (N,)."""
    raise NotImplementedError("brightness_contrast: per-image mean, contrast about it, then brightness, clipped")
