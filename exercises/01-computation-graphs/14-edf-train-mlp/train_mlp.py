"""Exercise `edf-train-mlp` (notes §2.4, L844-866): train the notes' MLP with your own edf.

Run `gradschool grade edf-train-mlp` (or press c in the tutor) to check your work.
"""

import edf  # noqa: F401
import numpy as np  # noqa: F401  (you will need it)


def train(X, y, n_hidden, iterations, learning_rate, seed):
    """Build x -> Affine -> Sigmoid -> Affine -> Softmax -> CrossEntropyLoss as in L844-866, run
    `iterations` steps of gradient descent, and return {"A1", "b1", "A2", "b2"} (the trained arrays)."""
    raise NotImplementedError("train: build the L844-866 graph with edf, train it, return the four parameter arrays")
