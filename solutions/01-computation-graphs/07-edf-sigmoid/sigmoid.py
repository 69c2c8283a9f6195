"""Reference solution for `edf-sigmoid` (notes §2.4, L813-823)."""

import numpy as np
from edf.core import CompNode, CompNodes


class Sigmoid(CompNode):
    def __init__(self, x):
        CompNodes.append(self)
        self.x = x

    def forward(self):
        # The clamp keeps exp() finite; the derivative is then wrong for |x| > 10 (erratum 2).
        bounded = np.maximum(-10, np.minimum(10, self.x.value))
        self.value = 1 / (1 + np.exp(-bounded))

    def backward(self):
        self.x.addgrad(self.grad * self.value * (1 - self.value))
