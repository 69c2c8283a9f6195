"""Runs in the learner's process: call a learner function with NumPy's floating-point warnings as errors.

Overflow, invalid operations (inf - inf, 0/0, log of a negative) and division by zero (log 0) raise;
underflow does not: exp(-1000) = 0 is the correctly rounded answer, not a bug.
"""

import numpy as np


def strict(learner, name, *args):
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        return getattr(learner, name)(*args)
