"""Float64 references for chapter 4 (notes §4.1-4.2.2): thin, validating wrappers over grader.kernels.blocks.

Conventions (the exercises state them): batch losses are SUMS over every entry; the subgradient of |x| at 0
is 0; the Laplace scale is predicted as s = log b; ELU(x) = x for x > 0, α(eˣ - 1) otherwise; PReLU has one
slope per column of X (N, C); maxout unit j takes the contiguous columns j·k … j·k+k-1 of Z (N, M·k), ties
going to the lowest column; standardization uses the 1/N variance and std 1 for a constant feature;
initializers draw W (D_in, D_out) = rng.standard_normal((D_in, D_out)) * std.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from grader import reference as ref
from grader.kernels import blocks
from grader.reference import F64, _array, _elementwise, _f64, _labels, _rowwise

# --- regression losses ----------------------------------------------------------------------


def _pair(a: ArrayLike, b: ArrayLike) -> tuple[F64, F64, tuple[int, ...]]:
    aa, ba = _f64(a), _f64(b)
    if aa.shape != ba.shape:
        raise ValueError(f"prediction and target shapes differ: {aa.shape} vs {ba.shape}")
    return aa.ravel().copy(), ba.ravel().copy(), aa.shape


def l2_loss(yhat: ArrayLike, y: ArrayLike) -> float:
    """Σ (ŷ - y)² over every entry (a SUM, notes L1249)."""
    a, b, _ = _pair(yhat, y)
    return float(blocks.l2_loss(a, b))


def l2_grad(yhat: ArrayLike, y: ArrayLike) -> F64:
    """∂/∂ŷ Σ (ŷ - y)² = 2(ŷ - y)."""
    a, b, shape = _pair(yhat, y)
    return blocks.l2_grad(a, b).reshape(shape)


def l1_loss(yhat: ArrayLike, y: ArrayLike) -> float:
    """Σ |ŷ - y| over every entry (notes L1272-1277)."""
    a, b, _ = _pair(yhat, y)
    return float(blocks.l1_loss(a, b))


def l1_grad(yhat: ArrayLike, y: ArrayLike) -> F64:
    """sign(ŷ - y), with 0 where ŷ = y."""
    a, b, shape = _pair(yhat, y)
    return blocks.l1_grad(a, b).reshape(shape)


def _laplace_args(mu: ArrayLike, log_b: ArrayLike, y: ArrayLike) -> tuple[F64, F64, F64, tuple[int, ...]]:
    m, s, shape = _pair(mu, log_b)
    m2, t, _ = _pair(mu, y)
    return m, s, t, shape


def laplace_nll(mu: ArrayLike, log_b: ArrayLike, y: ArrayLike) -> float:
    """Σ log(2b) + |y - μ|/b with b = exp(log_b) (notes L1285-1288), log 2 included."""
    m, s, t, _ = _laplace_args(mu, log_b, y)
    return float(blocks.laplace_nll(m, s, t))


def laplace_nll_grad(mu: ArrayLike, log_b: ArrayLike, y: ArrayLike) -> tuple[F64, F64]:
    """(∂/∂μ, ∂/∂log_b) = (sign(μ - y)/b, 1 - |y - μ|/b), per entry."""
    m, s, t, shape = _laplace_args(mu, log_b, y)
    dmu, ds = blocks.laplace_nll_grad(m, s, t)
    return dmu.reshape(shape), ds.reshape(shape)


# --- binary cross-entropy --------------------------------------------------------------------


def bce_loss(p: ArrayLike, y: ArrayLike) -> float:
    """Σ -y log p - (1-y) log(1-p) over every entry (notes L1347-1351)."""
    return float(np.sum(ref.bce(p, y)))


def bce_grad(p: ArrayLike, y: ArrayLike) -> F64:
    """∂/∂p = (p - y) / (p(1 - p)) per entry."""
    return ref.bce_grad_yhat(p, y)


def bce_logits_loss(s: ArrayLike, y: ArrayLike) -> float:
    """Σ BCE(σ(s), y), computed from the logits: finite for any |s|."""
    return float(np.sum(ref.bce_with_logits(s, y)))


def bce_logits_grad(s: ArrayLike, y: ArrayLike) -> F64:
    """∂/∂s = σ(s) - y per entry."""
    return ref.sigmoid(s) - _f64(y)


# --- softmax, log-softmax, softmax cross-entropy -----------------------------------------------


def softmax(S: ArrayLike) -> F64:
    """Row-wise softmax of S (N, C)."""
    return ref.softmax(_array("S", S, 2))


def softmax_backward(S: ArrayLike, G: ArrayLike) -> F64:
    """VJP of softmax at S for upstream G (N, C): P ⊙ (G - Σ_c G P)."""
    Sa, Ga = _array("S", S, 2), _array("G", G, 2)
    return ref.softmax_backward(ref.softmax(Sa), Ga)


def log_softmax(S: ArrayLike) -> F64:
    """Row-wise s_c - log Σ_k exp(s_k) (notes L1416), stable."""
    return _rowwise(blocks.log_softmax_rows, _array("S", S, 2))


def log_softmax_backward(S: ArrayLike, G: ArrayLike) -> F64:
    """VJP of log-softmax at S for upstream G (N, C): G - softmax(S) Σ_c G."""
    return _rowwise(blocks.log_softmax_backward_rows, _array("S", S, 2), _array("G", G, 2))


def _ce_args(S: ArrayLike, y: ArrayLike) -> tuple[F64, NDArray[np.int64]]:
    Sa = _array("S", S, 2)
    return Sa, _labels(y, Sa.shape[0], Sa.shape[1])


def softmax_ce_per_example(S: ArrayLike, y: ArrayLike) -> F64:
    """-log softmax(S)[i, y_i] per row, (N,)."""
    return blocks.softmax_ce_rows(*_ce_args(S, y))


def softmax_ce_loss(S: ArrayLike, y: ArrayLike) -> float:
    """Σ_i -log softmax(S)[i, y_i] (a SUM over the batch)."""
    return float(np.sum(softmax_ce_per_example(S, y)))


def softmax_ce_grad(S: ArrayLike, y: ArrayLike) -> F64:
    """∂/∂S of the summed softmax cross-entropy: softmax(S) - onehot(y)."""
    return blocks.softmax_ce_grad_rows(*_ce_args(S, y))


# --- elementwise activations -------------------------------------------------------------------


def sigmoid_backward(x: ArrayLike, g: ArrayLike) -> F64:
    """g ⊙ σ(x)(1 - σ(x))."""
    return _elementwise(blocks.sigmoid_backward, x, g)


def tanh(x: ArrayLike) -> F64:
    """tanh(x) = 2/(1 + e^{-2x}) - 1 (notes L1566)."""
    return _elementwise(blocks.tanh, x)


def tanh_backward(x: ArrayLike, g: ArrayLike) -> F64:
    """g ⊙ (1 - tanh²(x))."""
    return _elementwise(blocks.tanh_backward, x, g)


def _slope_kernel(kernel, slope: float):
    return lambda *flat: kernel(*flat, float(slope))


def relu(x: ArrayLike) -> F64:
    """max(0, x)."""
    return _elementwise(_slope_kernel(blocks.leaky_relu, 0.0), x)


def relu_backward(x: ArrayLike, g: ArrayLike) -> F64:
    """g where x > 0, else 0."""
    return _elementwise(_slope_kernel(blocks.leaky_relu_backward, 0.0), x, g)


def leaky_relu(x: ArrayLike, slope: float = 0.01) -> F64:
    """max(slope·x, x) for 0 <= slope < 1 (notes L1603)."""
    return _elementwise(_slope_kernel(blocks.leaky_relu, slope), x)


def leaky_relu_backward(x: ArrayLike, g: ArrayLike, slope: float = 0.01) -> F64:
    """g where x > 0, slope·g elsewhere."""
    return _elementwise(_slope_kernel(blocks.leaky_relu_backward, slope), x, g)


def elu(x: ArrayLike, alpha: float = 1.0) -> F64:
    """x for x > 0, α(eˣ - 1) otherwise (the course's ELU; the notes give no formula)."""
    return _elementwise(_slope_kernel(blocks.elu, alpha), x)


def elu_backward(x: ArrayLike, g: ArrayLike, alpha: float = 1.0) -> F64:
    """g for x > 0, g·α eˣ otherwise."""
    return _elementwise(_slope_kernel(blocks.elu_backward, alpha), x, g)


def _prelu_args(X: ArrayLike, alpha: ArrayLike) -> tuple[F64, F64]:
    Xa, aa = _array("X", X, 2), _array("alpha", alpha, 1)
    if aa.shape != (Xa.shape[1],):
        raise ValueError(f"alpha must have shape ({Xa.shape[1]},), got {aa.shape}")
    return Xa, aa


def prelu(X: ArrayLike, alpha: ArrayLike) -> F64:
    """max(α_c x, x) per column c of X (N, C) (notes L1613)."""
    return blocks.prelu(*_prelu_args(X, alpha))


def prelu_backward(X: ArrayLike, alpha: ArrayLike, G: ArrayLike) -> tuple[F64, F64]:
    """(dX (N, C), dα (C,)); dα_c = Σ_i [x_ic <= 0] x_ic G_ic, summed over the batch."""
    Xa, aa = _prelu_args(X, alpha)
    Ga = _array("G", G, 2)
    if Ga.shape != Xa.shape:
        raise ValueError(f"G must have shape {Xa.shape}, got {Ga.shape}")
    return blocks.prelu_backward(Xa, aa, Ga)


def _maxout_args(Z: ArrayLike, k: int) -> tuple[F64, int]:
    Za = _array("Z", Z, 2)
    if k < 1 or Za.shape[1] % k:
        raise ValueError(f"Z's {Za.shape[1]} columns do not split into groups of k = {k}")
    return Za, int(k)


def maxout(Z: ArrayLike, k: int) -> F64:
    """(N, M·k) -> (N, M): the max over each contiguous group of k columns (notes L1635)."""
    return blocks.maxout(*_maxout_args(Z, k))


def maxout_backward(Z: ArrayLike, k: int, G: ArrayLike) -> F64:
    """dZ (N, M·k): G[i, j] at the group's argmax (the lowest column on a tie), 0 elsewhere."""
    Za, kk = _maxout_args(Z, k)
    Ga = _array("G", G, 2)
    if Ga.shape != (Za.shape[0], Za.shape[1] // kk):
        raise ValueError(f"G must have shape {(Za.shape[0], Za.shape[1] // kk)}, got {Ga.shape}")
    return blocks.maxout_backward(Za, kk, Ga)


# --- standardization -----------------------------------------------------------------------------


def standardizer_fit(X_train: ArrayLike) -> tuple[F64, F64]:
    """(mean (D,), std (D,)) per feature (column) of X_train (N, D), 1/N variance; std 0 becomes 1."""
    Xa = _array("X_train", X_train, 2)
    if Xa.shape[0] < 1:
        raise ValueError("need at least one training example")
    return blocks.standardizer_fit(Xa)


def standardizer_transform(X: ArrayLike, mean: ArrayLike, std: ArrayLike) -> F64:
    """(X - mean) / std, row by row."""
    Xa, ma, sa = _array("X", X, 2), _array("mean", mean, 1), _array("std", std, 1)
    if ma.shape != (Xa.shape[1],) or sa.shape != ma.shape:
        raise ValueError(f"mean and std must have shape ({Xa.shape[1]},)")
    return blocks.standardizer_transform(Xa, ma, sa)


# --- initialization and activation statistics ------------------------------------------------------

INIT_STD = {"xavier": lambda d_in: 1.0 / np.sqrt(d_in), "he": lambda d_in: np.sqrt(2.0 / d_in),
            "small": lambda d_in: 0.01, "large": lambda d_in: 0.2}


def init_std(scheme: str, d_in: int) -> float:
    """The standard deviation of each weight: xavier 1/√D_in (notes L1701), he √(2/D_in) (L1711),
    small 0.01, large 0.2 (L1695-1699)."""
    if scheme not in INIT_STD:
        raise ValueError(f"unknown init scheme {scheme!r}")
    return float(INIT_STD[scheme](d_in))


def draw_weights(rng: np.random.Generator, d_in: int, d_out: int, scheme: str) -> F64:
    """W (d_in, d_out) = rng.standard_normal((d_in, d_out)) * std."""
    return rng.standard_normal((d_in, d_out)) * init_std(scheme, d_in)


def activation_stds(X: ArrayLike, depth: int, width: int, activation: str, scheme: str, seed: int) -> F64:
    """Per-layer std (over all entries) of h_l = g(h_{l-1} W_l), l = 1..depth, h_0 = X (N, D), no biases.

    The weights come from one rng = np.random.default_rng(seed), drawn layer by layer with draw_weights."""
    Xa = _array("X", X, 2)
    if activation not in ("tanh", "relu") or depth < 1 or width < 1:
        raise ValueError(f"need activation tanh or relu, depth >= 1, width >= 1; got {activation}, {depth}, {width}")
    rng = np.random.default_rng(seed)
    first = draw_weights(rng, Xa.shape[1], width, scheme)
    rest = np.empty((depth - 1, width, width))
    for layer in range(depth - 1):
        rest[layer] = draw_weights(rng, width, width, scheme)
    return blocks.deep_activation_stds(Xa, first, rest, activation == "relu")

