"""Exercise `batchnorm-kernels` (notes §6.3.5, L2950): train-mode batch normalization for x (B, C),
forward and backward, as Numba @njit loops and as numba.cuda kernels that reduce every channel in shared
memory (one block per channel).

Conventions as in the exercise `batchnorm`: biased variance (÷ B), ε inside the square root, dγ and dβ
summed over the batch. All arrays are float64.

Run `gradschool grade batchnorm-kernels` (or press c in the tutor) to check your work. Without a GPU the
grader runs your kernels in Numba's CUDA simulator: correct, but slow, so the shapes are tiny.
"""

import math  # noqa: F401

import numpy as np  # noqa: F401
from numba import cuda, float64, njit  # noqa: F401

THREADS = 16  # threads per block of the reduction kernels: a power of two for the tree reduction
TILE = 8  # the elementwise kernels use TILE x TILE blocks


# --- Numba ---------------------------------------------------------------------------------------


@njit(cache=True)
def bn_forward_njit(x, gamma, beta, eps):
    """(y, mean, var) for x (B, C): per column j, mean[j], the biased var[j], y = γ (x − μ)/√(σ² + ε) + β."""
    raise NotImplementedError("bn_forward_njit: loops over the channels, then over the batch")


@njit(cache=True)
def bn_backward_njit(g, x, gamma, eps):
    """(dx, dgamma, dbeta) of train-mode batch normalization at x for the upstream gradient g (B, C):
    dx = (1/B)(σ²+ε)^(−1/2)(B·dx̂ − Σ_b dx̂ − x̂·Σ_b(dx̂ x̂)) with dx̂ = g γ; dγ = Σ_b g x̂; dβ = Σ_b g."""
    raise NotImplementedError("bn_backward_njit: recompute μ, σ², x̂ per channel, the two sums, then dx")


# --- CUDA ----------------------------------------------------------------------------------------


@cuda.jit
def channel_stats_kernel(x, mean, var):
    """Block j (cuda.blockIdx.x) owns channel j; its THREADS threads stride over the batch (i = tid, tid +
    THREADS, ...), then reduce their partial sums in cuda.shared.array(THREADS, float64) (a tree with
    cuda.syncthreads() between levels): first the mean, then the biased variance. Thread 0 stores them."""
    pass  # your kernel


@cuda.jit
def normalize_kernel(x, gamma, beta, mean, var, eps, y):
    """One thread per entry (i, j) = cuda.grid(2): y[i, j] = γ_j (x[i, j] − μ_j)/√(σ²_j + ε) + β_j."""
    pass  # your kernel


@cuda.jit
def channel_grad_sums_kernel(g, x, gamma, mean, var, eps, dgamma, dbeta):
    """Block j: dgamma[j] = Σ_i g[i, j] x̂[i, j] and dbeta[j] = Σ_i g[i, j], reduced in shared memory."""
    pass  # your kernel


@cuda.jit
def bn_dx_kernel(g, x, gamma, mean, var, eps, dgamma, dbeta, dx):
    """One thread per entry: dx from the per-channel sums (Σ_b dx̂ = γ dβ and Σ_b dx̂ x̂ = γ dγ)."""
    pass  # your kernel


def bn_forward_cuda(x, gamma, beta, eps):
    """(y, mean, var) on the device: channel_stats_kernel on C blocks of THREADS threads, then
    normalize_kernel on a 2-D grid of ceil-div TILE x TILE blocks over (B, C)."""
    raise NotImplementedError("bn_forward_cuda: copy in, two launches, copy y, mean, var back")


def bn_backward_cuda(g, x, gamma, eps):
    """(dx, dgamma, dbeta) on the device: channel_stats_kernel, channel_grad_sums_kernel (C blocks each),
    then bn_dx_kernel (2-D grid)."""
    raise NotImplementedError("bn_backward_cuda: copy in, three launches, copy dx, dgamma, dbeta back")
