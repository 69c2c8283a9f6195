"""Exercise `augment-geometric-njit` (notes §5.9, L2187–2268): geometric augmentations as @njit loops.

Images come in batches of layout (N, H, W, C), float64: image n, row i (the y axis), column j (the x axis),
channel c. Pixel (i, j) has its CENTRE at the point (x, y) = (j, i). Return new arrays; never modify inputs.

Run `gradschool grade augment-geometric-njit` (or press c in the tutor) to check your work.
"""

import math  # noqa: F401  (math.floor in the warp)

import numpy as np  # noqa: F401  (np.empty / np.zeros for the results)
from numba import njit


@njit(cache=True)
def hflip(images: np.ndarray) -> np.ndarray:
    """Mirror each image left-right (imgaug's Fliplr, L2240): out[n, i, j, c] = images[n, i, W - 1 - j, c]."""
    raise NotImplementedError("hflip: mirror the column index")


@njit(cache=True)
def crop_with_padding(images: np.ndarray, pad: int, out_h: int, out_w: int, offsets: np.ndarray) -> np.ndarray:
    """Zero-pad every image by `pad` pixels on all four sides, then cut an (out_h, out_w) window whose top-left
    corner is at offsets[n] = (top, left) in the PADDED image (CropAndPad, L2230). offsets: (N, 2) int64, with
    0 <= top <= H + 2*pad - out_h and 0 <= left <= W + 2*pad - out_w. Returns (N, out_h, out_w, C)."""
    raise NotImplementedError("crop_with_padding: copy the window, zeros where it covers the padding")


@njit(cache=True)
def affine_warp(images: np.ndarray, matrices: np.ndarray, fill: float) -> np.ndarray:
    """Affine warp by INVERSE mapping with bilinear sampling (Affine, L2250). matrices: (N, 2, 3); output pixel
    (i, j) of image n samples the input at (xs, ys) = matrices[n] @ (j, i, 1) (x = column, y = row, pixel centres
    at integers). Bilinear weights from the 4 neighbouring pixel centres; a neighbour outside the image reads
    `fill`. Returns (N, H, W, C)."""
    raise NotImplementedError("affine_warp: inverse-map every output pixel and sample bilinearly")
