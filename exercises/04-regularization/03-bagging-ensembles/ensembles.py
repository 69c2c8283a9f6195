"""Exercise `bagging-ensembles` (notes §5.7, L2033–2081).

Run `gradschool grade bagging-ensembles` (or press c in the tutor) to check your work.
"""

import numpy as np


def bootstrap_indices(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Bagging (L2070): k data sets of n examples drawn WITH replacement from range(n). Returns a (k, n)
    integer array; row r holds member r's indices. Draw them with ONE call, rng.integers(0, n, size=(k, n)),
    from the Generator you are given (the grader seeds it), so the result is reproducible."""
    raise NotImplementedError("bootstrap_indices: one call to rng.integers")


def out_of_bag_mask(indices: np.ndarray, n: int) -> np.ndarray:
    """(k, n) bool: mask[r, i] is True iff example i does NOT appear in row r of indices (k, m)."""
    raise NotImplementedError("out_of_bag_mask: mark the examples each member never drew")


def average_probabilities(logits: np.ndarray) -> np.ndarray:
    """Members' logits (K, N, C) -> the ensemble's class probabilities (N, C): the mean over the K members of
    each member's softmax probabilities (average probabilities, NOT logits). Finite for logits of ±1000."""
    raise NotImplementedError("average_probabilities: softmax per member, then the mean over members")


def ensemble_mse(preds: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Regression members' predictions preds (K, N) of targets y (N,). Returns (member_mse (K,), ensemble_mse):
    each member's mean squared error over the N examples, and that of the averaged prediction (L2041)."""
    raise NotImplementedError("ensemble_mse: per-member MSE and the MSE of the mean prediction")


def ensemble_error(k: int, v: float, c: float) -> float:
    """The expected squared error of the average of K errors with variances v and covariances c (L2053-2057)."""
    raise NotImplementedError("ensemble_error: the formula of L2057")
