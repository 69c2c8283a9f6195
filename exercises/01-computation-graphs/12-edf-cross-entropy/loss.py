"""Exercise `edf-cross-entropy`: the CrossEntropyLoss node of edf (the notes use it at L860).

Run `gradschool grade edf-cross-entropy` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401  (you will need it)
from edf.core import CompNode, CompNodes  # noqa: F401


class CrossEntropyLoss(CompNode):
    def __init__(self, p, y):
        raise NotImplementedError("CrossEntropyLoss.__init__: append self to CompNodes and remember p and y")

    def forward(self):
        raise NotImplementedError("CrossEntropyLoss.forward: self.value[i] = -log p[i, y_i], a vector of shape (N,)")

    def backward(self):
        raise NotImplementedError("CrossEntropyLoss.backward: send p a zero array except -grad[i] / p[i, y_i] at the labels")
