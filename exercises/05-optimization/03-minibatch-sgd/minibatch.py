"""Exercise `minibatch-sgd` (notes §6.2.2-6.2.4, L2615-2729): minibatches, and SGD with a constant or a
decaying step size.

Run `gradschool grade minibatch-sgd` (or press c in the tutor) to check your work.
"""

import numpy as np


def minibatches(X: np.ndarray, y: np.ndarray, batch_size: int,
                rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """One epoch of minibatches of (X (N, D), y (N,)).

    perm = rng.permutation(N), called exactly once; batch j holds the examples perm[j·B : (j+1)·B] of X AND
    of y (shuffled together, L2631); the last batch holds the N mod B examples left over, if any.
    Returns a list of (X_batch, y_batch) pairs. X and y themselves are not changed."""
    raise NotImplementedError("minibatches: one permutation for X and y together, then consecutive slices")


def sgd_linreg(X: np.ndarray, y: np.ndarray, w0: np.ndarray, batch_size: int, epochs: int, eta: float,
               decay: bool, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """SGD on linear regression without bias: per batch, L_B(w) = (1/B) Σ_b (x_bᵀ w − y_b)², B the batch's size.

    rng = np.random.default_rng(seed), created once; every epoch calls minibatches(X, y, batch_size, rng).
    Step t = 1, 2, ... (counted over all epochs) uses η_t = eta (decay False) or eta / t (decay True, L2722).
    Returns (w after the last step, the array of L_B(w) for every batch, measured BEFORE its step)."""
    raise NotImplementedError("sgd_linreg: loop over epochs and minibatches, w -= η_t ∇L_B(w)")
