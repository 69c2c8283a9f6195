"""Reference solution for `linreg-graph` (notes §2.2)."""


def fine_forward(w0: float, w1: float, x: float, y: float) -> dict[str, float]:
    """(1) u = w1·x  (2) ŷ = w0 + u  (3) z = ŷ − y  (4) L = z²  (L538–541)."""
    u = w1 * x
    yhat = w0 + u
    z = yhat - y
    L = z**2
    return {"u": u, "yhat": yhat, "z": z, "L": L}


def fine_backward(w0: float, w1: float, x: float, y: float, values: dict[str, float]) -> dict[str, float]:
    """Gradients of L, node by node in reverse order, from the forward values."""
    dL_dz = 2.0 * values["z"]  # (4) L = z²
    dL_dyhat = dL_dz * 1.0  # (3) z = ŷ − y: dz/dŷ = 1
    dL_du = dL_dyhat * 1.0  # (2) ŷ = w0 + u: dŷ/du = 1
    dL_dw0 = dL_dyhat * 1.0  # (2) dŷ/dw0 = 1
    dL_dw1 = dL_du * x  # (1) u = w1·x: du/dw1 = x
    return {"dL_dz": dL_dz, "dL_dyhat": dL_dyhat, "dL_du": dL_du, "dL_dw0": dL_dw0, "dL_dw1": dL_dw1}


def coarse_forward(w0: float, w1: float, x: float, y: float) -> dict[str, float]:
    """(1) ŷ = w0 + w1·x  (2) L = (ŷ − y)²  (L556–557)."""
    yhat = w0 + w1 * x
    L = (yhat - y) ** 2
    return {"yhat": yhat, "L": L}


def coarse_backward(w0: float, w1: float, x: float, y: float, values: dict[str, float]) -> dict[str, float]:
    """Gradients of the coarse graph."""
    dL_dyhat = 2.0 * (values["yhat"] - y)  # (2) L = (ŷ − y)²
    return {"dL_dyhat": dL_dyhat, "dL_dw0": dL_dyhat * 1.0, "dL_dw1": dL_dyhat * x}  # (1) ŷ = w0 + w1·x
