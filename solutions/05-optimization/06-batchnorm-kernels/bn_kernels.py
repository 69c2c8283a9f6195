"""Reference solution for `batchnorm-kernels` (notes §6.3.5, L2950): train-mode batch normalization,
forward and backward, as @njit loops and as numba.cuda kernels with per-channel shared-memory reductions."""

import math

import numpy as np
from numba import cuda, float64, njit

THREADS = 16  # threads per block of the reduction kernels: a power of two for the tree reduction
TILE = 8  # the elementwise kernels use TILE x TILE blocks


# --- Numba ---------------------------------------------------------------------------------------


@njit(cache=True)
def bn_forward_njit(x, gamma, beta, eps):
    """(y, mean, biased var) for x (B, C)."""
    n, c = x.shape
    mean = np.zeros(c)
    var = np.zeros(c)
    y = np.empty((n, c))
    for j in range(c):
        s = 0.0
        for i in range(n):
            s += x[i, j]
        mean[j] = s / n
        s = 0.0
        for i in range(n):
            s += (x[i, j] - mean[j]) ** 2
        var[j] = s / n
        inv = 1.0 / math.sqrt(var[j] + eps)
        for i in range(n):
            y[i, j] = gamma[j] * (x[i, j] - mean[j]) * inv + beta[j]
    return y, mean, var


@njit(cache=True)
def bn_backward_njit(g, x, gamma, eps):
    """(dx, dgamma, dbeta) of train-mode batch normalization at x for the upstream gradient g."""
    n, c = x.shape
    dx = np.empty((n, c))
    dgamma = np.zeros(c)
    dbeta = np.zeros(c)
    for j in range(c):
        mean = 0.0
        for i in range(n):
            mean += x[i, j]
        mean /= n
        var = 0.0
        for i in range(n):
            var += (x[i, j] - mean) ** 2
        var /= n
        inv = 1.0 / math.sqrt(var + eps)
        s1 = 0.0
        s2 = 0.0
        for i in range(n):
            xhat = (x[i, j] - mean) * inv
            dgamma[j] += g[i, j] * xhat
            dbeta[j] += g[i, j]
            s1 += g[i, j] * gamma[j]
            s2 += g[i, j] * gamma[j] * xhat
        for i in range(n):
            xhat = (x[i, j] - mean) * inv
            dx[i, j] = inv / n * (n * g[i, j] * gamma[j] - s1 - xhat * s2)
    return dx, dgamma, dbeta


# --- CUDA ----------------------------------------------------------------------------------------


@cuda.jit(device=True)
def _block_sum(buf, value):
    """Tree reduction of one value per thread over the block; every thread gets the total."""
    tid = cuda.threadIdx.x
    buf[tid] = value
    cuda.syncthreads()
    step = THREADS // 2
    while step > 0:
        if tid < step:
            buf[tid] += buf[tid + step]
        cuda.syncthreads()
        step //= 2
    total = buf[0]
    cuda.syncthreads()  # everyone has read buf[0] before the next reduction overwrites it
    return total


@cuda.jit
def channel_stats_kernel(x, mean, var):
    """Block j reduces column j: mean[j], then the biased var[j]."""
    buf = cuda.shared.array(THREADS, float64)
    j = cuda.blockIdx.x
    tid = cuda.threadIdx.x
    n = x.shape[0]
    s = 0.0
    for i in range(tid, n, THREADS):
        s += x[i, j]
    m = _block_sum(buf, s) / n
    s = 0.0
    for i in range(tid, n, THREADS):
        s += (x[i, j] - m) ** 2
    v = _block_sum(buf, s) / n
    if tid == 0:
        mean[j] = m
        var[j] = v


@cuda.jit
def normalize_kernel(x, gamma, beta, mean, var, eps, y):
    i, j = cuda.grid(2)
    if i < x.shape[0] and j < x.shape[1]:
        y[i, j] = gamma[j] * (x[i, j] - mean[j]) / math.sqrt(var[j] + eps) + beta[j]


@cuda.jit
def channel_grad_sums_kernel(g, x, gamma, mean, var, eps, dgamma, dbeta):
    """Block j: dgamma[j] = Σ_i g x̂ and dbeta[j] = Σ_i g over column j."""
    buf = cuda.shared.array(THREADS, float64)
    j = cuda.blockIdx.x
    tid = cuda.threadIdx.x
    inv = 1.0 / math.sqrt(var[j] + eps)
    s1 = 0.0
    s2 = 0.0
    for i in range(tid, x.shape[0], THREADS):
        s1 += g[i, j] * (x[i, j] - mean[j]) * inv
        s2 += g[i, j]
    t1 = _block_sum(buf, s1)
    t2 = _block_sum(buf, s2)
    if tid == 0:
        dgamma[j] = t1
        dbeta[j] = t2


@cuda.jit
def bn_dx_kernel(g, x, gamma, mean, var, eps, dgamma, dbeta, dx):
    """dx = γ/(B√(σ²+ε)) (B g − dβ − x̂ dγ): Σdx̂ = γ dβ and Σ dx̂ x̂ = γ dγ."""
    i, j = cuda.grid(2)
    n = x.shape[0]
    if i < n and j < x.shape[1]:
        inv = 1.0 / math.sqrt(var[j] + eps)
        xhat = (x[i, j] - mean[j]) * inv
        dx[i, j] = gamma[j] * inv / n * (n * g[i, j] - dbeta[j] - xhat * dgamma[j])


def _grid2(n, c):
    return (math.ceil(n / TILE), math.ceil(c / TILE)), (TILE, TILE)


def bn_forward_cuda(x, gamma, beta, eps):
    n, c = x.shape
    d_x, d_gamma, d_beta = (cuda.to_device(np.ascontiguousarray(a, dtype=np.float64)) for a in (x, gamma, beta))
    d_mean, d_var = cuda.device_array(c), cuda.device_array(c)
    d_y = cuda.device_array((n, c))
    channel_stats_kernel[c, THREADS](d_x, d_mean, d_var)
    grid, block = _grid2(n, c)
    normalize_kernel[grid, block](d_x, d_gamma, d_beta, d_mean, d_var, eps, d_y)
    return d_y.copy_to_host(), d_mean.copy_to_host(), d_var.copy_to_host()


def bn_backward_cuda(g, x, gamma, eps):
    n, c = x.shape
    d_g, d_x, d_gamma = (cuda.to_device(np.ascontiguousarray(a, dtype=np.float64)) for a in (g, x, gamma))
    d_mean, d_var, d_dgamma, d_dbeta = (cuda.device_array(c) for _ in range(4))
    d_dx = cuda.device_array((n, c))
    channel_stats_kernel[c, THREADS](d_x, d_mean, d_var)
    channel_grad_sums_kernel[c, THREADS](d_g, d_x, d_gamma, d_mean, d_var, eps, d_dgamma, d_dbeta)
    grid, block = _grid2(n, c)
    bn_dx_kernel[grid, block](d_g, d_x, d_gamma, d_mean, d_var, eps, d_dgamma, d_dbeta, d_dx)
    return d_dx.copy_to_host(), d_dgamma.copy_to_host(), d_dbeta.copy_to_host()
