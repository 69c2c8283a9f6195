"""Exercise `logreg-backprop` (notes §2.3.3): forward and backward pass of 1-D logistic regression,
one local derivative per step (L719–728).

Run `gradschool grade logreg-backprop` (or press c in the tutor) to check your work.
"""

import math  # noqa: F401  (math.exp and math.log are all you need)


def forward(w0: float, w1: float, x: float, y: float) -> dict[str, float]:
    """(1) u = w0 + w1·x  (2) ŷ = σ(u)  (3) L = −y log ŷ − (1 − y) log(1 − ŷ)  (L719).

    Returns {"u": …, "yhat": …, "L": …}.
    """
    raise NotImplementedError("forward: compute u, yhat and L (L719) and return them in a dict")


def backward(w0: float, w1: float, x: float, y: float, values: dict[str, float]) -> dict[str, float]:
    """The backward steps (3), (2), (1) of L728, from the forward values.

    Returns {"dL_dyhat": …, "dL_du": …, "dL_dw0": …, "dL_dw1": …}.
    """
    raise NotImplementedError("backward: compute dL/dyhat, dL/du, dL/dw0 and dL/dw1 as in L728")
