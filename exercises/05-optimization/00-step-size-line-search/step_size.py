"""Exercise `step-size-line-search` (notes §6.1.1-6.1.2, L2534-2561, and §6.2.3, L2667-2686): how the
learning rate decides between convergence and divergence, and picking it by line search.

Run `gradschool grade step-size-line-search` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401


def gd_quadratic(a: float, w0: float, eta: float, steps: int) -> np.ndarray:
    """Gradient descent (L2540) on L(w) = a·w² (a > 0) from w0: returns [w⁰, w¹, ..., w^steps], steps + 1
    numbers."""
    raise NotImplementedError("gd_quadratic: w ← w − η·L'(w), L'(w) = 2aw")


def largest_stable_eta(a: float) -> float:
    """The supremum of the step sizes η for which gradient descent on a·w² converges to 0 from any w0."""
    raise NotImplementedError("largest_stable_eta: when is |w^{t+1}| < |w^t|?")


def batch_loss_grad(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, np.ndarray]:
    """The minibatch loss L_B(w) = (1/B) Σ_b (x_bᵀ w − y_b)² and its gradient (2/B) Xᵀ(Xw − y)."""
    raise NotImplementedError("batch_loss_grad: mean squared residual and its gradient")


def line_search_step(X: np.ndarray, y: np.ndarray, w: np.ndarray,
                     candidates: list[float]) -> tuple[float, np.ndarray]:
    """One step of line search (L2671-2673): g = ∇L_B(w); η* = the candidate with the smallest
    L_B(w − η g) (the first one if several tie); returns (η*, w − η* g)."""
    raise NotImplementedError("line_search_step: try every candidate, keep the best")
