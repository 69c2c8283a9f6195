"""Exercise `linreg-graph` (notes §2.2): forward and backward through the fine-grained (4-node)
and coarse (2-node) computation graphs of linear regression.

Run `gradschool grade linreg-graph` (or press c in the tutor) to check your work.
"""


def fine_forward(w0: float, w1: float, x: float, y: float) -> dict[str, float]:
    """(1) u = w1·x  (2) ŷ = w0 + u  (3) z = ŷ − y  (4) L = z²  (L538–541).

    Returns {"u": …, "yhat": …, "z": …, "L": …}.
    """
    raise NotImplementedError("fine_forward: compute u, yhat, z and L (L538–541) and return them in a dict")


def fine_backward(w0: float, w1: float, x: float, y: float, values: dict[str, float]) -> dict[str, float]:
    """Gradients of L, node by node in reverse order, from the forward values.

    Returns {"dL_dz": …, "dL_dyhat": …, "dL_du": …, "dL_dw0": …, "dL_dw1": …}.
    """
    raise NotImplementedError("fine_backward: apply the chain rule from L back to w0 and w1, one node at a time")


def coarse_forward(w0: float, w1: float, x: float, y: float) -> dict[str, float]:
    """(1) ŷ = w0 + w1·x  (2) L = (ŷ − y)²  (L556–557).  Returns {"yhat": …, "L": …}."""
    raise NotImplementedError("coarse_forward: compute yhat and L (L556–557) and return them in a dict")


def coarse_backward(w0: float, w1: float, x: float, y: float, values: dict[str, float]) -> dict[str, float]:
    """Gradients of the coarse graph.  Returns {"dL_dyhat": …, "dL_dw0": …, "dL_dw1": …}."""
    raise NotImplementedError("coarse_backward: compute dL/dyhat, then dL/dw0 and dL/dw1 from it")
