"""Exercise `bilinear-loops-njit` (notes §3.1.1, L902-917): a batched bilinear map and a sigmoid as index
loops in @njit, with the left-hand-side indices the notes dropped restored; then the same as numba.cuda
kernels, one thread per output entry, the backward pass as two gather kernels.

Run `gradschool grade bilinear-loops-njit` (or press c in the tutor) to check your work.
"""

import math

import numpy as np
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
    g, ni, nk = A.shape
    nj = B.shape[1]
    U = np.zeros((g, ni, nj))
    Y = np.zeros((g, ni, nj))
    for h in range(g):
        for i in range(ni):
            for j in range(nj):
                for k in range(nk):
                    U[h, i, j] += A[h, i, k] * B[h, j, k]
                Y[h, i, j] = sigmoid(U[h, i, j])
    return U, Y


@njit(cache=True)
def bilinear_backward(A: np.ndarray, B: np.ndarray, U: np.ndarray,
                      Y_grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L915-917 with every left-hand side indexed: returns (A_grad (G, I, K), B_grad (G, J, K))."""
    g, ni, nk = A.shape
    nj = B.shape[1]
    U_grad = np.zeros((g, ni, nj))
    A_grad = np.zeros((g, ni, nk))
    B_grad = np.zeros((g, nj, nk))
    for h in range(g):
        for i in range(ni):
            for j in range(nj):
                s = sigmoid(U[h, i, j])
                U_grad[h, i, j] += Y_grad[h, i, j] * s * (1.0 - s)
    for h in range(g):
        for i in range(ni):
            for j in range(nj):
                for k in range(nk):
                    A_grad[h, i, k] += U_grad[h, i, j] * B[h, j, k]
                    B_grad[h, j, k] += U_grad[h, i, j] * A[h, i, k]
    return A_grad, B_grad


# --- CUDA (target cuda) ------------------------------------------------------------------------


@cuda.jit(device=True)
def sigmoid_device(t):
    """σ(t) for one float inside a kernel (given)."""
    if t >= 0.0:
        return 1.0 / (1.0 + math.exp(-t))
    z = math.exp(t)
    return z / (1.0 + z)


def _grid(shape: tuple[int, int, int]) -> tuple[int, int, int]:
    """Ceil-div blocks for an output of shape (G, R, C): x runs over C, y over R, z over G."""
    g, r, c = shape
    return math.ceil(c / BLOCK[0]), math.ceil(r / BLOCK[1]), math.ceil(g / BLOCK[2])


@cuda.jit
def bilinear_forward_kernel(A, B, U, Y):
    """One thread per (h, i, j): U[h,i,j] = Σ_k A[h,i,k]·B[h,j,k], Y[h,i,j] = σ(U[h,i,j])."""
    j, i, h = cuda.grid(3)
    if h < U.shape[0] and i < U.shape[1] and j < U.shape[2]:
        s = 0.0
        for k in range(A.shape[2]):
            s += A[h, i, k] * B[h, j, k]
        U[h, i, j] = s
        Y[h, i, j] = sigmoid_device(s)


@cuda.jit
def sigmoid_backward_kernel(U, Y_grad, U_grad):
    """One thread per (h, i, j): U_grad = Y_grad · σ'(U)."""
    j, i, h = cuda.grid(3)
    if h < U.shape[0] and i < U.shape[1] and j < U.shape[2]:
        s = sigmoid_device(U[h, i, j])
        U_grad[h, i, j] = Y_grad[h, i, j] * s * (1.0 - s)


@cuda.jit
def grad_a_kernel(U_grad, B, A_grad):
    """One thread per (h, i, k), gathering over j: A_grad[h,i,k] = Σ_j U_grad[h,i,j]·B[h,j,k]."""
    k, i, h = cuda.grid(3)
    if h < A_grad.shape[0] and i < A_grad.shape[1] and k < A_grad.shape[2]:
        s = 0.0
        for j in range(B.shape[1]):
            s += U_grad[h, i, j] * B[h, j, k]
        A_grad[h, i, k] = s


@cuda.jit
def grad_b_kernel(U_grad, A, B_grad):
    """One thread per (h, j, k), gathering over i: B_grad[h,j,k] = Σ_i U_grad[h,i,j]·A[h,i,k]."""
    k, j, h = cuda.grid(3)
    if h < B_grad.shape[0] and j < B_grad.shape[1] and k < B_grad.shape[2]:
        s = 0.0
        for i in range(A.shape[1]):
            s += U_grad[h, i, j] * A[h, i, k]
        B_grad[h, j, k] = s


def bilinear_forward_cuda(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(U, Y) with bilinear_forward_kernel on a 3-D grid of ceil-div BLOCK blocks."""
    shape = (A.shape[0], A.shape[1], B.shape[1])
    U, Y = cuda.device_array(shape), cuda.device_array(shape)
    bilinear_forward_kernel[_grid(shape), BLOCK](cuda.to_device(np.ascontiguousarray(A)),
                                                 cuda.to_device(np.ascontiguousarray(B)), U, Y)
    return U.copy_to_host(), Y.copy_to_host()


def bilinear_backward_cuda(A: np.ndarray, B: np.ndarray, U: np.ndarray,
                           Y_grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(A_grad, B_grad): U_grad with sigmoid_backward_kernel, then grad_a_kernel and grad_b_kernel."""
    dA, dB = cuda.to_device(np.ascontiguousarray(A)), cuda.to_device(np.ascontiguousarray(B))
    U_grad = cuda.device_array(U.shape)
    sigmoid_backward_kernel[_grid(U.shape), BLOCK](cuda.to_device(np.ascontiguousarray(U)),
                                                   cuda.to_device(np.ascontiguousarray(Y_grad)), U_grad)
    A_grad, B_grad = cuda.device_array(A.shape), cuda.device_array(B.shape)
    grad_a_kernel[_grid(A.shape), BLOCK](U_grad, dB, A_grad)
    grad_b_kernel[_grid(B.shape), BLOCK](U_grad, dA, B_grad)
    return A_grad.copy_to_host(), B_grad.copy_to_host()
