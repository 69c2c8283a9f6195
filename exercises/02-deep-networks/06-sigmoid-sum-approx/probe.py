"""Runs in the learner's process: a call with NumPy's floating-point warnings turned into errors."""

import numpy as np


def strict(learner, name, *args):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        return getattr(learner, name)(*args)
