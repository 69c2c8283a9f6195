"""Exercise `bilinear-loops-njit` (notes §3.1.1, L902-917): a batched bilinear map and a sigmoid as index
loops in @njit, with the left-hand-side indices the notes dropped restored; then the same as numba.cuda
kernels, one thread per output entry, the backward pass as two gather kernels.

Run `gradschool grade bilinear-loops-njit` (or press c in the tutor) to check your work.
"""

import math

import numpy as np  # noqa: F401  (np.zeros to allocate results)
from numba import cuda, njit

BLOCK = (4, 4, 4)  # threads per block along x, y, z: 64 threads keep Numba's CUDA simulator quick


@njit(cache=True)
def sigmoid(t: float) -> float:
    """σ(t) for one float, without overflow (given)."""
    if t >= 0.0:
        return 1.0 / (1.0 + math.exp(-t))
    z = math.exp(t)
    return z / (1.0 + z)


@njit(cache=True)
def bilinear_forward(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L908-909 for A (G, I, K) and B (G, J, K): U[h,i,j] = Σ_k A[h,i,k]·B[h,j,k] and Y = σ(U),
    both (G, I, J). Returns (U, Y)."""
    raise NotImplementedError("bilinear_forward: write the loops of L908-909")


@njit(cache=True)
def bilinear_backward(A: np.ndarray, B: np.ndarray, U: np.ndarray,
                      Y_grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L915-917 with every left-hand side indexed: returns (A_grad (G, I, K), B_grad (G, J, K))."""
    raise NotImplementedError("bilinear_backward: write the loops of L915-917, restoring the indices on the left")


# --- CUDA (target cuda) ------------------------------------------------------------------------


@cuda.jit(device=True)
def sigmoid_device(t):
    """σ(t) for one float inside a kernel (given)."""
    if t >= 0.0:
        return 1.0 / (1.0 + math.exp(-t))
    z = math.exp(t)
    return z / (1.0 + z)


@cuda.jit
def bilinear_forward_kernel(A, B, U, Y):
    """One thread per (h, i, j): U[h,i,j] = Σ_k A[h,i,k]·B[h,j,k], Y[h,i,j] = σ(U[h,i,j])."""
    pass  # your kernel


@cuda.jit
def sigmoid_backward_kernel(U, Y_grad, U_grad):
    """One thread per (h, i, j): U_grad = Y_grad · σ'(U)."""
    pass  # your kernel


@cuda.jit
def grad_a_kernel(U_grad, B, A_grad):
    """One thread per (h, i, k), gathering over j: A_grad[h,i,k] = Σ_j U_grad[h,i,j]·B[h,j,k]."""
    pass  # your kernel


@cuda.jit
def grad_b_kernel(U_grad, A, B_grad):
    """One thread per (h, j, k), gathering over i: B_grad[h,j,k] = Σ_i U_grad[h,i,j]·A[h,i,k]."""
    pass  # your kernel


def bilinear_forward_cuda(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(U, Y) with bilinear_forward_kernel on a 3-D grid of ceil-div BLOCK blocks."""
    raise NotImplementedError("bilinear_forward_cuda: copy A and B to the device, launch the kernel, copy U, Y back")


def bilinear_backward_cuda(A: np.ndarray, B: np.ndarray, U: np.ndarray,
                           Y_grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(A_grad, B_grad): U_grad with sigmoid_backward_kernel, then grad_a_kernel and grad_b_kernel."""
    raise NotImplementedError("bilinear_backward_cuda: U_grad on the device, then the two gather kernels")
