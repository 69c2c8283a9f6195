"""Exercise `xor-mlp` (notes §3.2): XOR from OR, NAND and AND threshold units set by hand, then learned by a
small sigmoid MLP trained with your own backpropagation.

Run `gradschool grade xor-mlp` (or press c in the tutor) to check your work.
"""

import numpy as np

# --- Part 1: hand-set weights ------------------------------------------------------------------


def threshold_unit(X: np.ndarray, w: np.ndarray, w0: float) -> np.ndarray:
    """[wᵀx + w0 > 0] for every row x of X (N, D): an int array (N,) of 0s and 1s (L964-969)."""
    return (X @ w + w0 > 0).astype(np.int64)


def or_unit() -> tuple[np.ndarray, float]:
    """(w, w0) of a threshold unit computing OR(x1, x2)."""
    return np.array([1.0, 1.0]), -0.5


def nand_unit() -> tuple[np.ndarray, float]:
    """(w, w0) of a threshold unit computing NAND(x1, x2) = NOT AND(x1, x2)."""
    return np.array([-1.0, -1.0]), 1.5


def and_unit() -> tuple[np.ndarray, float]:
    """(w, w0) of a threshold unit computing AND(x1, x2)."""
    return np.array([1.0, 1.0]), -1.5


def xor_network(scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The sigmoid network of L1049-1053, built from YOUR three units with every weight and bias times
    `scale`: (A1 (2, 2) with columns OR and NAND, b1 (2,), a2 (2,) = AND's w, b2 = AND's w0)."""
    (w_or, b_or), (w_nand, b_nand), (w_and, b_and) = or_unit(), nand_unit(), and_unit()
    A1 = scale * np.column_stack([w_or, w_nand])
    b1 = scale * np.array([b_or, b_nand])
    return A1, b1, scale * w_and, scale * b_and


# --- Part 2: learned weights -------------------------------------------------------------------


def sigmoid(u: np.ndarray) -> np.ndarray:
    """σ(u) elementwise, without overflow (given)."""
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def init_xor_net(n_inputs: int, n_hidden: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """rng = np.random.default_rng(seed); A1 = rng.normal(0, 1, (n_inputs, n_hidden)), then
    a2 = rng.normal(0, 1, n_hidden); b1 = zeros, b2 = 0.0."""
    rng = np.random.default_rng(seed)
    A1 = rng.normal(0.0, 1.0, (n_inputs, n_hidden))
    a2 = rng.normal(0.0, 1.0, n_hidden)
    return A1, np.zeros(n_hidden), a2, 0.0


def xor_grads(X: np.ndarray, y: np.ndarray, A1: np.ndarray, b1: np.ndarray, a2: np.ndarray,
              b2: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, float]:
    """Mean binary cross-entropy of ŷ = σ(σ(X A1 + b1) a2 + b2) and its gradients (loss, dA1, db1, da2, db2)."""
    n = X.shape[0]
    H = sigmoid(X @ A1 + b1)
    yhat = sigmoid(H @ a2 + b2)
    loss = float(-np.mean(y * np.log(yhat) + (1 - y) * np.log(1 - yhat)))
    g = (yhat - y) / n  # d loss / d logit, for σ output + BCE
    G1 = np.outer(g, a2) * H * (1 - H)
    return loss, X.T @ G1, G1.sum(axis=0), H.T @ g, float(g.sum())


def train_xor(X: np.ndarray, y: np.ndarray, n_hidden: int, steps: int, learning_rate: float,
              seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """`steps` full-batch gradient-descent steps from init_xor_net(D, n_hidden, seed):
    returns (A1, b1, a2, b2, losses) with losses[t] the loss before step t."""
    A1, b1, a2, b2 = init_xor_net(X.shape[1], n_hidden, seed)
    losses = np.zeros(steps)
    for t in range(steps):
        losses[t], dA1, db1, da2, db2 = xor_grads(X, y, A1, b1, a2, b2)
        A1 = A1 - learning_rate * dA1
        b1 = b1 - learning_rate * db1
        a2 = a2 - learning_rate * da2
        b2 = b2 - learning_rate * db2
    return A1, b1, a2, b2, losses
