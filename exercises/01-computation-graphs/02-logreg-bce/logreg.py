"""Exercise `logreg-bce` (notes §2.1.2): binary cross-entropy, the summed logistic-regression loss
and its gradient.

Run `gradschool grade logreg-bce` (or press c in the tutor) to check your work.
"""

import numpy as np


def sigmoid(s: np.ndarray) -> np.ndarray:
    """σ(s) = 1 / (1 + e^{-s}). Given: the checks keep |s| small, so the plain formula is fine here."""
    return 1.0 / (1.0 + np.exp(-s))


def bce(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Eq. (7) elementwise: -y log ŷ - (1 - y) log(1 - ŷ), with 0·log 0 = 0."""
    raise NotImplementedError("bce: write eq. (7), -y log ŷ - (1-y) log(1-ŷ), elementwise")


def logreg_loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Σ_i BCE(σ(w·x_i), y_i) over the N rows x_i of X (N, D): a SUM, as in eq. (6)."""
    raise NotImplementedError("logreg_loss: sum the BCE of σ(X w) against y over the rows of X (eq. 6)")


def logreg_grad(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∇_w logreg_loss = Σ_i (ŷ_i - y_i) x_i, shape (D,) (eq. 9-10)."""
    raise NotImplementedError("logreg_grad: return Σ_i (ŷ_i − y_i) x_i, shape (D,) (eq. 9–10)")
