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
        rng = np.random.default_rng(seed)
        self.A = [rng.normal(0.0, 1.0 / np.sqrt(d), (d, h)) for d, h in zip(widths[:-1], widths[1:], strict=True)]
        self.b = [np.zeros(h) for h in widths[1:]]
        self.dA = [np.zeros_like(A) for A in self.A]
        self.db = [np.zeros_like(b) for b in self.b]
        self.inputs: list[np.ndarray] = []
        self.outputs: list[np.ndarray] = []

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Ŷ (N, K) for X (N, D); keeps what backward needs."""
        self.inputs, self.outputs = [], []
        h = X
        for i, (A, b) in enumerate(zip(self.A, self.b, strict=True)):
            self.inputs.append(h)
            h = h @ A + b
            if i < len(self.A) - 1:
                h = sigmoid(h)
            self.outputs.append(h)
        return h

    def backward(self, G: np.ndarray) -> np.ndarray:
        """G = ∂L/∂Ŷ (N, K) for the last forward's X. Sets (replaces) every parameter's gradient, sums over
        the batch, and returns ∂L/∂X (N, D)."""
        for i in range(len(self.A) - 1, -1, -1):
            if i < len(self.A) - 1:
                h = self.outputs[i]
                G = G * h * (1.0 - h)
            self.dA[i] = self.inputs[i].T @ G
            self.db[i] = G.sum(axis=0)
            G = G @ self.A[i].T
        return G

    def parameters(self) -> list[np.ndarray]:
        """[A1, b1, A2, b2, ...]: the arrays themselves (not copies), so that p -= η·g updates the network."""
        return [p for pair in zip(self.A, self.b, strict=True) for p in pair]

    def gradients(self) -> list[np.ndarray]:
        """[dA1, db1, dA2, db2, ...] from the last backward, in the order of parameters()."""
        return [g for pair in zip(self.dA, self.db, strict=True) for g in pair]


def train_regression(X: np.ndarray, Y: np.ndarray, widths: list[int], steps: int, learning_rate: float,
                     seed: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Full-batch gradient descent on L = 1/(2N) Σ ‖ŷ_n − y_n‖² with MLP(widths, seed):
    returns (the parameters after `steps` steps, losses (steps,) with losses[t] the loss before step t)."""
    net = MLP(widths, seed)
    n = X.shape[0]
    losses = np.zeros(steps)
    for t in range(steps):
        R = net.forward(X) - Y
        losses[t] = 0.5 * np.sum(R * R) / n
        net.backward(R / n)
        for p, g in zip(net.parameters(), net.gradients(), strict=True):
            p -= learning_rate * g
    return [p.copy() for p in net.parameters()], losses
