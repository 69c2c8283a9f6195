"""Reference solution for `edf-core` (notes §2.4, L757-796): edf's base classes and drivers."""

import numpy as np

CompNodes = []  # every CompNode, in creation order: a topological order of the graph
Parameters = []  # every Parameter
DT = np.float64  # the dtype of values and gradients
learning_rate = 0.5  # module global: read by Parameter.UpdateParameters when it runs


def clear_compgraph():
    """Forget the graph. In place: sigmoid.py, affine.py, ... imported these very list objects."""
    CompNodes.clear()
    Parameters.clear()


class Input:
    """Data or labels: .value is set from outside (L844-851)."""

    def __init__(self):
        pass

    def addgrad(self, delta):
        pass  # nothing to learn about the data


class Parameter:
    """A learnable tensor; registers itself so Backward and UpdateParameters can find it."""

    def __init__(self, value):
        # The notes write DT(value); np.float64(array) returns the caller's own array, which
        # UpdateParameters would then change in place. Keep a copy instead.
        self.value = np.array(value, dtype=DT)
        Parameters.append(self)

    def addgrad(self, delta):
        # Nodes send per-example gradients with a leading batch axis (L951): sum it out.
        self.grad += np.sum(delta, axis=0)

    def UpdateParameters(self):
        self.value -= learning_rate * self.grad


class CompNode:
    """Base class of computation nodes; subclasses define __init__, forward and backward."""

    def addgrad(self, delta):
        self.grad += delta  # a node feeding several others receives one delta from each


def Forward():
    for c in CompNodes:
        c.forward()


def Backward(loss):
    for c in CompNodes + Parameters:
        c.grad = np.zeros(c.value.shape, dtype=DT)
    # After the loop (curriculum erratum 1): the loss is a vector over the batch, and edf
    # minimizes its mean, so every example's loss gets weight 1/N.
    loss.grad = np.ones(loss.value.shape) / len(loss.value)
    for c in CompNodes[::-1]:
        c.backward()


def UpdateParameters():
    for p in Parameters:
        p.UpdateParameters()
