"""Float64 reference implementations the checks compare learner code against.

Thin wrappers over the ``@njit`` kernels in ``grader.kernels``: they accept any array-like,
convert to C-contiguous float64 (int64 for class labels), validate shapes (the kernels do no
bounds checking) and return float64 arrays, Python floats or tuples of them.

Conventions: batch gradients are SUMS over examples (notes eq. 10), never means; minibatch
affine layers use X (N,D) @ A (D,M); the single-sample loop layer uses A (M,D) with u = Ax
excluding b (notes L884-886, curriculum §13 erratum 3).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from grader.kernels import activations, linear, losses, scalar_graphs

F64 = NDArray[np.float64]


def _f64(x: ArrayLike) -> F64:
    # Not np.ascontiguousarray: it turns 0-d input into shape (1,).
    return np.asarray(x, dtype=np.float64, order="C")


def _array(name: str, x: ArrayLike, ndim: int) -> F64:
    a = _f64(x)
    if a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {a.shape}")
    return a


def _labels(y: ArrayLike, n: int, classes: int) -> NDArray[np.int64]:
    labels = np.asarray(y, dtype=np.int64, order="C")
    if labels.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), got {labels.shape}")
    if n and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"labels must lie in [0, {classes}), got range [{labels.min()}, {labels.max()}]")
    return labels


def _elementwise(kernel: Callable[..., F64], *args: ArrayLike) -> F64:
    # Broadcast once here so the 1-D kernels see equal-length flat arrays.
    arrays = np.broadcast_arrays(*(_f64(a) for a in args))
    shape = arrays[0].shape
    # Copies: broadcast views are read-only, which Numba warns about.
    flat = [np.array(a, dtype=np.float64, order="C").ravel() for a in arrays]
    return kernel(*flat).reshape(shape)


def _rowwise(kernel: Callable[..., F64], *args: ArrayLike) -> F64:
    # Any shape: rows are the last axis.
    arrays = [_f64(a) for a in args]
    shape = arrays[0].shape
    if not shape or shape[-1] == 0:
        raise ValueError(f"row-wise op needs a non-empty last axis, got shape {shape}")
    for a in arrays[1:]:
        if a.shape != shape:
            raise ValueError(f"shapes differ: {shape} vs {a.shape}")
    return kernel(*(a.reshape(-1, shape[-1]) for a in arrays)).reshape(shape)


# --- sigmoid ------------------------------------------------------------------------------


def sigmoid(x: ArrayLike) -> F64:
    """σ(x) = 1/(1+e^{-x}) elementwise, any shape; stable (no overflow) for any |x|."""
    return _elementwise(activations.sigmoid, x)


def sigmoid_grad(x: ArrayLike) -> F64:
    """σ'(x) = σ(x)(1-σ(x)) elementwise, any shape."""
    return _elementwise(activations.sigmoid_grad, x)


def edf_sigmoid_forward(x: ArrayLike) -> F64:
    """The notes' edf Sigmoid node (L813-823): clamp x to [-10, 10], then 1/(1+e^{-x}).

    Its true derivative is 0 for |x| > 10 (curriculum §13 erratum 2).
    """
    return _elementwise(activations.edf_sigmoid_forward, x)


def edf_sigmoid_backward(value: ArrayLike, grad: ArrayLike) -> F64:
    """What the edf Sigmoid node sends to its input: grad * value * (1 - value), value = its output."""
    return _elementwise(activations.edf_sigmoid_backward, value, grad)


# --- binary cross-entropy and logistic regression -----------------------------------------


def bce(yhat: ArrayLike, y: ArrayLike) -> F64:
    """Per-element BCE -y log ŷ - (1-y) log(1-ŷ) (notes eq. 7), broadcast; 0·log 0 counts as 0."""
    return _elementwise(losses.bce, yhat, y)


def bce_grad_yhat(yhat: ArrayLike, y: ArrayLike) -> F64:
    """∂BCE/∂ŷ = (ŷ-y)/(ŷ(1-ŷ)) per element (notes L728 step 3), broadcast."""
    return _elementwise(losses.bce_grad_yhat, yhat, y)


def bce_with_logits(s: ArrayLike, y: ArrayLike) -> F64:
    """Per-element BCE(σ(s), y) = max(s,0) - s·y + log1p(e^{-|s|}); finite for any |s|. ∂/∂s = σ(s)-y."""
    return _elementwise(losses.bce_with_logits, s, y)


def _logreg_args(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> tuple[F64, F64, F64]:
    Xa = _array("X", X, 2)
    wa = _array("w", w, 1)
    ya = _array("y", y, 1)
    if wa.shape[0] != Xa.shape[1] or ya.shape[0] != Xa.shape[0]:
        raise ValueError(f"need w (D,), X (N,D), y (N,); got {wa.shape}, {Xa.shape}, {ya.shape}")
    return wa, Xa, ya


def logreg_loss(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """Σ_i BCE(σ(w·x_i), y_i), a SUM over the N rows of X (N,D), computed stably from the logits."""
    return float(losses.logreg_loss(*_logreg_args(w, X, y)))


def logreg_grad(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> F64:
    """∇_w logreg_loss = Σ_i (σ(w·x_i) - y_i) x_i, shape (D,) (notes eq. 9-10: SUM, not mean)."""
    return losses.logreg_grad(*_logreg_args(w, X, y))


# --- affine layers and matmul -------------------------------------------------------------


def matmul(A: ArrayLike, B: ArrayLike) -> F64:
    """A (N,K) @ B (K,M) -> (N,M)."""
    Aa, Ba = _array("A", A, 2), _array("B", B, 2)
    if Aa.shape[1] != Ba.shape[0]:
        raise ValueError(f"matmul shapes {Aa.shape} and {Ba.shape} do not chain")
    return linear.matmul(Aa, Ba)


def _affine_params(X: F64, A: ArrayLike) -> F64:
    Aa = _array("A", A, 2)
    if Aa.shape[0] != X.shape[1]:
        raise ValueError(f"need X (N,D) and A (D,M); got {X.shape} and {Aa.shape}")
    return Aa


def affine_forward(X: ArrayLike, A: ArrayLike, b: ArrayLike) -> F64:
    """X @ A + b with X (N,D), A (D,M), b (M,) -> (N,M) (minibatch orientation, notes L930-951)."""
    Xa = _array("X", X, 2)
    Aa = _affine_params(Xa, A)
    ba = _array("b", b, 1)
    if ba.shape[0] != Aa.shape[1]:
        raise ValueError(f"b must have shape ({Aa.shape[1]},), got {ba.shape}")
    return linear.affine_forward(Xa, Aa, ba)


def affine_backward(G: ArrayLike, X: ArrayLike, A: ArrayLike) -> tuple[F64, F64, F64]:
    """(dX, dA, db) = (G Aᵀ, Xᵀ G, Σ_rows G) for upstream G (N,M); dA and db are SUMS over the batch."""
    Xa = _array("X", X, 2)
    Aa = _affine_params(Xa, A)
    Ga = _array("G", G, 2)
    if Ga.shape != (Xa.shape[0], Aa.shape[1]):
        raise ValueError(f"G must have shape {(Xa.shape[0], Aa.shape[1])}, got {Ga.shape}")
    return linear.affine_backward(Ga, Xa, Aa)


def affine_backward_per_example(G: ArrayLike, X: ArrayLike) -> tuple[F64, F64]:
    """What edf's Affine node passes to Parameter.addgrad (notes L951), before addgrad sums axis 0.

    Returns (dA_per_example (N,D,M) = X[:,:,None]*G[:,None,:], db_per_example (N,M) = G).
    """
    Ga, Xa = _array("G", G, 2), _array("X", X, 2)
    if Ga.shape[0] != Xa.shape[0]:
        raise ValueError(f"G and X need the same batch size; got {Ga.shape} and {Xa.shape}")
    return linear.affine_backward_per_example(Ga, Xa), Ga.copy()


def _loop_args(A: ArrayLike, x: ArrayLike, b: ArrayLike) -> tuple[F64, F64, F64]:
    Aa, xa, ba = _array("A", A, 2), _array("x", x, 1), _array("b", b, 1)
    if xa.shape[0] != Aa.shape[1] or ba.shape[0] != Aa.shape[0]:
        raise ValueError(f"need A (M,D), x (D,), b (M,); got {Aa.shape}, {xa.shape}, {ba.shape}")
    return Aa, xa, ba


def affine_sigmoid_loops_forward(A: ArrayLike, x: ArrayLike, b: ArrayLike) -> tuple[F64, F64]:
    """The notes' loop code (L884-886) with A (M,D), x (D,), b (M,): returns (u, y).

    u = A x WITHOUT b (curriculum §13 erratum 3); y = σ(u + b).
    """
    return linear.affine_sigmoid_loops_forward(*_loop_args(A, x, b))


def affine_sigmoid_loops_backward(
    A: ArrayLike, x: ArrayLike, b: ArrayLike, u: ArrayLike, y_grad: ArrayLike
) -> tuple[F64, F64, F64, F64]:
    """The notes' backward loops (L892-900): returns (A_grad (M,D), x_grad (D,), b_grad (M,), u_grad (M,)).

    u_grad[i] = b_grad[i] = y_grad[i]·σ'(u[i]+b[i]); A_grad[i,j] = u_grad[i]·x[j];
    x_grad[j] = Σ_i u_grad[i]·A[i,j].  u is the forward's u (= A x, without b).
    """
    Aa, xa, ba = _loop_args(A, x, b)
    ua, ga = _array("u", u, 1), _array("y_grad", y_grad, 1)
    if ua.shape != ba.shape or ga.shape != ba.shape:
        raise ValueError(f"u and y_grad must have shape {ba.shape}; got {ua.shape} and {ga.shape}")
    return linear.affine_sigmoid_loops_backward(Aa, xa, ba, ua, ga)


# --- softmax and categorical cross-entropy ------------------------------------------------


def softmax(S: ArrayLike) -> F64:
    """Row-wise softmax over the last axis (S is (N,C) in the checks), stable: subtracts each row's max."""
    return _rowwise(activations.softmax_rows, S)


def softmax_backward(P: ArrayLike, G: ArrayLike) -> F64:
    """Vector-Jacobian product of softmax: P * (G - Σ_c G·P) per row, P the softmax output, G upstream."""
    return _rowwise(activations.softmax_backward_rows, P, G)


def _ce_args(P: ArrayLike, y: ArrayLike) -> tuple[F64, NDArray[np.int64]]:
    Pa = _array("P", P, 2)
    return Pa, _labels(y, Pa.shape[0], Pa.shape[1])


def cross_entropy(P: ArrayLike, y: ArrayLike) -> F64:
    """Per-row -log P[i, y_i] -> (N,), for probabilities P (N,C) and integer labels y (N,)."""
    return losses.cross_entropy(*_ce_args(P, y))


def cross_entropy_backward(P: ArrayLike, y: ArrayLike, g: ArrayLike) -> F64:
    """dP (N,C) for upstream g (N,): zero except dP[i, y_i] = -g[i] / P[i, y_i]."""
    Pa, labels = _ce_args(P, y)
    ga = _array("g", g, 1)
    if ga.shape != (Pa.shape[0],):
        raise ValueError(f"g must have shape ({Pa.shape[0]},), got {ga.shape}")
    return losses.cross_entropy_backward(Pa, labels, ga)


# --- scalar computation graphs (notes §2.2-2.3) -------------------------------------------


def _floats(values: tuple) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def linreg_fine(w0: float, w1: float, x: float, y: float) -> tuple[float, ...]:
    """u = w1·x; ŷ = w0 + u; z = ŷ - y; L = z².

    Returns (u, yhat, z, L, dL_dz, dL_dyhat, dL_du, dL_dw0, dL_dw1).
    """
    return _floats(scalar_graphs.linreg_fine(float(w0), float(w1), float(x), float(y)))


def linreg_coarse(w0: float, w1: float, x: float, y: float) -> tuple[float, ...]:
    """ŷ = w0 + w1·x; L = (ŷ - y)².  Returns (yhat, L, dL_dyhat, dL_dw0, dL_dw1)."""
    return _floats(scalar_graphs.linreg_coarse(float(w0), float(w1), float(x), float(y)))


def logreg_scalar(w0: float, w1: float, x: float, y: float) -> tuple[float, ...]:
    """Notes L719-728: u = w0 + w1·x; ŷ = σ(u); L = BCE(ŷ, y).

    Returns (u, yhat, L, dL_dyhat, dL_du, dL_dw0, dL_dw1); dL_du = ŷ - y.
    """
    return _floats(scalar_graphs.logreg_scalar(float(w0), float(w1), float(x), float(y)))


def fanout(x: float) -> tuple[float, ...]:
    """Fan-out graph of notes L669-681 with y = sin x; u = y²; v = e^y; L = u·v.

    Returns (y, u, v, L, dL_du, dL_dv, dL_dy, dL_dx); dL_dy sums both paths.
    """
    return _floats(scalar_graphs.fanout(float(x)))


def fanout_paths(x: float) -> tuple[float, float]:
    """The two terms whose SUM is fanout's dL_dy: (dL/du·du/dy, dL/dv·dv/dy) = (2y·v, u·e^y)."""
    via_u, via_v = scalar_graphs.fanout_paths(float(x))
    return float(via_u), float(via_v)

