"""Exercise `penalties-weight-decay` (notes §5.5, L1801–1987): L2 and L1 penalties and weight decay.

Parameters come as a dict name -> float64 array, e.g. {"fc1.A": (D, M), "fc1.b": (M,), "out.w": (M,)}.
A name whose last dot-separated part is exactly "b" is a bias (is_bias below); every other array is a
weight. Penalties and decay apply to weights only. Return new arrays and new dicts; never modify the inputs.

Run `gradschool grade penalties-weight-decay` (or press c in the tutor) to check your work.
"""

import numpy as np


def is_bias(name: str) -> bool:
    """The course's rule (given): "fc1.b" and "b" are biases; "fc1.A", "out.w", "bias.W" are weights."""
    return name.rsplit(".", 1)[-1] == "b"


def l2_penalty(params: dict[str, np.ndarray], lam: float) -> float:
    """(λ/2) Σ over the weights W of ‖W‖² = Σ_ij W_ij² (L1849 with α = λ). Biases are skipped."""
    raise NotImplementedError("l2_penalty: (lam / 2) * the sum of squares of every weight entry")


def l2_penalty_grad(params: dict[str, np.ndarray], lam: float) -> dict[str, np.ndarray]:
    """The gradient of l2_penalty: a dict with EVERY name of params: λW for weights, zeros for biases."""
    raise NotImplementedError("l2_penalty_grad: lam * W for weights, np.zeros_like(b) for biases")


def l1_penalty(params: dict[str, np.ndarray], lam: float) -> float:
    """λ Σ over the weights W of Σ_ij |W_ij| (L1926 with α = λ). Biases are skipped."""
    raise NotImplementedError("l1_penalty: lam * the sum of absolute values of every weight entry")


def l1_penalty_grad(params: dict[str, np.ndarray], lam: float) -> dict[str, np.ndarray]:
    """A subgradient of l1_penalty: λ·sign(W) for weights (sign(0) = 0), zeros for biases; every name."""
    raise NotImplementedError("l1_penalty_grad: lam * np.sign(W) for weights, zeros for biases")


def sgd_weight_decay_step(params: dict[str, np.ndarray], grads: dict[str, np.ndarray], lr: float,
                          lam: float) -> dict[str, np.ndarray]:
    """One SGD step with weight decay coupled to the learning rate (L1855), as a NEW dict of new arrays:
    W ← (1 − lr·λ) W − lr·g_W for weights, b ← b − lr·g_b for biases. grads has the same names and shapes
    (gradients of the unpenalized loss)."""
    raise NotImplementedError("sgd_weight_decay_step: (1 - lr*lam) * W - lr * g for weights, b - lr * g for biases")
