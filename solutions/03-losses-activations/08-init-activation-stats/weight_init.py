"""Reference solution for `init-xavier-he` (notes §4.2.2)."""

import numpy as np

FIXED_STD = {"small": 0.01, "large": 0.2}


def _std(init: str, d_in: int) -> float:
    if init == "xavier":
        return 1.0 / np.sqrt(d_in)
    if init == "he":
        return np.sqrt(2.0 / d_in)
    return FIXED_STD[init]


def xavier_init(d_in: int, d_out: int, seed: int) -> np.ndarray:
    """W (d_in, d_out) with i.i.d. N(0, 1/d_in) entries, from np.random.default_rng(seed)."""
    return np.random.default_rng(seed).standard_normal((d_in, d_out)) * _std("xavier", d_in)


def he_init(d_in: int, d_out: int, seed: int) -> np.ndarray:
    """W (d_in, d_out) with i.i.d. N(0, 2/d_in) entries, from np.random.default_rng(seed)."""
    return np.random.default_rng(seed).standard_normal((d_in, d_out)) * _std("he", d_in)


def activation_stds(X: np.ndarray, depth: int, width: int, activation: str, init: str, seed: int) -> np.ndarray:
    """np.std(h_l) for l = 1..depth, with h_l = g(h_{l-1} @ W_l), h_0 = X, no biases (see the README for
    the order in which the weights are drawn)."""
    rng = np.random.default_rng(seed)
    h = X
    stds = np.empty(depth)
    for layer in range(depth):
        d_in = h.shape[1]
        W = rng.standard_normal((d_in, width)) * _std(init, d_in)
        u = h @ W
        h = np.tanh(u) if activation == "tanh" else np.maximum(u, 0.0)
        stds[layer] = np.std(h)
    return stds
