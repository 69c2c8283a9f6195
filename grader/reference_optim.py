"""Float64 references for chapter 6 (optimization): thin, validating wrappers over grader/kernels/optim.py.

Conventions the exercises state: Adam's t is the number of the step being taken (1 on the first step, so the
first bias correction divides by 1 − β₁); ε is added OUTSIDE the square root (eqs. 25, L2819); momentum's
`form` is "classic" (L2736, L2781) or "ema" (L2745, L2785); schedules count iterations from t = 1; batch
normalization normalizes with the biased batch variance (L2950) and its backward sums over the batch.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from grader.kernels import optim as k

F64 = NDArray[np.float64]
FORMS = ("classic", "ema")


def _flat(x: ArrayLike) -> F64:
    return np.array(x, dtype=np.float64, order="C").ravel()  # a copy: the kernels update in place


def _same(name: str, a: F64, b: F64) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{name}: shapes {a.shape} and {b.shape} differ")


def _form(form: str) -> bool:
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}, got {form!r}")
    return form == "ema"


# --- single updates ------------------------------------------------------------------------------


def sgd_step(w: ArrayLike, g: ArrayLike, lr: float) -> F64:
    W, G = _f(w), _f(g)
    _same("sgd_step", W, G)
    out = _flat(W)
    k.sgd_update(out, _flat(G), float(lr))
    return out.reshape(W.shape)


def momentum_step(w: ArrayLike, m: ArrayLike, g: ArrayLike, lr: float, beta1: float, form: str) -> tuple[F64, F64]:
    W, M, G = _f(w), _f(m), _f(g)
    _same("momentum_step", W, M), _same("momentum_step", W, G)
    wo, mo = _flat(W), _flat(M)
    k.momentum_update(wo, mo, _flat(G), float(lr), float(beta1), _form(form))
    return wo.reshape(W.shape), mo.reshape(W.shape)


def nesterov_lookahead(w: ArrayLike, m: ArrayLike, lr: float, beta1: float, form: str) -> F64:
    W, M = _f(w), _f(m)
    _same("nesterov_lookahead", W, M)
    return k.nesterov_lookahead(_flat(W), _flat(M), float(lr), float(beta1), _form(form)).reshape(W.shape)


def rmsprop_step(w: ArrayLike, v: ArrayLike, g: ArrayLike, lr: float, beta2: float, eps: float) -> tuple[F64, F64]:
    W, V, G = _f(w), _f(v), _f(g)
    _same("rmsprop_step", W, V), _same("rmsprop_step", W, G)
    wo, vo = _flat(W), _flat(V)
    k.rmsprop_update(wo, vo, _flat(G), float(lr), float(beta2), float(eps))
    return wo.reshape(W.shape), vo.reshape(W.shape)


def adam_step(w: ArrayLike, m: ArrayLike, v: ArrayLike, g: ArrayLike, lr: float, beta1: float, beta2: float,
              eps: float, t: int) -> tuple[F64, F64, F64]:
    """One Adam step; t is the number of THIS step (1 for the first)."""
    if int(t) < 1:
        raise ValueError(f"t counts steps from 1, got {t}")
    W, M, V, G = _f(w), _f(m), _f(v), _f(g)
    for other in (M, V, G):
        _same("adam_step", W, other)
    wo, mo, vo = _flat(W), _flat(M), _flat(V)
    k.adam_update(wo, mo, vo, _flat(G), float(lr), float(beta1), float(beta2), float(eps), int(t))
    return wo.reshape(W.shape), mo.reshape(W.shape), vo.reshape(W.shape)


def _f(x: ArrayLike) -> F64:
    return np.asarray(x, dtype=np.float64, order="C")


# --- trajectories ----------------------------------------------------------------------------------

OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam")


def trajectory(name: str, w0: list[ArrayLike], curvature: list[ArrayLike], offsets: list[list[ArrayLike]],
               hyper: dict) -> list[dict]:
    """Runs optimizer `name` for len(offsets) steps on parameters w0 (a list of arrays) whose gradient at a
    point p in step s is curvature[k] * p + offsets[s][k] (curvature 0: a fixed gradient sequence; the
    ravine of L2653 is curvature (0.02, 2) plus the noise). Nesterov evaluates it at the look-ahead point.

    Returns one snapshot per step: {"values": [...], "points": [...] (where the gradient was taken),
    "m": [...], "v": [...], "t": steps taken}; m / v only for the optimizers that keep them."""
    if name not in OPTIMIZERS:
        raise ValueError(f"name must be one of {OPTIMIZERS}, got {name!r}")
    w = [_f(x).copy() for x in w0]
    h = [_f(c) for c in curvature]
    if len(h) != len(w):
        raise ValueError("one curvature per parameter")
    m = [np.zeros_like(x) for x in w]
    v = [np.zeros_like(x) for x in w]
    lr = float(hyper["lr"])
    out = []
    for s, offs in enumerate(offsets):
        if len(offs) != len(w):
            raise ValueError(f"step {s}: one offset per parameter")
        points = []
        for i in range(len(w)):
            look = name == "nesterov"
            p = nesterov_lookahead(w[i], m[i], lr, hyper["beta1"], hyper["form"]) if look else w[i].copy()
            points.append(p)
            g = h[i] * p + _f(offs[i])
            if name == "sgd":
                w[i] = sgd_step(w[i], g, lr)
            elif name in ("momentum", "nesterov"):
                w[i], m[i] = momentum_step(w[i], m[i], g, lr, hyper["beta1"], hyper["form"])
            elif name == "rmsprop":
                w[i], v[i] = rmsprop_step(w[i], v[i], g, lr, hyper["beta2"], hyper["eps"])
            else:
                w[i], m[i], v[i] = adam_step(w[i], m[i], v[i], g, lr, hyper["beta1"], hyper["beta2"],
                                             hyper["eps"], s + 1)
        snap = {"values": [x.copy() for x in w], "points": points, "t": s + 1}
        if name in ("momentum", "nesterov", "adam"):
            snap["m"] = [x.copy() for x in m]
        if name in ("rmsprop", "adam"):
            snap["v"] = [x.copy() for x in v]
        out.append(snap)
    return out


# --- schedules and clipping (§6.3.1, §6.1.3, eq. 32) -------------------------------------------------


def lr_inverse(eta: float, t: int) -> float:
    """η_t = η / t (L2856), t = 1, 2, ..."""
    if t < 1:
        raise ValueError("t counts from 1")
    return float(eta) / t


def lr_exponential(eta: float, alpha: float, t: int) -> float:
    """η_t = η αᵗ (L2857), t = 1, 2, ..."""
    if t < 1:
        raise ValueError("t counts from 1")
    return float(eta) * float(alpha) ** t


def lr_step(eta: float, alpha: float, every: int, t: int) -> float:
    """η ← α η after every `every` iterations (L2858): η α^⌊(t − 1)/every⌋, t = 1, 2, ..."""
    if t < 1 or every < 1:
        raise ValueError("t and every count from 1")
    return float(eta) * float(alpha) ** ((t - 1) // every)


def global_norm(grads: list[ArrayLike]) -> float:
    return math.sqrt(sum(k.sum_of_squares(_flat(g)) for g in grads))


def clip_by_norm(g: ArrayLike, tau: float) -> F64:
    """Eq. (32): g if ‖g‖₂ ≤ τ, else τ g / ‖g‖₂."""
    G = _f(g)
    norm = global_norm([G])
    return G.copy() if norm <= tau else (tau / norm) * G


def clip_by_global_norm(grads: list[ArrayLike], tau: float) -> tuple[list[F64], float]:
    """Eq. (32) with ‖·‖ the norm of all tensors together; returns (clipped copies, the norm before)."""
    arrays = [_f(g) for g in grads]
    norm = global_norm(arrays)
    scale = 1.0 if norm <= tau else tau / norm
    return [scale * a for a in arrays], norm


def clip_by_value(g: ArrayLike, lo: float, hi: float) -> F64:
    G = _f(g)
    if lo > hi:
        raise ValueError("lo > hi")
    return k.clip_value(_flat(G), float(lo), float(hi)).reshape(G.shape)


# --- minibatch SGD on linear regression (§6.2.2-6.2.4) ------------------------------------------------


def minibatch_order(n: int, batch: int, seed_rng: np.random.Generator) -> list[NDArray[np.int64]]:
    """One epoch: perm = rng.permutation(n), cut into consecutive batches; the last may be smaller."""
    perm = seed_rng.permutation(n)
    return [perm[i:i + batch] for i in range(0, n, batch)]


def sgd_linreg(X: ArrayLike, y: ArrayLike, w0: ArrayLike, batch: int, epochs: int, eta: float, decay: bool,
               seed: int) -> tuple[F64, F64]:
    """SGD on the mean squared error (1/B) Σ_b (x_bᵀw − y_b)² with step η (constant) or η/t (t from 1), batches
    from minibatch_order with rng = default_rng(seed), one permutation per epoch. Returns (w, per-step loss
    of the batch before the step)."""
    Xf, yf = _f(X), _f(y)
    w = _f(w0).copy()
    rng = np.random.default_rng(seed)
    losses = []
    t = 0
    for _ in range(epochs):
        for idx in minibatch_order(len(yf), batch, rng):
            t += 1
            r = Xf[idx] @ w - yf[idx]
            losses.append(float(np.mean(r * r)))
            g = 2.0 * Xf[idx].T @ r / len(idx)
            w = sgd_step(w, g, lr_inverse(eta, t) if decay else eta)
    return w, np.array(losses)


# --- batch normalization, blocks, gradient flow (§6.3.5) ---------------------------------------------


def _bn_args(x: ArrayLike, gamma: ArrayLike, beta: ArrayLike) -> tuple[F64, F64, F64]:
    X, gm, bt = _f(x), _f(gamma), _f(beta)
    if X.ndim != 2 or gm.shape != (X.shape[1],) or bt.shape != (X.shape[1],):
        raise ValueError(f"x must be (B, C) and gamma, beta (C,); got {X.shape}, {gm.shape}, {bt.shape}")
    return X, gm, bt


def batchnorm_train(x: ArrayLike, gamma: ArrayLike, beta: ArrayLike, eps: float) -> tuple[F64, F64, F64, F64]:
    """(y, batch mean, biased batch variance, x̂) for x (B, C)."""
    X, gm, bt = _bn_args(x, gamma, beta)
    return k.batchnorm_train_forward(X, gm, bt, float(eps))


def batchnorm_eval(x: ArrayLike, gamma: ArrayLike, beta: ArrayLike, mean: ArrayLike, var: ArrayLike,
                   eps: float) -> F64:
    X, gm, bt = _bn_args(x, gamma, beta)
    return k.batchnorm_eval_forward(X, gm, bt, _f(mean), _f(var), float(eps))


def batchnorm_backward(g: ArrayLike, x: ArrayLike, gamma: ArrayLike, eps: float) -> tuple[F64, F64, F64]:
    """(dx, dγ, dβ) of train-mode batch normalization at x for the upstream gradient g."""
    X, gm, _ = _bn_args(x, gamma, gamma)
    G = _f(g)
    _same("batchnorm_backward", X, G)
    _, _, var, xhat = k.batchnorm_train_forward(X, gm, np.zeros_like(gm), float(eps))
    return k.batchnorm_train_backward(G, xhat, var, gm, float(eps))


def batchnorm_eval_backward(g: ArrayLike, x: ArrayLike, gamma: ArrayLike, mean: ArrayLike, var: ArrayLike,
                            eps: float) -> tuple[F64, F64, F64]:
    """(dx, dγ, dβ) of eval-mode batch normalization (the running mean and variance are constants)."""
    X, gm, _ = _bn_args(x, gamma, gamma)
    G = _f(g)
    _same("batchnorm_eval_backward", X, G)
    return k.batchnorm_eval_backward(G, X, gm, _f(mean), _f(var), float(eps))


def running_update(running: ArrayLike, batch_stat: ArrayLike, momentum: float) -> F64:
    """running ← (1 − momentum) running + momentum · batch_stat."""
    return (1.0 - float(momentum)) * _f(running) + float(momentum) * _f(batch_stat)


def _block_args(x: ArrayLike, A: ArrayLike, b: ArrayLike) -> tuple[F64, F64, F64]:
    X, Af, bf = _f(x), _f(A), _f(b)
    if X.ndim != 2 or Af.shape != (X.shape[1], X.shape[1]) or bf.shape != (X.shape[1],):
        raise ValueError(f"x (N, D), A (D, D), b (D,) expected; got {X.shape}, {Af.shape}, {bf.shape}")
    return X, Af, bf


def block_forward(x: ArrayLike, A: ArrayLike, b: ArrayLike, residual: bool) -> F64:
    """tanh(x A + b) (+ x with the skip connection)."""
    return k.tanh_block_forward(*_block_args(x, A, b), bool(residual))


def block_backward(G: ArrayLike, x: ArrayLike, A: ArrayLike, b: ArrayLike, residual: bool) -> tuple[F64, F64, F64]:
    X, Af, bf = _block_args(x, A, b)
    Gf = _f(G)
    _same("block_backward", X, Gf)
    return k.tanh_block_backward(Gf, X, Af, bf, bool(residual))


def stack_grad_norms(x: ArrayLike, As: list[ArrayLike], bs: list[ArrayLike], G: ArrayLike,
                     residual: bool) -> F64:
    """‖∂L/∂h_l‖ (Frobenius) at the input h_l of every block l = 0..L−1 of a stack of blocks, for
    L = Σ G ⊙ h_L."""
    hs = [_f(x)]
    for A, b in zip(As, bs, strict=True):
        hs.append(block_forward(hs[-1], A, b, residual))
    grad = _f(G)
    norms = np.empty(len(As))
    for layer in range(len(As) - 1, -1, -1):
        grad = block_backward(grad, hs[layer], As[layer], bs[layer], residual)[0]
        norms[layer] = math.sqrt(k.sum_of_squares(grad.ravel()))
    return norms
