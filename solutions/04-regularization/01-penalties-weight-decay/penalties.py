"""Reference solution for `penalties-weight-decay`."""

import numpy as np


def is_bias(name: str) -> bool:
    """The course's rule (given): "fc1.b" and "b" are biases; "fc1.A", "out.w", "bias.W" are weights."""
    return name.rsplit(".", 1)[-1] == "b"


def l2_penalty(params: dict[str, np.ndarray], lam: float) -> float:
    return float(lam / 2 * sum(np.sum(w * w) for name, w in params.items() if not is_bias(name)))


def l2_penalty_grad(params: dict[str, np.ndarray], lam: float) -> dict[str, np.ndarray]:
    return {name: np.zeros_like(w) if is_bias(name) else lam * w for name, w in params.items()}


def l1_penalty(params: dict[str, np.ndarray], lam: float) -> float:
    return float(lam * sum(np.sum(np.abs(w)) for name, w in params.items() if not is_bias(name)))


def l1_penalty_grad(params: dict[str, np.ndarray], lam: float) -> dict[str, np.ndarray]:
    return {name: np.zeros_like(w) if is_bias(name) else lam * np.sign(w) for name, w in params.items()}


def sgd_weight_decay_step(params: dict[str, np.ndarray], grads: dict[str, np.ndarray], lr: float,
                          lam: float) -> dict[str, np.ndarray]:
    new = {}
    for name, w in params.items():
        decay = 0.0 if is_bias(name) else lr * lam
        new[name] = (1.0 - decay) * w - lr * grads[name]
    return new
