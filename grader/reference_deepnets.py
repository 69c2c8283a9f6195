"""Float64 references for chapter 3 of the notes (deep networks): thin, validating wrappers over the
``@njit`` kernels in ``grader.kernels.deepnets`` (and the affine/sigmoid kernels of ``grader.reference``).

Conventions: minibatch layers are X (N,D) @ A (D,M) + b (L930-937); hidden units are sigmoids and the
MLP's last layer is linear; batch gradients are SUMS over the examples for a given upstream gradient.
The linear-collapse helpers use the single-sample orientation of L1112-1120, y = A x + b with A (out, in).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from grader import reference as ref
from grader.kernels import deepnets

F64 = NDArray[np.float64]


def _array(name: str, x: ArrayLike, ndim: int) -> F64:
    a = np.asarray(x, dtype=np.float64, order="C")
    if a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {a.shape}")
    return a


def _mlp2_args(X: ArrayLike, A1: ArrayLike, b1: ArrayLike, A2: ArrayLike, b2: ArrayLike) -> tuple[F64, ...]:
    Xa, A1a, b1a = _array("X", X, 2), _array("A1", A1, 2), _array("b1", b1, 1)
    A2a, b2a = _array("A2", A2, 2), _array("b2", b2, 1)
    if A1a.shape[0] != Xa.shape[1] or b1a.shape != (A1a.shape[1],) or A2a.shape[0] != A1a.shape[1] \
            or b2a.shape != (A2a.shape[1],):
        raise ValueError(f"need X (N,D), A1 (D,H), b1 (H,), A2 (H,K), b2 (K,); got {Xa.shape}, {A1a.shape}, "
                         f"{b1a.shape}, {A2a.shape}, {b2a.shape}")
    return Xa, A1a, b1a, A2a, b2a


# --- the batched bilinear map of L908-917 -------------------------------------------------------------


def _bilinear_args(A: ArrayLike, B: ArrayLike) -> tuple[F64, F64]:
    Aa, Ba = _array("A", A, 3), _array("B", B, 3)
    if Aa.shape[0] != Ba.shape[0] or Aa.shape[2] != Ba.shape[2]:
        raise ValueError(f"need A (G,I,K) and B (G,J,K); got {Aa.shape} and {Ba.shape}")
    return Aa, Ba


def bilinear_sigmoid_forward(A: ArrayLike, B: ArrayLike) -> tuple[F64, F64]:
    """(U, Y) with U[h,i,j] = Σ_k A[h,i,k]·B[h,j,k] (np.einsum('hik,hjk->hij')) and Y = σ(U) (L908-909)."""
    return deepnets.bilinear_sigmoid_forward(*_bilinear_args(A, B))


def bilinear_sigmoid_backward(A: ArrayLike, B: ArrayLike, U: ArrayLike, Y_grad: ArrayLike) -> tuple[F64, F64, F64]:
    """(A_grad (G,I,K), B_grad (G,J,K), U_grad (G,I,J)) of L915-917 with the indices restored (erratum 4)."""
    Aa, Ba = _bilinear_args(A, B)
    Ua, Ga = _array("U", U, 3), _array("Y_grad", Y_grad, 3)
    shape = (Aa.shape[0], Aa.shape[1], Ba.shape[1])
    if Ua.shape != shape or Ga.shape != shape:
        raise ValueError(f"U and Y_grad must have shape {shape}; got {Ua.shape} and {Ga.shape}")
    return deepnets.bilinear_sigmoid_backward(Aa, Ba, Ua, Ga)


# --- the two-layer MLP of §3.1 (affine → sigmoid → affine → ½ squared error) ------------------------


def mlp2_forward(X: ArrayLike, A1: ArrayLike, b1: ArrayLike, A2: ArrayLike, b2: ArrayLike) -> tuple[F64, F64]:
    """(H, Ŷ) with H = σ(X A1 + b1) (N,H) and Ŷ = H A2 + b2 (N,K)."""
    return deepnets.mlp2_forward(*_mlp2_args(X, A1, b1, A2, b2))


def mlp2_loss(Yhat: ArrayLike, Y: ArrayLike) -> float:
    """L = ½ Σ_{n,k} (Ŷ - Y)², summed over the batch."""
    Ya, Yh = _array("Y", Y, 2), _array("Yhat", Yhat, 2)
    if Ya.shape != Yh.shape:
        raise ValueError(f"Y and Yhat differ in shape: {Ya.shape} vs {Yh.shape}")
    return float(0.5 * np.sum((Yh - Ya) ** 2))


def mlp2_backward(X: ArrayLike, Y: ArrayLike, A2: ArrayLike, H: ArrayLike,
                  Yhat: ArrayLike) -> tuple[F64, F64, F64, F64, F64]:
    """Gradients of mlp2_loss through mlp2_forward's cached H and Ŷ: (dA1 (D,H), db1, dA2 (H,K), db2, dH (N,H))."""
    Xa, Ya, A2a, Ha, Yh = (_array(n, v, 2) for n, v in (("X", X), ("Y", Y), ("A2", A2), ("H", H), ("Yhat", Yhat)))
    n, hdim, k = Xa.shape[0], A2a.shape[0], A2a.shape[1]
    if Ha.shape != (n, hdim) or Yh.shape != (n, k) or Ya.shape != (n, k):
        raise ValueError(f"need H {(n, hdim)}, Yhat and Y {(n, k)}; got {Ha.shape}, {Yh.shape}, {Ya.shape}")
    return deepnets.mlp2_backward(Xa, Ya, A2a, Ha, Yh)


# --- an MLP of any depth (§3.3): sigmoid hidden layers, linear output -------------------------------


def _layers(X: F64, params: list) -> list[tuple[F64, F64]]:
    if len(params) % 2 or not params:
        raise ValueError("params must be [A1, b1, A2, b2, ...]")
    layers, width = [], X.shape[1]
    for i in range(0, len(params), 2):
        A, b = _array(f"A{i // 2 + 1}", params[i], 2), _array(f"b{i // 2 + 1}", params[i + 1], 1)
        if A.shape[0] != width or b.shape != (A.shape[1],):
            raise ValueError(f"layer {i // 2 + 1}: A {A.shape} and b {b.shape} do not follow width {width}")
        layers.append((A, b))
        width = A.shape[1]
    return layers


def mlp_forward(X: ArrayLike, params: list) -> list[F64]:
    """The outputs of every layer: [H1, ..., H_{L-1}, Ŷ] with H_i = σ(H_{i-1} A_i + b_i) and Ŷ = H A_L + b_L."""
    Xa = _array("X", X, 2)
    outs, h = [], Xa
    layers = _layers(Xa, params)
    for i, (A, b) in enumerate(layers):
        u = ref.affine_forward(h, A, b)
        h = u if i == len(layers) - 1 else ref.sigmoid(u)
        outs.append(h)
    return outs


def mlp_backward(X: ArrayLike, params: list, G: ArrayLike) -> tuple[list[F64], F64]:
    """For the upstream gradient G = ∂L/∂Ŷ (N,K): ([dA1, db1, ..., dA_L, db_L], dX), sums over the batch."""
    Xa = _array("X", X, 2)
    layers = _layers(Xa, params)
    outs = mlp_forward(Xa, params)
    g = _array("G", G, 2)
    if g.shape != outs[-1].shape:
        raise ValueError(f"G must have shape {outs[-1].shape}, got {g.shape}")
    grads: list[F64] = []
    for i in range(len(layers) - 1, -1, -1):
        inp = Xa if i == 0 else outs[i - 1]
        if i < len(layers) - 1:  # through the sigmoid of layer i
            g = ref.edf_sigmoid_backward(outs[i], g)  # g · h(1 - h): σ' from the layer's output
        dX, dA, db = ref.affine_backward(g, inp, layers[i][0])
        grads = [dA, db] + grads
        g = dX
    return grads, g


# --- XOR (§3.2) -----------------------------------------------------------------------------------


def threshold_unit(X: ArrayLike, w: ArrayLike, w0: float) -> NDArray[np.int64]:
    """[wᵀx + w0 > 0] for every row x of X (N,D), as int64 0/1 (L964-967)."""
    Xa, wa = _array("X", X, 2), _array("w", w, 1)
    if wa.shape != (Xa.shape[1],):
        raise ValueError(f"w must have shape ({Xa.shape[1]},), got {wa.shape}")
    return deepnets.threshold_unit(Xa, wa, float(w0))


def _xor_args(X: ArrayLike, A1: ArrayLike, b1: ArrayLike, a2: ArrayLike) -> tuple[F64, F64, F64, F64]:
    Xa, A1a, b1a, a2a = _array("X", X, 2), _array("A1", A1, 2), _array("b1", b1, 1), _array("a2", a2, 1)
    if A1a.shape[0] != Xa.shape[1] or b1a.shape != (A1a.shape[1],) or a2a.shape != (A1a.shape[1],):
        raise ValueError(f"need X (N,D), A1 (D,H), b1 (H,), a2 (H,); got {Xa.shape}, {A1a.shape}, {b1a.shape}, "
                         f"{a2a.shape}")
    return Xa, A1a, b1a, a2a


def xor_net_forward(X: ArrayLike, A1: ArrayLike, b1: ArrayLike, a2: ArrayLike, b2: float) -> tuple[F64, F64]:
    """(H, ŷ): H = σ(X A1 + b1) (N,H), ŷ = σ(H a2 + b2) (N,) (L1049-1053 in minibatch form)."""
    return deepnets.xor_net_forward(*_xor_args(X, A1, b1, a2), float(b2))


def xor_net_grads(X: ArrayLike, y: ArrayLike, A1: ArrayLike, b1: ArrayLike, a2: ArrayLike,
                  b2: float) -> tuple[float, F64, F64, F64, float]:
    """(loss, dA1, db1, da2, db2) for the MEAN binary cross-entropy over the N rows."""
    Xa, A1a, b1a, a2a = _xor_args(X, A1, b1, a2)
    ya = _array("y", y, 1)
    if ya.shape != (Xa.shape[0],):
        raise ValueError(f"y must have shape ({Xa.shape[0]},), got {ya.shape}")
    loss, dA1, db1, da2, db2 = deepnets.xor_net_grads(Xa, ya, A1a, b1a, a2a, float(b2))
    return float(loss), dA1, db1, da2, float(db2)


def xor_net_train(X: ArrayLike, y: ArrayLike, A1: ArrayLike, b1: ArrayLike, a2: ArrayLike, b2: float,
                  rate: float, steps: int) -> tuple[F64, F64, F64, float, F64]:
    """`steps` full-batch gradient-descent steps of size `rate`: (A1, b1, a2, b2, losses before each step)."""
    Xa, A1a, b1a, a2a = _xor_args(X, A1, b1, a2)
    ya = _array("y", y, 1)
    if ya.shape != (Xa.shape[0],) or steps < 0:
        raise ValueError(f"y must have shape ({Xa.shape[0]},) and steps >= 0")
    A1n, b1n, a2n, b2n, losses = deepnets.xor_net_train(Xa, ya, A1a, b1a, a2a, float(b2), float(rate), int(steps))
    return A1n, b1n, a2n, float(b2n), losses


# --- linear activations collapse (§3.3, L1112-1120) -----------------------------------------------


def collapse_linear(As: list, bs: list) -> tuple[F64, F64]:
    """(A, b) with A = A_L ··· A_1 and b = A_L(···(A_2 b_1 + b_2)···) + b_L, for layers y = A_i x + b_i with
    A_i of shape (out, in)."""
    if not As or len(As) != len(bs):
        raise ValueError("need as many biases as matrices, at least one layer")
    A = _array("A1", As[0], 2)
    b = _array("b1", bs[0], 1)
    for i, (Ai, bi) in enumerate(zip(As[1:], bs[1:], strict=True), start=2):
        Aa, ba = _array(f"A{i}", Ai, 2), _array(f"b{i}", bi, 1)
        if Aa.shape[1] != A.shape[0] or ba.shape != (Aa.shape[0],):
            raise ValueError(f"layer {i}: A {Aa.shape}, b {ba.shape} do not follow width {A.shape[0]}")
        A = ref.matmul(Aa, A)
        b = ref.matmul(Aa, b[:, None])[:, 0] + ba
    if b.shape != (A.shape[0],):
        raise ValueError(f"b1 must have shape ({A.shape[0]},), got {b.shape}")
    return A, b


def linear_stack(As: list, bs: list, X: ArrayLike) -> F64:
    """The stack applied layer by layer to the rows of X (N, in): Y = (...(X A_1ᵀ + b_1)...) A_Lᵀ + b_L."""
    h = _array("X", X, 2)
    for i, (Ai, bi) in enumerate(zip(As, bs, strict=True), start=1):
        Aa = _array(f"A{i}", Ai, 2)
        h = ref.affine_forward(h, np.ascontiguousarray(Aa.T), _array(f"b{i}", bi, 1))
    return h


# --- sums of sigmoids (§3.4) ----------------------------------------------------------------------


def _sum_args(alpha: ArrayLike, a: ArrayLike, b: ArrayLike) -> tuple[F64, F64, F64]:
    al, aa, ba = _array("alpha", alpha, 1), _array("a", a, 1), _array("b", b, 1)
    if not al.shape == aa.shape == ba.shape:
        raise ValueError(f"alpha, a, b must have the same shape; got {al.shape}, {aa.shape}, {ba.shape}")
    return al, aa, ba


def sigmoid_sum(x: ArrayLike, alpha: ArrayLike, a: ArrayLike, b: ArrayLike, c: float) -> F64:
    """G(x) = c + Σ_j α_j σ(a_j x + b_j) at the points x (P,) (L1130 with an output bias c)."""
    return deepnets.sigmoid_sum(_array("x", x, 1), *_sum_args(alpha, a, b), float(c))


def sigmoid_sum_mse_grads(x: ArrayLike, y: ArrayLike, alpha: ArrayLike, a: ArrayLike, b: ArrayLike,
                          c: float) -> tuple[float, F64, F64, F64, float]:
    """L = mean_p (G(x_p) - y_p)² and (L, dα, da, db, dc)."""
    xa, ya = _array("x", x, 1), _array("y", y, 1)
    if xa.shape != ya.shape:
        raise ValueError(f"x and y differ in shape: {xa.shape} vs {ya.shape}")
    loss, dal, da, db, dc = deepnets.sigmoid_sum_mse_grads(xa, ya, *_sum_args(alpha, a, b), float(c))
    return float(loss), dal, da, db, float(dc)


def step_sum_params(knots: ArrayLike, values: ArrayLike, steepness: float) -> tuple[F64, F64, F64, float]:
    """(α, a, b, c) of the staircase through (knots, values): c = values[0]; unit j steps by
    values[j+1] - values[j] at the midpoint of [knots[j], knots[j+1]] with slope `steepness`."""
    ka, va = _array("knots", knots, 1), _array("values", values, 1)
    if ka.shape != va.shape or ka.shape[0] < 2 or np.any(np.diff(ka) <= 0):
        raise ValueError("knots and values need the same shape (at least 2) and increasing knots")
    alpha, a, b, c = deepnets.step_sum_params(ka, va, float(steepness))
    return alpha, a, b, float(c)
