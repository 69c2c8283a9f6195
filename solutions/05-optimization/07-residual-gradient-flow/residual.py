"""Reference solution for `residual-gradient-flow` (notes §6.3.5, L2961-2969)."""

import numpy as np


def block_forward(x, A, b, residual):
    """tanh(x A + b), plus x with the skip connection."""
    out = np.tanh(x @ A + b)
    return out + x if residual else out


def block_backward(G, x, A, b, residual):
    """(dx, dA, db) for the upstream gradient G; dA, db sum over the batch."""
    du = G * (1.0 - np.tanh(x @ A + b) ** 2)
    dx = du @ A.T
    if residual:
        dx = dx + G  # the identity path
    return dx, x.T @ du, du.sum(axis=0)


def stack_grad_norms(x, As, bs, G, residual):
    """‖∂L/∂h_l‖ at the input of every block l of the stack, for L = Σ G ⊙ (the stack's output)."""
    hs = [x]
    for A, b in zip(As, bs, strict=True):
        hs.append(block_forward(hs[-1], A, b, residual))
    norms = np.zeros(len(As))
    grad = G
    for layer in range(len(As) - 1, -1, -1):
        grad = block_backward(grad, hs[layer], As[layer], bs[layer], residual)[0]
        norms[layer] = np.linalg.norm(grad)
    return norms
