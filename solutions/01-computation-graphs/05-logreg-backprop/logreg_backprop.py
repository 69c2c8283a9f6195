"""Reference solution for `logreg-backprop` (notes §2.3.3)."""

import math


def _sigmoid(u: float) -> float:
    return 1.0 / (1.0 + math.exp(-u))


def forward(w0: float, w1: float, x: float, y: float) -> dict[str, float]:
    """(1) u = w0 + w1·x  (2) ŷ = σ(u)  (3) L = −y log ŷ − (1 − y) log(1 − ŷ)  (L719)."""
    u = w0 + w1 * x
    yhat = _sigmoid(u)
    L = -y * math.log(yhat) - (1.0 - y) * math.log(1.0 - yhat)
    return {"u": u, "yhat": yhat, "L": L}


def backward(w0: float, w1: float, x: float, y: float, values: dict[str, float]) -> dict[str, float]:
    """The backward steps (3), (2), (1) of L728, from the forward values."""
    yhat, s = values["yhat"], _sigmoid(values["u"])
    dL_dyhat = (yhat - y) / (yhat * (1.0 - yhat))  # (3)
    dL_du = dL_dyhat * s * (1.0 - s)  # (2) dŷ/du = σ(u)(1 − σ(u))
    dL_dw0 = dL_du * 1.0  # (1) du/dw0 = 1
    dL_dw1 = dL_du * x  # (1) du/dw1 = x
    return {"dL_dyhat": dL_dyhat, "dL_du": dL_du, "dL_dw0": dL_dw0, "dL_dw1": dL_dw1}
