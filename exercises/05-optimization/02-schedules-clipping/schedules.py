"""Exercise `schedules-clipping` (notes §6.3.1, L2851-2859, and §6.1.3 / eq. 32): learning-rate schedules
and gradient clipping.

Iterations are counted from t = 1 (the first step), so η/t is defined. Gradients are float64 arrays; the
clipping functions return NEW arrays and never change their inputs.

Run `gradschool grade schedules-clipping` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401


def lr_inverse(eta: float, t: int) -> float:
    """η_t = η / t (L2856, Robbins and Monro), t = 1, 2, ..."""
    raise NotImplementedError("lr_inverse: η / t")


def lr_exponential(eta: float, alpha: float, t: int) -> float:
    """η_t = η αᵗ (L2857), t = 1, 2, ..."""
    raise NotImplementedError("lr_exponential: η αᵗ")


def lr_step(eta: float, alpha: float, every: int, t: int) -> float:
    """Step decay (L2858): η for iterations 1..every, α η for every+1..2·every, α² η after that, ..."""
    raise NotImplementedError("lr_step: η α^(number of completed blocks of `every` iterations before t)")


def clip_by_value(grads: list[np.ndarray], lo: float, hi: float) -> list[np.ndarray]:
    """Each entry of each gradient clamped to [lo, hi] (the heuristic of §6.1.3, L2564)."""
    raise NotImplementedError("clip_by_value: clamp every entry")


def clip_by_norm(g: np.ndarray, tau: float) -> np.ndarray:
    """Eq. (32): g if ‖g‖₂ ≤ τ, else τ g / ‖g‖₂ (‖·‖₂ over all entries of g)."""
    raise NotImplementedError("clip_by_norm: rescale g to norm τ when it is longer")


def clip_by_global_norm(grads: list[np.ndarray], tau: float) -> tuple[list[np.ndarray], float]:
    """Eq. (32) for all gradients at once: N = √(Σ_k ‖g_k‖²); if N > τ every g_k is scaled by τ / N.
    Returns (the clipped gradients, N before clipping)."""
    raise NotImplementedError("clip_by_global_norm: one norm over all tensors, one common scale")
