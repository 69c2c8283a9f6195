"""Reference solution for `early-stopping`."""

from collections.abc import Callable

import numpy as np


def best_epoch(val_losses: list[float]) -> int:
    best = 0
    for e, loss in enumerate(val_losses):
        if loss < val_losses[best]:
            best = e
    return best


def early_stopping(val_losses: list[float], patience: int, min_delta: float = 0.0) -> tuple[int, int]:
    best = 0
    for e in range(1, len(val_losses)):
        if val_losses[e] < val_losses[best] - min_delta:
            best = e
        elif e - best == patience:
            return e, best
    return len(val_losses) - 1, best


def train_with_early_stopping(params: dict[str, np.ndarray], train_epoch: Callable[[dict], None],
                              validate: Callable[[dict], float], max_epochs: int,
                              patience: int) -> tuple[dict[str, np.ndarray], int, int]:
    best_params, best, best_loss = None, 0, None
    for e in range(max_epochs):
        train_epoch(params)
        loss = validate(params)
        if best_loss is None or loss < best_loss:
            best_params = {k: v.copy() for k, v in params.items()}
            best, best_loss = e, loss
        elif e - best == patience:
            return best_params, best, e + 1
    return best_params, best, max_epochs
