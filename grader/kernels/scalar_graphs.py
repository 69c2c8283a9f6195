"""The scalar computation graphs of notes §2.2-2.3, forward values and backward gradients."""

import numpy as np
from numba import njit

from grader.kernels.activations import sigmoid_scalar
from grader.kernels.losses import bce_with_logits_scalar


@njit(cache=True)
def linreg_fine(w0: float, w1: float, x: float, y: float) -> tuple:
    u = w1 * x
    yhat = w0 + u
    z = yhat - y
    L = z * z
    dL_dz = 2.0 * z
    dL_dyhat = dL_dz
    dL_du = dL_dyhat
    dL_dw0 = dL_dyhat
    dL_dw1 = dL_du * x
    return u, yhat, z, L, dL_dz, dL_dyhat, dL_du, dL_dw0, dL_dw1


@njit(cache=True)
def linreg_coarse(w0: float, w1: float, x: float, y: float) -> tuple:
    yhat = w0 + w1 * x
    L = (yhat - y) ** 2
    dL_dyhat = 2.0 * (yhat - y)
    return yhat, L, dL_dyhat, dL_dyhat, dL_dyhat * x


@njit(cache=True, error_model="numpy")  # dL_dyhat is ±inf once σ(u) rounds to 0 or 1
def logreg_scalar(w0: float, w1: float, x: float, y: float) -> tuple:
    u = w0 + w1 * x
    yhat = sigmoid_scalar(u)
    # L = BCE(ŷ, y), evaluated from the logit so it stays finite when σ(u) rounds to 0 or 1.
    L = bce_with_logits_scalar(u, y)
    dL_dyhat = (yhat - y) / (yhat * (1.0 - yhat))
    # = dL_dyhat·σ(u)(1-σ(u)) (L728 step 2), without its 0/0 once σ(u) saturates.
    dL_du = yhat - y
    return u, yhat, L, dL_dyhat, dL_du, dL_du, dL_du * x


@njit(cache=True)
def fanout_paths(x: float) -> tuple[float, float]:
    y = np.sin(x)
    u = y * y
    v = np.exp(y)
    # dL/du · du/dy and dL/dv · dv/dy, with dL/du = v and dL/dv = u.
    return v * 2.0 * y, u * v


@njit(cache=True)
def fanout(x: float) -> tuple:
    y = np.sin(x)
    u = y * y
    v = np.exp(y)
    L = u * v
    via_u, via_v = fanout_paths(x)
    dL_dy = via_u + via_v
    return y, u, v, L, v, u, dL_dy, dL_dy * np.cos(x)
