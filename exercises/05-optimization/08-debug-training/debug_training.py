"""Exercise `debug-training` (notes §6.4, L2986-3159): find and fix the planted bugs.

buggy_training.py (beside this file) holds six functions, each with ONE bug that a real training script
could have. For every function below: copy its body from buggy_training.py, find the bug, fix it. The
helpers softmax, cross_entropy_with_logits, Param and DropoutMLP there are correct: import them.
Keep each function's contract (its docstring in buggy_training.py and the notes below).

Run `gradschool grade debug-training` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401
from buggy_training import DropoutMLP, Param, cross_entropy_with_logits, softmax  # noqa: F401

EPS = 1e-12  # bce clips its probabilities into [EPS, 1 − EPS]


def train_linear(X, y, lr, steps):
    """Full-batch gradient descent on the MSE from w = 0; returns (w, the loss before every step)."""
    raise NotImplementedError("train_linear: copy it from buggy_training.py and fix it")


def shuffle(X, y, seed):
    """X and y in the order of ONE permutation drawn as np.random.default_rng(seed).permutation(N)."""
    raise NotImplementedError("shuffle: copy it from buggy_training.py and fix it")


def standardize(X_train, X_test):
    """Both sets scaled per feature to the zero mean and unit variance of the TRAINING set."""
    raise NotImplementedError("standardize: copy it from buggy_training.py and fix it")


def loss_and_grad(scores, y):
    """(mean cross-entropy of the raw scores (logits) against y, its gradient with respect to the scores)."""
    raise NotImplementedError("loss_and_grad: copy it from buggy_training.py and fix it")


def evaluate(params, X, y):
    """Accuracy of DropoutMLP(params, p_drop=0.5, seed=0) on (X, y), as it will be used at test time."""
    raise NotImplementedError("evaluate: copy it from buggy_training.py and fix it")


def bce(p, y):
    """Mean binary cross-entropy; finite for every p in [0, 1]: p is clipped into [EPS, 1 − EPS] first."""
    raise NotImplementedError("bce: copy it from buggy_training.py and fix it")
