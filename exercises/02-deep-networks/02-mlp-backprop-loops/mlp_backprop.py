"""Exercise `mlp-backprop-loops` (notes §3.1.1-3.1.2): backprop through a whole two-layer MLP, as the
notes' index loops in @njit and vectorized in NumPy.

Run `gradschool grade mlp-backprop-loops` (or press c in the tutor) to check your work.
"""

import math

import numpy as np  # noqa: F401  (np.zeros to allocate results)
from numba import njit


@njit(cache=True)
def sigmoid(t: float) -> float:
    """σ(t) for one float, without overflow (given)."""
    if t >= 0.0:
        return 1.0 / (1.0 + math.exp(-t))
    z = math.exp(t)
    return z / (1.0 + z)


# --- the loops (target numba) ------------------------------------------------------------------


@njit(cache=True)
def mlp_forward_loops(X: np.ndarray, A1: np.ndarray, b1: np.ndarray, A2: np.ndarray,
                      b2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """H = σ(X A1 + b1) (N, H) and Ŷ = H A2 + b2 (N, K), as loops over b, i, j (L935-937). Returns (H, Ŷ)."""
    raise NotImplementedError("mlp_forward_loops: write the loops of L935-937 for both layers")


@njit(cache=True)
def mlp_backward_loops(X: np.ndarray, Y: np.ndarray, A2: np.ndarray, H: np.ndarray,
                       Yhat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of L = ½ Σ_{b,k} (Ŷ - Y)², summed over the batch, as loops: (dA1, db1, dA2, db2)."""
    raise NotImplementedError("mlp_backward_loops: loop over the batch, sending (Ŷ - Y) back through both layers")


# --- vectorized (target numpy) -----------------------------------------------------------------


def mlp_forward(X: np.ndarray, A1: np.ndarray, b1: np.ndarray, A2: np.ndarray,
                b2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(H, Ŷ) with matrix products: H = σ(X A1 + b1), Ŷ = H A2 + b2."""
    raise NotImplementedError("mlp_forward: H = σ(X A1 + b1), Ŷ = H A2 + b2 with @")


def mlp_backward(X: np.ndarray, Y: np.ndarray, A2: np.ndarray, H: np.ndarray,
                 Yhat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(dA1, db1, dA2, db2) with matrix products (dA = inputᵀ · upstream), no (N, D, H) array."""
    raise NotImplementedError("mlp_backward: four gradients as matrix products and column sums")
