"""Chapter 5 (regularization) kernels: parameter penalties and weight decay, early stopping,
bootstrap bookkeeping and ensemble averages, inverted dropout.

Conventions (the course's, stated in the exercises): the L2 penalty is (λ/2)‖w‖² with gradient λw;
weight decay is coupled to the learning rate, w ← (1 − ηλ)w − ηg (notes L1855); dropout's p is the
DROP probability and kept units are scaled by 1/(1 − p) at train time (inverted dropout).
"""

import numpy as np
from numba import njit

from grader.kernels.activations import softmax_rows


@njit(cache=True)
def l2_penalty(w: np.ndarray, lam: float) -> float:
    total = 0.0
    for i in range(w.size):
        total += w[i] * w[i]
    return 0.5 * lam * total


@njit(cache=True)
def l2_penalty_grad(w: np.ndarray, lam: float) -> np.ndarray:
    out = np.empty_like(w)
    for i in range(w.size):
        out[i] = lam * w[i]
    return out


@njit(cache=True)
def l1_penalty(w: np.ndarray, lam: float) -> float:
    total = 0.0
    for i in range(w.size):
        total += abs(w[i])
    return lam * total


@njit(cache=True)
def l1_penalty_grad(w: np.ndarray, lam: float) -> np.ndarray:
    # The subgradient at 0 is taken as 0 (sign(0) = 0).
    out = np.empty_like(w)
    for i in range(w.size):
        out[i] = lam * (1.0 if w[i] > 0.0 else (-1.0 if w[i] < 0.0 else 0.0))
    return out


@njit(cache=True)
def weight_decay_step(w: np.ndarray, g: np.ndarray, lr: float, lam: float) -> np.ndarray:
    out = np.empty_like(w)
    for i in range(w.size):
        out[i] = (1.0 - lr * lam) * w[i] - lr * g[i]
    return out


@njit(cache=True)
def sgd_step(w: np.ndarray, g: np.ndarray, lr: float) -> np.ndarray:
    out = np.empty_like(w)
    for i in range(w.size):
        out[i] = w[i] - lr * g[i]
    return out


@njit(cache=True)
def early_stopping(losses: np.ndarray, patience: int, min_delta: float) -> tuple[int, int]:
    """(stop epoch, best epoch up to it): an epoch improves iff its loss < best − min_delta (strictly);
    training stops at the first epoch `patience` epochs after the last improvement, else at the last one."""
    best = 0
    for e in range(1, losses.size):
        if losses[e] < losses[best] - min_delta:
            best = e
        elif e - best >= patience:
            return e, best
    return losses.size - 1, best


@njit(cache=True)
def out_of_bag(indices: np.ndarray, n: int) -> np.ndarray:
    k, m = indices.shape
    oob = np.ones((k, n), dtype=np.bool_)
    for r in range(k):
        for j in range(m):
            oob[r, indices[r, j]] = False
    return oob


@njit(cache=True)
def average_probabilities(logits: np.ndarray) -> np.ndarray:
    """(K, N, C) member logits -> (N, C): the mean over members of each member's softmax."""
    k, n, c = logits.shape
    out = np.zeros((n, c))
    for r in range(k):
        p = softmax_rows(np.ascontiguousarray(logits[r]))
        for i in range(n):
            for j in range(c):
                out[i, j] += p[i, j]
    for i in range(n):
        for j in range(c):
            out[i, j] /= k
    return out


@njit(cache=True)
def ensemble_mse(preds: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """(K, N) member predictions, (N,) targets -> (each member's MSE (K,), the averaged prediction's MSE)."""
    k, n = preds.shape
    member = np.zeros(k)
    total = 0.0
    for i in range(n):
        mean = 0.0
        for r in range(k):
            d = preds[r, i] - y[i]
            member[r] += d * d
            mean += preds[r, i]
        d = mean / k - y[i]
        total += d * d
    for r in range(k):
        member[r] /= n
    return member, total / n


@njit(cache=True)
def dropout_apply(x: np.ndarray, mask: np.ndarray, p: float) -> np.ndarray:
    """x * mask / (1 − p), elementwise on flat arrays: inverted dropout's forward and (with x = the upstream
    gradient) its backward."""
    out = np.empty_like(x)
    scale = 1.0 / (1.0 - p)
    for i in range(x.size):
        out[i] = x[i] * scale if mask[i] else 0.0
    return out
