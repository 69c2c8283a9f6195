"""Reference solution for `edf-affine` (notes §3.1.2, L945-951)."""

import numpy as np
from edf.core import CompNode, CompNodes, Parameter


class AffineParams:
    """A (nIn, nOut) ~ N(0, 1/nIn) (the notes' "Xavier", L1701) and b = 0, as two Parameters."""

    def __init__(self, nIn, nOut, rng=None):
        rng = np.random.default_rng(rng)  # an int seed, a Generator, or None (fresh entropy)
        self.A = Parameter(rng.normal(0.0, 1.0 / np.sqrt(nIn), size=(nIn, nOut)))
        self.b = Parameter(np.zeros(nOut))


class Affine(CompNode):
    """value = X A + b for X (N, nIn): one row per example."""

    def __init__(self, params, x):
        CompNodes.append(self)
        self.w = params
        self.x = x

    def forward(self):
        self.value = np.matmul(self.x.value, self.w.A.value) + self.w.b.value

    def backward(self):
        self.x.addgrad(np.matmul(self.grad, self.w.A.value.transpose()))
        # Per example, with a leading batch axis: Parameter.addgrad sums over axis 0.
        self.w.b.addgrad(self.grad)
        self.w.A.addgrad(self.x.value[:, :, np.newaxis] * self.grad[:, np.newaxis, :])
