"""Exercise `standardize-train-only` (notes §4.2.1): per-feature standardization fitted on the training set.

X has shape (N, D): examples in rows, features in columns. Run `gradschool grade standardize-train-only`.
"""

import numpy as np


def fit_standardizer(X_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean (D,), std (D,)) of the training features, 1/N variance; std 0 is replaced by 1."""
    raise NotImplementedError("fit_standardizer: the per-feature mean and standard deviation")


def transform(X: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """(X - mean) / std, row by row."""
    raise NotImplementedError("transform: centre and scale with the given statistics")


def standardize_split(X_train: np.ndarray, X_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Z_train, Z_test), both standardized with the statistics of X_train."""
    raise NotImplementedError("standardize_split: fit on the training set, transform both")
