"""Exercise `edf-sigmoid` (notes §2.4, L806-823): the Sigmoid node of edf.

Run `gradschool grade edf-sigmoid` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401  (you will need it)
from edf.core import CompNode, CompNodes  # noqa: F401


class Sigmoid(CompNode):
    def __init__(self, x):
        raise NotImplementedError("Sigmoid.__init__: append self to CompNodes and remember the parent x")

    def forward(self):
        raise NotImplementedError("Sigmoid.forward: self.value = σ(x.value), with x clamped to [-10, 10]")

    def backward(self):
        raise NotImplementedError("Sigmoid.backward: send self.grad * σ'(x) to the parent with self.x.addgrad(...)")
