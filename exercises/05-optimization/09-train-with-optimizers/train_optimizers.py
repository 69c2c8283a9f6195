"""Exercise `train-with-optimizers` (notes §6.2): train softmax regression with the optimizers you wrote in
the exercise `optimizers` (optim/optimizers.py), and compare their loss curves.

Run `gradschool grade train-with-optimizers` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401
from optimizers import SGD, Adam, Momentum, Nesterov, RMSProp  # noqa: F401  (your exercise `optimizers`)
from param import Param  # noqa: F401

OPTIMIZERS = {"SGD": SGD, "Momentum": Momentum, "Nesterov": Nesterov, "RMSProp": RMSProp, "Adam": Adam}


def train(X: np.ndarray, y: np.ndarray, optimizer: str, hyper: dict, steps: int):
    """Softmax regression: scores = X W + b, loss = mean over the N examples of −log softmax(scores)[y].

    W = Param(zeros((D, C))), b = Param(zeros(C)) with C = y.max() + 1; opt = OPTIMIZERS[optimizer]([W, b],
    **hyper). Every step computes the loss and the gradients W.grad = Xᵀ G, b.grad = Σ_rows G with
    G = (softmax(scores) − onehot(y)) / N, at the parameters' current values, then steps the optimizer
    (Nesterov: opt.step(closure), the closure computing them). Returns (W.value, b.value, losses): losses
    holds the loss of every gradient evaluation, `steps` numbers."""
    raise NotImplementedError("train: Params, your optimizer, and `steps` full-batch steps")
