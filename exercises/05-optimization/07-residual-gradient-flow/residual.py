"""Exercise `residual-gradient-flow` (notes §6.3.5, L2961-2969): a residual block y = x + F(x), its
backward pass, and the gradient flow through a deep plain stack and a deep residual stack.

Here F(x) = tanh(x A + b) for a minibatch x (N, D), A (D, D), b (D,). Batch gradients are sums.
Run `gradschool grade residual-gradient-flow` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401


def block_forward(x: np.ndarray, A: np.ndarray, b: np.ndarray, residual: bool) -> np.ndarray:
    """residual=False: tanh(x A + b) (a plain layer); residual=True: x + tanh(x A + b) (L2961-2968)."""
    raise NotImplementedError("block_forward: tanh(x A + b), plus x when residual")


def block_backward(G: np.ndarray, x: np.ndarray, A: np.ndarray, b: np.ndarray,
                   residual: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dA, db) of block_forward for the upstream gradient G (N, D); dA and db sum over the batch."""
    raise NotImplementedError("block_backward: through tanh and the affine map, plus the identity path")


def stack_grad_norms(x: np.ndarray, As: list[np.ndarray], bs: list[np.ndarray], G: np.ndarray,
                     residual: bool) -> np.ndarray:
    """A stack of len(As) blocks h_{l+1} = block_forward(h_l, As[l], bs[l], residual), h_0 = x, and
    L = Σ G ⊙ h_L. Returns the array of ‖∂L/∂h_l‖ (Frobenius norm) for l = 0, ..., len(As) − 1."""
    raise NotImplementedError("stack_grad_norms: forward keeping every h_l, then backward recording the norms")
