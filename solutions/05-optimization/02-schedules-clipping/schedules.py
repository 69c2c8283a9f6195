"""Reference solution for `schedules-clipping` (notes §6.3.1 and §6.1.3 / eq. 32)."""

import numpy as np


def lr_inverse(eta, t):
    """η_t = η / t (L2856)."""
    return eta / t


def lr_exponential(eta, alpha, t):
    """η_t = η αᵗ (L2857)."""
    return eta * alpha**t


def lr_step(eta, alpha, every, t):
    """η ← α η after every `every` iterations (L2858): η α^⌊(t − 1)/every⌋."""
    return eta * alpha ** ((t - 1) // every)


def clip_by_value(grads, lo, hi):
    """Every entry of every gradient clamped to [lo, hi] (L2564); new arrays."""
    return [np.clip(g, lo, hi) for g in grads]


def clip_by_norm(g, tau):
    """Eq. (32): g if ‖g‖₂ ≤ τ, else τ g / ‖g‖₂; a new array."""
    norm = np.sqrt(np.sum(g * g))
    return g.copy() if norm <= tau else g * (tau / norm)


def clip_by_global_norm(grads, tau):
    """Eq. (32) with the norm of all gradients together: (clipped new arrays, the norm before clipping)."""
    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    scale = 1.0 if norm <= tau else tau / norm
    return [g * scale for g in grads], norm
