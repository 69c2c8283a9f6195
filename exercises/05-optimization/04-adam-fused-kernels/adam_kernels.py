"""Exercise `adam-fused-kernels` (notes §6.2.9-6.2.10): Adam's update fused into one pass over the
parameters, in place, as a Numba @njit loop and as a numba.cuda kernel.

Run `gradschool grade adam-fused-kernels` (or press c in the tutor) to check your work. Without a GPU the
grader runs your kernel in Numba's CUDA simulator: correct, but slow, so the sizes are tiny.
"""

import math  # noqa: F401

from numba import cuda, njit

THREADS = 64  # threads per block: any size works, the checks use lengths that are not multiples of it


@njit(cache=True)
def adam_update_njit(w, g, m, v, lr, beta1, beta2, eps, t):
    """One Adam step on 1-D float64 arrays w, g, m, v of equal length, IN PLACE (returns nothing).
    t is the number of this step (1 for the first): m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ),
    w −= lr · m̂ / (√v̂ + ε)."""
    raise NotImplementedError("adam_update_njit: one loop over i updating m[i], v[i], w[i]")


@cuda.jit
def adam_kernel(w, g, m, v, lr, beta1, beta2, eps, c1, c2):
    """One thread per entry i (guard i < len(w)); c1 = 1 − β₁ᵗ and c2 = 1 − β₂ᵗ are computed on the host."""
    pass  # your kernel


def adam_update_cuda(d_w, d_g, d_m, d_v, lr, beta1, beta2, eps, t):
    """d_w, d_g, d_m, d_v are DEVICE arrays (cuda.to_device): launch adam_kernel on a 1-D grid of
    ceil(n / THREADS) blocks of THREADS threads; update them in place, copy nothing, allocate nothing."""
    raise NotImplementedError("adam_update_cuda: c1, c2 on the host, then one launch of adam_kernel")
