"""Exercise `fanout` (notes §2.3.2–2.3.3): backpropagation through a fan-out, written like L690–710.

Run `gradschool grade fanout` (or press c in the tutor) to check your work.
"""

import math  # noqa: F401  (math.sin, math.exp, math.cos are all you need)


class Node:
    """A variable of the graph: .value is set by the forward pass, .grad by the backward pass."""

    def __init__(self) -> None:
        self.value = 0.0
        self.grad = 0.0


# The graph of L669–672: x -> y -> (u, v) -> L. The nodes live as long as the module, as in the notes.
x, y, u, v, L = Node(), Node(), Node(), Node(), Node()


def forward(x_value: float) -> None:
    """L690–696 with y = sin x, u = y², v = exp(y), L = u·v: set the .value of every node."""
    raise NotImplementedError("forward: set x.value, y.value, u.value, v.value and L.value (L690–696)")


def backward() -> None:
    """L704–710: zero every .grad, set L.grad = 1, then one += line per edge, from L back to x."""
    raise NotImplementedError("backward: accumulate the gradients with += as in L704–710")


def fanout(x_value: float) -> dict[str, float]:
    """Run the forward and backward pass; return the values and gradients. (Given: do not change.)"""
    forward(x_value)
    backward()
    return {"y": y.value, "u": u.value, "v": v.value, "L": L.value,
            "dL_du": u.grad, "dL_dv": v.grad, "dL_dy": y.grad, "dL_dx": x.grad}

