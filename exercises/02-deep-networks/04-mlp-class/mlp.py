"""Exercise `mlp-class` (notes §3.3): a multi-layer perceptron of any depth with forward, backward and
parameters, trained by gradient descent.

Run `gradschool grade mlp-class` (or press c in the tutor) to check your work.
"""

import numpy as np


def sigmoid(u: np.ndarray) -> np.ndarray:
    """σ(u) elementwise, without overflow (given)."""
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class MLP:
    """widths = [D, H1, ..., K]: len(widths) - 1 affine layers X (N, D) @ A (D, H) + b, a sigmoid after
    every layer but the last (the output layer is linear)."""

    def __init__(self, widths: list[int], seed: int) -> None:
        """A_i = rng.normal(0, 1/√widths[i-1], (widths[i-1], widths[i])) for i = 1, 2, ... in order, b_i = zeros,
        with rng = np.random.default_rng(seed)."""
        raise NotImplementedError("MLP.__init__: one (A_i, b_i) pair per layer, A_i drawn from default_rng(seed)")

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Ŷ (N, K) for X (N, D); keeps what backward needs."""
        raise NotImplementedError("MLP.forward: affine, sigmoid, ..., affine; keep each layer's input and output")

    def backward(self, G: np.ndarray) -> np.ndarray:
        """G = ∂L/∂Ŷ (N, K) for the last forward's X. Sets (replaces) every parameter's gradient, sums over
        the batch, and returns ∂L/∂X (N, D)."""
        raise NotImplementedError("MLP.backward: from the last layer to the first, set dA_i and db_i, return dL/dX")

    def parameters(self) -> list[np.ndarray]:
        """[A1, b1, A2, b2, ...]: the arrays themselves (not copies), so that p -= η·g updates the network."""
        raise NotImplementedError("MLP.parameters: return [A1, b1, A2, b2, ...] (the arrays themselves)")

    def gradients(self) -> list[np.ndarray]:
        """[dA1, db1, dA2, db2, ...] from the last backward, in the order of parameters()."""
        raise NotImplementedError("MLP.gradients: return [dA1, db1, dA2, db2, ...]")


def train_regression(X: np.ndarray, Y: np.ndarray, widths: list[int], steps: int, learning_rate: float,
                     seed: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Full-batch gradient descent on L = 1/(2N) Σ ‖ŷ_n − y_n‖² with MLP(widths, seed):
    returns (the parameters after `steps` steps, losses (steps,) with losses[t] the loss before step t)."""
    raise NotImplementedError("train_regression: MLP(widths, seed), then `steps` gradient-descent steps")

