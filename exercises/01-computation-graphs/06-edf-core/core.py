"""Exercise `edf-core` (notes §2.4, L757-796): edf's base classes and its three drivers.

The other edf files import from here (`from edf.core import CompNode, CompNodes`).
Run `gradschool grade edf-core` (or press c in the tutor) to check your work.
"""

import numpy as np

CompNodes = []  # every CompNode, in creation order: a topological order of the graph
Parameters = []  # every Parameter
DT = np.float64  # the dtype of values and gradients
learning_rate = 0.5  # module global: Parameter.UpdateParameters reads it when it runs


def clear_compgraph():
    """Forget the current graph: empty CompNodes and Parameters."""
    raise NotImplementedError("clear_compgraph: empty CompNodes and Parameters IN PLACE (other modules imported these lists)")


class Input:
    """Data or labels; .value is set from outside (L844-851)."""

    def __init__(self):
        raise NotImplementedError("Input.__init__: nothing to store (the notes write `pass`)")

    def addgrad(self, delta):
        raise NotImplementedError("Input.addgrad: an input needs no gradient: ignore delta")


class Parameter:
    """A learnable tensor."""

    def __init__(self, value):
        raise NotImplementedError("Parameter.__init__: store value as a float64 array (a copy) and append self to Parameters")

    def addgrad(self, delta):
        raise NotImplementedError("Parameter.addgrad: add delta summed over axis 0 (the batch) to self.grad")

    def UpdateParameters(self):
        raise NotImplementedError("Parameter.UpdateParameters: one gradient-descent step with the global learning_rate")


class CompNode:
    """Base class of computation nodes; subclasses define __init__, forward and backward."""

    def addgrad(self, delta):
        raise NotImplementedError("CompNode.addgrad: add delta to self.grad")


def Forward():
    raise NotImplementedError("Forward: call forward() of every CompNode, in creation order")


def Backward(loss):
    raise NotImplementedError("Backward: zero all grads, seed loss.grad = 1/len(loss.value), call backward() in reverse order")


def UpdateParameters():
    raise NotImplementedError("UpdateParameters: call UpdateParameters() of every Parameter")
