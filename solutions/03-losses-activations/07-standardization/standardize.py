"""Reference solution for `standardize-train-only` (notes §4.2.1)."""

import numpy as np


def fit_standardizer(X_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean (D,), std (D,)) of the training features, 1/N variance; std 0 is replaced by 1."""
    mean = np.mean(X_train, axis=0)
    std = np.std(X_train, axis=0)
    return mean, np.where(std == 0, 1.0, std)


def transform(X: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """(X - mean) / std, row by row."""
    return (X - mean) / std


def standardize_split(X_train: np.ndarray, X_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Z_train, Z_test), both standardized with the statistics of X_train."""
    mean, std = fit_standardizer(X_train)
    return transform(X_train, mean, std), transform(X_test, mean, std)
