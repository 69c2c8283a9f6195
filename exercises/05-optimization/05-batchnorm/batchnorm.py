"""Exercise `batchnorm` (notes §6.3.5, L2943-2959): batch normalization for x of shape (B, C), forward and
backward, in train mode (batch statistics) and eval mode (running statistics).

Run `gradschool grade batchnorm` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401


class BatchNorm:
    """gamma = ones(C), beta = zeros(C), running_mean = zeros(C), running_var = ones(C) at the start."""

    def __init__(self, C: int, momentum: float = 0.1, eps: float = 1e-5):
        raise NotImplementedError("BatchNorm.__init__: gamma, beta, running_mean, running_var, momentum, eps")

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        """y = γ x̂ + β with x̂ = (x − μ) / √(σ² + ε) per channel (column).
        train=True: μ, σ² of this batch (σ² biased: divide by B), and then, in place,
        running ← (1 − momentum)·running + momentum·(batch statistic) for the mean and the variance.
        train=False: μ, σ² are running_mean, running_var; nothing is updated.
        Keep what backward needs."""
        raise NotImplementedError("BatchNorm.forward: normalize with batch or running statistics")

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        """For the last forward: returns dx (B, C) and stores self.dgamma, self.dbeta (C,) (sums over the
        batch). In train mode μ and σ² depend on x; in eval mode they are constants."""
        raise NotImplementedError("BatchNorm.backward: dx, and self.dgamma, self.dbeta")
