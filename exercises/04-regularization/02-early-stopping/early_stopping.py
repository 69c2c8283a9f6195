"""Exercise `early-stopping` (notes §5.6, L1988–2032).

Epochs are numbered from 0: val_losses[e] is the validation loss measured after training epoch e.
Rules (the notes leave them open; the course fixes them):
- epoch e (e >= 1) IMPROVES iff val_losses[e] < best_loss - min_delta (strictly). Epoch 0 is the first best.
  Ties and plateaus are not improvements, so among equal losses the EARLIEST epoch stays the best.
- training STOPS at the first epoch e with e - best_epoch_so_far == patience (patience >= 1). If that never
  happens, it stops at the last epoch.

Run `gradschool grade early-stopping` (or press c in the tutor) to check your work.
"""

from collections.abc import Callable

import numpy as np


def best_epoch(val_losses: list[float]) -> int:
    """The epoch with the lowest validation loss over the whole list; ties: the earliest one."""
    raise NotImplementedError("best_epoch: the first index of the minimum")


def early_stopping(val_losses: list[float], patience: int, min_delta: float = 0.0) -> tuple[int, int]:
    """Walk the curve epoch by epoch as training would. Returns (stop_epoch, best_epoch): the epoch at which
    training stops, and the best epoch seen up to and including it (the one whose parameters are restored)."""
    raise NotImplementedError("early_stopping: track the best epoch so far and stop after `patience` epochs "
                              "without a strict improvement")


def train_with_early_stopping(params: dict[str, np.ndarray], train_epoch: Callable[[dict], None],
                              validate: Callable[[dict], float], max_epochs: int,
                              patience: int) -> tuple[dict[str, np.ndarray], int, int]:
    """Train with early stopping. Per epoch e = 0, 1, ...: call train_epoch(params) (it updates the arrays
    of params IN PLACE), then loss = validate(params). Apply the rules above (min_delta = 0) and stop calling
    both once training stops, or after max_epochs epochs.
    Returns (best_params, best_epoch, epochs_run): a deep copy of params as they were right after the best
    epoch, that epoch, and how many epochs were trained."""
    raise NotImplementedError("train_with_early_stopping: the loop, with a copy of the best parameters")
