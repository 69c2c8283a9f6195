"""Reference solution for `debug-training` (notes §6.4): the six functions of buggy_training.py, fixed."""

import numpy as np
from buggy_training import DropoutMLP, Param, cross_entropy_with_logits

EPS = 1e-12


def train_linear(X, y, lr, steps):
    w = Param(np.zeros(X.shape[1]))
    losses = []
    for _ in range(steps):
        r = X @ w.value - y
        losses.append(float(np.mean(r * r)))
        w.grad = np.zeros_like(w.value)  # fixed: zero the gradient before accumulating (L3069)
        w.grad += 2.0 * X.T @ r / len(y)
        w.value -= lr * w.grad
    return w.value, np.array(losses)


def shuffle(X, y, seed):
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(y))  # fixed: one permutation for both (L3015-3025)
    return X[perm], y[perm]


def standardize(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)  # fixed: training statistics only (L3059)
    return (X_train - mean) / std, (X_test - mean) / std


def loss_and_grad(scores, y):
    return cross_entropy_with_logits(scores, y)  # fixed: the loss takes logits, not probabilities (L3077)


def evaluate(params, X, y):
    model = DropoutMLP(params, p_drop=0.5, seed=0)
    scores = model.forward(X, train=False)  # fixed: no dropout at evaluation (L3129-3131)
    return float(np.mean(np.argmax(scores, axis=1) == y))


def bce(p, y):
    p = np.clip(p, EPS, 1.0 - EPS)  # fixed: never log(0) (L3154-3158)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
