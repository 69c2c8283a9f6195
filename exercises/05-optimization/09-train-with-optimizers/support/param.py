"""A minimal stand-in for edf's Parameter (notes L767-775), for trying your optimizers on their own.

An optimizer only needs two arrays per parameter: `value` (updated in place) and `grad` (read).
The grader uses an object just like this one.
"""

import numpy as np


class Param:
    def __init__(self, value):
        self.value = np.array(value, dtype=np.float64)
        self.grad = np.zeros_like(self.value)
