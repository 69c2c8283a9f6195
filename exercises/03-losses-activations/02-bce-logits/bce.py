"""Exercise `bce-probs-logits` (notes §4.1.3): binary cross-entropy from probabilities and from logits.

Both losses are SUMS over all entries. Run `gradschool grade bce-probs-logits` to check your work.
"""

import numpy as np


def bce_loss(p: np.ndarray, y: np.ndarray) -> float:
    """Σ -y log p - (1 - y) log(1 - p), for 0 < p < 1."""
    raise NotImplementedError("bce_loss: the summed binary cross-entropy of probabilities")


def bce_grad(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂ bce_loss / ∂ p, the shape of p."""
    raise NotImplementedError("bce_grad: the gradient with respect to the probabilities")


def bce_logits_loss(s: np.ndarray, y: np.ndarray) -> float:
    """Σ BCE(σ(s), y), computed from the logits s without overflow for any s."""
    raise NotImplementedError("bce_logits_loss: the summed BCE computed stably from logits")


def bce_logits_grad(s: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂ bce_logits_loss / ∂ s = σ(s) - y, finite for any s."""
    raise NotImplementedError("bce_logits_grad: the gradient with respect to the logits")
