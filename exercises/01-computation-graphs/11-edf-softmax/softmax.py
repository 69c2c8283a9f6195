"""Exercise `edf-softmax`: the row-wise Softmax node of edf (the notes use it at L859).

Run `gradschool grade edf-softmax` (or press c in the tutor) to check your work.
"""

import numpy as np  # noqa: F401  (you will need it)
from edf.core import CompNode, CompNodes  # noqa: F401


class Softmax(CompNode):
    def __init__(self, x):
        raise NotImplementedError("Softmax.__init__: append self to CompNodes and remember the parent x")

    def forward(self):
        raise NotImplementedError("Softmax.forward: softmax of each row of x.value, subtracting the row max first")

    def backward(self):
        raise NotImplementedError("Softmax.backward: send P ⊙ (G − Σ_c G ⊙ P) (a sum per row) to x")
