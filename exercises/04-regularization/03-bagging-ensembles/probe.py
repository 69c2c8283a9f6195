"""Runs in the learner's process: hands the learner a Generator seeded by the grader."""

import numpy as np


def bootstrap_from_seed(learner, n, k, seed):
    return learner.bootstrap_indices(n, k, np.random.default_rng(seed))


def bootstrap_twice(learner, n, k, seed):
    """Two draws from two Generators with the same seed, and one from a different seed."""
    return [learner.bootstrap_indices(n, k, np.random.default_rng(seed)),
            learner.bootstrap_indices(n, k, np.random.default_rng(seed)),
            learner.bootstrap_indices(n, k, np.random.default_rng(seed + 1))]
