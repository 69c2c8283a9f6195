"""Runs in the learner's process: call a learner function with floating-point warnings as errors."""

import numpy as np


def strict(learner, name, *args):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        return getattr(learner, name)(*args)
