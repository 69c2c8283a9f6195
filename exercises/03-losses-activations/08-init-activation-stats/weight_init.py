"""Exercise `init-xavier-he` (notes §4.2.2): Xavier and He initialization, and activations over depth.

Randomness comes only from np.random.default_rng(seed). Run `gradschool grade init-xavier-he`.
"""

import numpy as np


def xavier_init(d_in: int, d_out: int, seed: int) -> np.ndarray:
    """W (d_in, d_out) with i.i.d. N(0, 1/d_in) entries, from np.random.default_rng(seed)."""
    raise NotImplementedError("xavier_init: normal weights with variance 1/d_in")


def he_init(d_in: int, d_out: int, seed: int) -> np.ndarray:
    """W (d_in, d_out) with i.i.d. N(0, 2/d_in) entries, from np.random.default_rng(seed)."""
    raise NotImplementedError("he_init: normal weights with variance 2/d_in")


def activation_stds(X: np.ndarray, depth: int, width: int, activation: str, init: str, seed: int) -> np.ndarray:
    """np.std(h_l) for l = 1..depth, with h_l = g(h_{l-1} @ W_l), h_0 = X, no biases (see the README for
    the order in which the weights are drawn)."""
    raise NotImplementedError("activation_stds: the std of each layer's activations")
