"""Exercise `softmax-log-softmax-ce` (notes §4.1.3): softmax, log-softmax and softmax cross-entropy.

S has shape (N, C): rows are examples. The cross-entropy is a SUM over the batch.
Run `gradschool grade softmax-log-softmax-ce` to check your work.
"""

import numpy as np


def softmax(S: np.ndarray) -> np.ndarray:
    """Row-wise softmax of S (N, C), stable for any scores."""
    raise NotImplementedError("softmax: the row-wise softmax (subtract the row max first)")


def softmax_backward(S: np.ndarray, G: np.ndarray) -> np.ndarray:
    """∂/∂S of Σ G * softmax(S), for upstream G (N, C)."""
    raise NotImplementedError("softmax_backward: the vector-Jacobian product of the softmax")


def log_softmax(S: np.ndarray) -> np.ndarray:
    """Row-wise s_c - log Σ_k exp(s_k), finite for any scores."""
    raise NotImplementedError("log_softmax: the row-wise log-softmax without taking log of the softmax")


def log_softmax_backward(S: np.ndarray, G: np.ndarray) -> np.ndarray:
    """∂/∂S of Σ G * log_softmax(S), for upstream G (N, C)."""
    raise NotImplementedError("log_softmax_backward: the vector-Jacobian product of the log-softmax")


def softmax_ce_loss(S: np.ndarray, y: np.ndarray) -> float:
    """Σ_i -log softmax(S)[i, y[i]] for integer labels y (N,)."""
    raise NotImplementedError("softmax_ce_loss: the summed softmax cross-entropy")


def softmax_ce_grad(S: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂ softmax_ce_loss / ∂S, shape (N, C)."""
    raise NotImplementedError("softmax_ce_grad: softmax(S) minus the one-hot labels")
