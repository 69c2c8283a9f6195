"""Exercise `regression-losses` (notes §4.1.2): L2, L1 and the Laplace NLL with a predicted scale.

Every loss is a SUM over all entries. Run `gradschool grade regression-losses` to check your work.
"""

import numpy as np


def l2_loss(yhat: np.ndarray, y: np.ndarray) -> float:
    """Σ (yhat - y)² over all entries."""
    raise NotImplementedError("l2_loss: sum the squared differences")


def l2_grad(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂ l2_loss / ∂ yhat, the shape of yhat."""
    raise NotImplementedError("l2_grad: differentiate the summed squared error")


def l1_loss(yhat: np.ndarray, y: np.ndarray) -> float:
    """Σ |yhat - y| over all entries."""
    raise NotImplementedError("l1_loss: sum the absolute differences")


def l1_grad(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂ l1_loss / ∂ yhat: sign(yhat - y), with 0 where yhat == y."""
    raise NotImplementedError("l1_grad: the (sub)gradient of the summed absolute error")


def laplace_nll(mu: np.ndarray, log_b: np.ndarray, y: np.ndarray) -> float:
    """Σ log(2b) + |y - mu| / b with b = exp(log_b)."""
    raise NotImplementedError("laplace_nll: the Laplace negative log-likelihood")


def laplace_nll_grad(mu: np.ndarray, log_b: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(∂/∂mu, ∂/∂log_b) of laplace_nll, each the shape of mu."""
    raise NotImplementedError("laplace_nll_grad: the gradients for the mean and the log-scale")
