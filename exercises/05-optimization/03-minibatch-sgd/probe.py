"""Runs in the learner's process: a seeded Generator for minibatches (a Generator cannot be sent over)."""

import numpy as np


def epochs(learner, X, y, batch_size, seed, n_epochs):
    """learner.minibatches for n_epochs epochs with ONE rng = default_rng(seed); every batch as plain arrays."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_epochs):
        batches = learner.minibatches(X, y, batch_size, rng)
        out.append([[np.asarray(b[0]), np.asarray(b[1])] for b in batches])
    return out
