"""Exercise `edf-affine` (notes §3.1.2, L922-951): AffineParams and the Affine node of edf.

Run `gradschool grade edf-affine` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401  (you will need it)
from edf.core import CompNode, CompNodes, Parameter  # noqa: F401


class AffineParams:
    def __init__(self, nIn, nOut, rng=None):
        raise NotImplementedError("AffineParams.__init__: self.A = Parameter((nIn, nOut) ~ N(0, 1/nIn)), self.b = Parameter(zeros(nOut)); rng seeds it")


class Affine(CompNode):
    def __init__(self, params, x):
        raise NotImplementedError("Affine.__init__: append self to CompNodes and remember params and x")

    def forward(self):
        raise NotImplementedError("Affine.forward: self.value = X A + b (X is (N, nIn))")

    def backward(self):
        raise NotImplementedError("Affine.backward: send G Aᵀ to x, and per-example gradients to b (N, nOut) and A (N, nIn, nOut)")
