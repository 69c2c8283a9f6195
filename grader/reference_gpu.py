"""Float64 references for the CUDA exercises (part `07-gpu-kernels`), thin validating wrappers over the
@njit kernels in grader.kernels.gpu (same style as grader.reference). Softmax comes from grader.reference,
conv2d and max-pooling from grader.reference_conv.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from grader.kernels import gpu

F64 = NDArray[np.float64]


def _alpha(alpha: float) -> float:
    alpha = float(alpha)
    if not math.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha}")
    return alpha


def elu(x: ArrayLike, alpha: float = 1.0) -> F64:
    """ELU elementwise, any shape: x for x > 0, alpha (e^x - 1) for x <= 0 (notes L1617-1624, default alpha 1)."""
    a = np.asarray(x, dtype=np.float64, order="C")
    return gpu.elu_forward(a.ravel(), _alpha(alpha)).reshape(a.shape)


def elu_backward(x: ArrayLike, g: ArrayLike, alpha: float = 1.0) -> F64:
    """The input gradient g * ELU'(x) for the upstream gradient g of x's shape: ELU'(x) = 1 for x > 0,
    alpha e^x for x <= 0."""
    a = np.asarray(x, dtype=np.float64, order="C")
    up = np.asarray(g, dtype=np.float64, order="C")
    if up.shape != a.shape:
        raise ValueError(f"g must have x's shape {a.shape}, got {up.shape}")
    return gpu.elu_backward(a.ravel(), up.ravel(), _alpha(alpha)).reshape(a.shape)
