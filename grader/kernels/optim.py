"""Optimizer updates, gradient clipping (notes §6.1.3, §6.2.5-6.2.10, eq. 32) and the per-block layers of
§6.3.5 (batch normalization, tanh blocks with and without a skip connection), as float64 @njit kernels.

Update kernels work IN PLACE on flat 1-D arrays (the wrappers in grader/reference_optim.py copy first).
"""

import math

import numpy as np
from numba import njit


@njit(cache=True)
def sgd_update(w: np.ndarray, g: np.ndarray, lr: float) -> None:
    for i in range(w.size):
        w[i] -= lr * g[i]


@njit(cache=True)
def momentum_update(w: np.ndarray, m: np.ndarray, g: np.ndarray, lr: float, beta1: float, ema: bool) -> None:
    """classic (L2736): m = β m − η g, w += m;  ema (L2745): m = β m + (1 − β) g, w −= η m."""
    for i in range(w.size):
        if ema:
            m[i] = beta1 * m[i] + (1.0 - beta1) * g[i]
            w[i] -= lr * m[i]
        else:
            m[i] = beta1 * m[i] - lr * g[i]
            w[i] += m[i]


@njit(cache=True)
def nesterov_lookahead(w: np.ndarray, m: np.ndarray, lr: float, beta1: float, ema: bool) -> np.ndarray:
    """ŵ of L2781 (classic: w + β m) or L2785 (ema: w − η β m)."""
    out = np.empty(w.size)
    for i in range(w.size):
        out[i] = w[i] - lr * beta1 * m[i] if ema else w[i] + beta1 * m[i]
    return out


@njit(cache=True)
def rmsprop_update(w: np.ndarray, v: np.ndarray, g: np.ndarray, lr: float, beta2: float, eps: float) -> None:
    """Eqs. (24)-(25): v = β₂ v + (1 − β₂) g², w −= η g / (√v + ε), ε outside the root."""
    for i in range(w.size):
        v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i]
        w[i] -= lr * g[i] / (math.sqrt(v[i]) + eps)


@njit(cache=True)
def adam_update(w: np.ndarray, m: np.ndarray, v: np.ndarray, g: np.ndarray, lr: float, beta1: float,
                beta2: float, eps: float, t: int) -> None:
    """L2819 with t the number of this step (1 for the first): m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ),
    w −= η m̂ / (√v̂ + ε)."""
    c1 = 1.0 - beta1**t
    c2 = 1.0 - beta2**t
    for i in range(w.size):
        m[i] = beta1 * m[i] + (1.0 - beta1) * g[i]
        v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i]
        w[i] -= lr * (m[i] / c1) / (math.sqrt(v[i] / c2) + eps)


@njit(cache=True)
def sum_of_squares(x: np.ndarray) -> float:
    total = 0.0
    for i in range(x.size):
        total += x[i] * x[i]
    return total


@njit(cache=True)
def clip_value(g: np.ndarray, lo: float, hi: float) -> np.ndarray:
    out = np.empty(g.size)
    for i in range(g.size):
        out[i] = min(max(g[i], lo), hi)
    return out


@njit(cache=True)
def batchnorm_train_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float):
    """x (B, C): (y, mean, biased var, x̂) of L2950."""
    n, c = x.shape
    mean = np.zeros(c)
    var = np.zeros(c)
    for j in range(c):
        s = 0.0
        for i in range(n):
            s += x[i, j]
        mean[j] = s / n
        s = 0.0
        for i in range(n):
            d = x[i, j] - mean[j]
            s += d * d
        var[j] = s / n
    xhat = np.empty((n, c))
    y = np.empty((n, c))
    for i in range(n):
        for j in range(c):
            xhat[i, j] = (x[i, j] - mean[j]) / math.sqrt(var[j] + eps)
            y[i, j] = gamma[j] * xhat[i, j] + beta[j]
    return y, mean, var, xhat


@njit(cache=True)
def batchnorm_eval_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, mean: np.ndarray,
                           var: np.ndarray, eps: float) -> np.ndarray:
    n, c = x.shape
    y = np.empty((n, c))
    for i in range(n):
        for j in range(c):
            y[i, j] = gamma[j] * (x[i, j] - mean[j]) / math.sqrt(var[j] + eps) + beta[j]
    return y


@njit(cache=True)
def batchnorm_train_backward(g: np.ndarray, xhat: np.ndarray, var: np.ndarray, gamma: np.ndarray, eps: float):
    """(dx, dγ, dβ) of train-mode BN: dx = (1/B)(σ²+ε)^(-1/2)(B·dx̂ − Σdx̂ − x̂·Σ(dx̂ x̂)), dx̂ = g γ."""
    n, c = g.shape
    dx = np.empty((n, c))
    dgamma = np.zeros(c)
    dbeta = np.zeros(c)
    for j in range(c):
        s1 = 0.0
        s2 = 0.0
        for i in range(n):
            dxh = g[i, j] * gamma[j]
            s1 += dxh
            s2 += dxh * xhat[i, j]
            dgamma[j] += g[i, j] * xhat[i, j]
            dbeta[j] += g[i, j]
        inv = 1.0 / math.sqrt(var[j] + eps)
        for i in range(n):
            dx[i, j] = inv / n * (n * g[i, j] * gamma[j] - s1 - xhat[i, j] * s2)
    return dx, dgamma, dbeta


@njit(cache=True)
def tanh_block_forward(x: np.ndarray, A: np.ndarray, b: np.ndarray, residual: bool) -> np.ndarray:
    """x (N, D), A (D, D): tanh(x A + b), plus x with the skip connection (L2961-2968)."""
    n, d = x.shape
    out = np.empty((n, d))
    for i in range(n):
        for j in range(d):
            s = b[j]
            for k in range(d):
                s += x[i, k] * A[k, j]
            out[i, j] = math.tanh(s) + (x[i, j] if residual else 0.0)
    return out


@njit(cache=True)
def tanh_block_backward(G: np.ndarray, x: np.ndarray, A: np.ndarray, b: np.ndarray, residual: bool):
    """(dx, dA, db) of tanh_block_forward for the upstream gradient G (sums over the batch)."""
    n, d = x.shape
    du = np.empty((n, d))
    for i in range(n):
        for j in range(d):
            s = b[j]
            for k in range(d):
                s += x[i, k] * A[k, j]
            th = math.tanh(s)
            du[i, j] = G[i, j] * (1.0 - th * th)
    dx = np.zeros((n, d))
    dA = np.zeros((d, d))
    db = np.zeros(d)
    for i in range(n):
        for j in range(d):
            db[j] += du[i, j]
            for k in range(d):
                dx[i, k] += du[i, j] * A[k, j]
                dA[k, j] += x[i, k] * du[i, j]
            if residual:
                dx[i, j] += G[i, j]
    return dx, dA, db


@njit(cache=True)
def batchnorm_eval_backward(g: np.ndarray, x: np.ndarray, gamma: np.ndarray, mean: np.ndarray, var: np.ndarray,
                            eps: float):
    """(dx, dγ, dβ) of eval-mode BN, an affine map per channel with the running statistics fixed."""
    n, c = g.shape
    dx = np.empty((n, c))
    dgamma = np.zeros(c)
    dbeta = np.zeros(c)
    for j in range(c):
        inv = 1.0 / math.sqrt(var[j] + eps)
        for i in range(n):
            dx[i, j] = g[i, j] * gamma[j] * inv
            dgamma[j] += g[i, j] * (x[i, j] - mean[j]) * inv
            dbeta[j] += g[i, j]
    return dx, dgamma, dbeta
