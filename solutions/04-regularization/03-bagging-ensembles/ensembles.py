"""Reference solution for `bagging-ensembles`."""

import numpy as np


def bootstrap_indices(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    return rng.integers(0, n, size=(k, n))


def out_of_bag_mask(indices: np.ndarray, n: int) -> np.ndarray:
    mask = np.ones((indices.shape[0], n), dtype=bool)
    rows = np.repeat(np.arange(indices.shape[0]), indices.shape[1])
    mask[rows, indices.ravel()] = False
    return mask


def average_probabilities(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=-1, keepdims=True)).mean(axis=0)


def ensemble_mse(preds: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    member = ((preds - y) ** 2).mean(axis=1)
    ensemble = float(((preds.mean(axis=0) - y) ** 2).mean())
    return member, ensemble


def ensemble_error(k: int, v: float, c: float) -> float:
    return v / k + (k - 1) * c / k
