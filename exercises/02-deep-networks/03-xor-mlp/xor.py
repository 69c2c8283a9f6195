"""Exercise `xor-mlp` (notes §3.2): XOR from OR, NAND and AND threshold units set by hand, then learned by a
small sigmoid MLP trained with your own backpropagation.

Run `gradschool grade xor-mlp` (or press c in the tutor) to check your work.
"""

import numpy as np

# --- Part 1: hand-set weights ------------------------------------------------------------------


def threshold_unit(X: np.ndarray, w: np.ndarray, w0: float) -> np.ndarray:
    """[wᵀx + w0 > 0] for every row x of X (N, D): an int array (N,) of 0s and 1s (L964-969)."""
    raise NotImplementedError("threshold_unit: return [X w + w0 > 0] as 0/1 integers")


def or_unit() -> tuple[np.ndarray, float]:
    """(w, w0) of a threshold unit computing OR(x1, x2)."""
    raise NotImplementedError("or_unit: choose (w, w0) for OR")


def nand_unit() -> tuple[np.ndarray, float]:
    """(w, w0) of a threshold unit computing NAND(x1, x2) = NOT AND(x1, x2)."""
    raise NotImplementedError("nand_unit: choose (w, w0) for NAND")


def and_unit() -> tuple[np.ndarray, float]:
    """(w, w0) of a threshold unit computing AND(x1, x2)."""
    raise NotImplementedError("and_unit: choose (w, w0) for AND")


def xor_network(scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The sigmoid network of L1049-1053, built from YOUR three units with every weight and bias times
    `scale`: (A1 (2, 2) with columns OR and NAND, b1 (2,), a2 (2,) = AND's w, b2 = AND's w0)."""
    raise NotImplementedError("xor_network: OR and NAND units as the columns of A1 (b1), AND as a2 (b2), times scale")


# --- Part 2: learned weights -------------------------------------------------------------------


def sigmoid(u: np.ndarray) -> np.ndarray:
    """σ(u) elementwise, without overflow (given)."""
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def init_xor_net(n_inputs: int, n_hidden: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """rng = np.random.default_rng(seed); A1 = rng.normal(0, 1, (n_inputs, n_hidden)), then
    a2 = rng.normal(0, 1, n_hidden); b1 = zeros, b2 = 0.0."""
    raise NotImplementedError("init_xor_net: draw A1 and a2 from np.random.default_rng(seed)")


def xor_grads(X: np.ndarray, y: np.ndarray, A1: np.ndarray, b1: np.ndarray, a2: np.ndarray,
              b2: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, float]:
    """Mean binary cross-entropy of ŷ = σ(σ(X A1 + b1) a2 + b2) and its gradients (loss, dA1, db1, da2, db2)."""
    raise NotImplementedError("xor_grads: forward, mean BCE, then backprop through both layers")


def train_xor(X: np.ndarray, y: np.ndarray, n_hidden: int, steps: int, learning_rate: float,
              seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """`steps` full-batch gradient-descent steps from init_xor_net(D, n_hidden, seed):
    returns (A1, b1, a2, b2, losses) with losses[t] the loss before step t."""
    raise NotImplementedError("train_xor: init, then `steps` gradient-descent steps, recording the loss before each")

