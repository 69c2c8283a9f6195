"""Reference solution for `adam-fused-kernels` (notes §6.2.9-6.2.10): one fused, in-place Adam update as a
Numba @njit loop and as a numba.cuda kernel."""

import math

from numba import cuda, njit

THREADS = 64  # threads per block


@njit(cache=True)
def adam_update_njit(w, g, m, v, lr, beta1, beta2, eps, t):
    """One Adam step (t = the number of this step, from 1) on 1-D arrays, in place; returns nothing."""
    c1 = 1.0 - beta1**t
    c2 = 1.0 - beta2**t
    for i in range(w.shape[0]):
        m[i] = beta1 * m[i] + (1.0 - beta1) * g[i]
        v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i]
        w[i] -= lr * (m[i] / c1) / (math.sqrt(v[i] / c2) + eps)


@cuda.jit
def adam_kernel(w, g, m, v, lr, beta1, beta2, eps, c1, c2):
    """One thread per entry; c1 = 1 − β₁ᵗ and c2 = 1 − β₂ᵗ come from the host."""
    i = cuda.grid(1)
    if i < w.shape[0]:
        mi = beta1 * m[i] + (1.0 - beta1) * g[i]
        vi = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i]
        m[i] = mi
        v[i] = vi
        w[i] -= lr * (mi / c1) / (math.sqrt(vi / c2) + eps)


def adam_update_cuda(d_w, d_g, d_m, d_v, lr, beta1, beta2, eps, t):
    """Launch adam_kernel on device arrays, in place: no copies, no new arrays."""
    n = d_w.shape[0]
    blocks = (n + THREADS - 1) // THREADS
    adam_kernel[blocks, THREADS](d_w, d_g, d_m, d_v, lr, beta1, beta2, eps, 1.0 - beta1**t, 1.0 - beta2**t)
