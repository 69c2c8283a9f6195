"""Reference solution for `fanout` (notes §2.3.2–2.3.3)."""

import math


class Node:
    """A variable of the graph: .value is set by the forward pass, .grad by the backward pass."""

    def __init__(self) -> None:
        self.value = 0.0
        self.grad = 0.0


# The graph of L669–672: x -> y -> (u, v) -> L. The nodes live as long as the module, as in the notes.
x, y, u, v, L = Node(), Node(), Node(), Node(), Node()


def forward(x_value: float) -> None:
    """L690–696 with y = sin x, u = y², v = exp(y), L = u·v: set the .value of every node."""
    x.value = x_value
    y.value = math.sin(x.value)
    u.value = y.value**2
    v.value = math.exp(y.value)
    L.value = u.value * v.value


def backward() -> None:
    """L704–710: zero every .grad, set L.grad = 1, then one += line per edge, from L back to x."""
    x.grad = y.grad = u.grad = v.grad = 0.0
    L.grad = 1.0
    u.grad += L.grad * v.value  # dL/du = v
    v.grad += L.grad * u.value  # dL/dv = u
    y.grad += u.grad * 2.0 * y.value  # du/dy = 2y
    y.grad += v.grad * math.exp(y.value)  # dv/dy = e^y: the second path into y (fan-out)
    x.grad += y.grad * math.cos(x.value)  # dy/dx = cos x


def fanout(x_value: float) -> dict[str, float]:
    """Run the forward and backward pass; return the values and gradients. (Given: do not change.)"""
    forward(x_value)
    backward()
    return {"y": y.value, "u": u.value, "v": v.value, "L": L.value,
            "dL_du": u.grad, "dL_dv": v.grad, "dL_dy": y.grad, "dL_dx": x.grad}
