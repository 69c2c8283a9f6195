"""Reference solution for `train-with-optimizers` (notes §6.2): softmax regression trained with your own
optimizers from the exercise `optimizers`."""

import numpy as np
from optimizers import SGD, Adam, Momentum, Nesterov, RMSProp
from param import Param

OPTIMIZERS = {"SGD": SGD, "Momentum": Momentum, "Nesterov": Nesterov, "RMSProp": RMSProp, "Adam": Adam}


def train(X, y, optimizer, hyper, steps):
    n, d = X.shape
    c = int(y.max()) + 1
    W, b = Param(np.zeros((d, c))), Param(np.zeros(c))
    opt = OPTIMIZERS[optimizer]([W, b], **hyper)
    losses = []

    def closure():
        s = X @ W.value + b.value
        s = s - s.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        losses.append(float(-log_p[np.arange(n), y].mean()))
        G = np.exp(log_p)
        G[np.arange(n), y] -= 1.0
        G /= n
        W.grad = X.T @ G
        b.grad = G.sum(axis=0)

    for _ in range(steps):
        if optimizer == "Nesterov":
            opt.step(closure)
        else:
            closure()
            opt.step()
    return W.value, b.value, np.array(losses)
