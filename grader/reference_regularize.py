"""Float64 references for chapter 5 (regularization), over the ``@njit`` kernels in
``grader.kernels.regularize`` and ``grader.kernels.augment``: validating wrappers, as in grader/reference.py.

Conventions (the exercises state them):
- named parameters: a dict name -> array; a name whose last dot-separated part is ``b`` is a bias
  (``"fc1.b"``, ``"b"``), everything else is a weight. Penalties and decay touch weights only (L1817).
- L2 penalty (λ/2)Σ‖W‖² (L1849), gradient λW; L1 penalty λΣ|W| (L1926), subgradient λ·sign(W), sign(0) = 0.
- weight decay coupled to the learning rate: W ← (1 − ηλ)W − ηg (L1855); biases get plain SGD.
- early stopping: an epoch improves iff loss < best − min_delta; ties keep the earlier epoch.
- dropout: p is the DROP probability, inverted scaling 1/(1 − p) at train time, identity at test time.
- images: (N, H, W, C) float64; see the augmentation functions for their conventions.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from grader.kernels import augment, regularize

F64 = NDArray[np.float64]


def _f64(x: ArrayLike) -> F64:
    return np.asarray(x, dtype=np.float64, order="C")


def _flat(x: ArrayLike) -> F64:
    return np.array(x, dtype=np.float64, order="C").ravel()


def is_bias(name: str) -> bool:
    """The course's naming rule: the last dot-separated part of a bias's name is exactly 'b'."""
    return name.rsplit(".", 1)[-1] == "b"


def _params(params: dict[str, ArrayLike]) -> dict[str, F64]:
    if not isinstance(params, dict) or not params:
        raise ValueError("params must be a non-empty dict name -> array")
    return {str(k): _f64(v) for k, v in params.items()}


# --- 5.5 parameter penalties ----------------------------------------------------------------


def l2_penalty(params: dict[str, ArrayLike], lam: float) -> float:
    """(λ/2) Σ over weights of ‖W‖² (biases excluded)."""
    p = _params(params)
    return float(sum(regularize.l2_penalty(_flat(v), float(lam)) for k, v in p.items() if not is_bias(k)))


def l2_penalty_grad(params: dict[str, ArrayLike], lam: float) -> dict[str, F64]:
    """λW for each weight, zeros (same shape) for each bias."""
    return {k: np.zeros_like(v) if is_bias(k) else regularize.l2_penalty_grad(_flat(v), float(lam)).reshape(v.shape)
            for k, v in _params(params).items()}


def l1_penalty(params: dict[str, ArrayLike], lam: float) -> float:
    """λ Σ over weights of Σ|W_ij| (biases excluded)."""
    p = _params(params)
    return float(sum(regularize.l1_penalty(_flat(v), float(lam)) for k, v in p.items() if not is_bias(k)))


def l1_penalty_grad(params: dict[str, ArrayLike], lam: float) -> dict[str, F64]:
    """λ·sign(W) for each weight (sign(0) = 0), zeros for each bias."""
    return {k: np.zeros_like(v) if is_bias(k) else regularize.l1_penalty_grad(_flat(v), float(lam)).reshape(v.shape)
            for k, v in _params(params).items()}


def weight_decay_step(params: dict[str, ArrayLike], grads: dict[str, ArrayLike], lr: float,
                      lam: float) -> dict[str, F64]:
    """One SGD step with coupled weight decay: W ← (1 − ηλ)W − η g_W; b ← b − η g_b."""
    p, g = _params(params), _params(grads)
    if set(p) != set(g) or any(p[k].shape != g[k].shape for k in p):
        raise ValueError("params and grads need the same names and shapes")
    out = {}
    for k, v in p.items():
        if is_bias(k):
            out[k] = regularize.sgd_step(_flat(v), _flat(g[k]), float(lr)).reshape(v.shape)
        else:
            out[k] = regularize.weight_decay_step(_flat(v), _flat(g[k]), float(lr), float(lam)).reshape(v.shape)
    return out


# --- 5.6 early stopping ---------------------------------------------------------------------


def early_stopping(losses: ArrayLike, patience: int, min_delta: float = 0.0) -> tuple[int, int]:
    """(stop epoch, best epoch seen up to the stop), 0-based epochs; see the kernel for the rule."""
    values = _f64(losses)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"losses must be a non-empty 1-D sequence, got shape {values.shape}")
    if int(patience) < 1 or min_delta < 0:
        raise ValueError("patience must be >= 1 and min_delta >= 0")
    stop, best = regularize.early_stopping(values, int(patience), float(min_delta))
    return int(stop), int(best)


def best_epoch(losses: ArrayLike) -> int:
    """The first epoch with the lowest loss (ties: the earliest)."""
    values = _f64(losses)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"losses must be a non-empty 1-D sequence, got shape {values.shape}")
    return int(np.argmin(values))  # np.argmin returns the first minimum


# --- 5.7 bagging and ensembles --------------------------------------------------------------


def bootstrap_indices(n: int, k: int, seed: int) -> NDArray[np.int64]:
    """The course's draw: np.random.default_rng(seed).integers(0, n, size=(k, n)) (one call, int64)."""
    return np.random.default_rng(seed).integers(0, n, size=(k, n))


def out_of_bag(indices: ArrayLike, n: int) -> NDArray[np.bool_]:
    """(K, n) bool: True where example i was not drawn for member k."""
    idx = np.asarray(indices, dtype=np.int64, order="C")
    if idx.ndim != 2 or (idx.size and (idx.min() < 0 or idx.max() >= n)):
        raise ValueError(f"indices must be (K, M) in [0, {n})")
    return regularize.out_of_bag(idx, int(n))


def average_probabilities(logits: ArrayLike) -> F64:
    """(K, N, C) member logits -> (N, C) mean of the members' softmax probabilities."""
    z = _f64(logits)
    if z.ndim != 3 or 0 in z.shape:
        raise ValueError(f"logits must be (K, N, C), got {z.shape}")
    return regularize.average_probabilities(z)


def ensemble_mse(preds: ArrayLike, y: ArrayLike) -> tuple[F64, float]:
    """(each member's MSE (K,), MSE of the averaged prediction) for (K, N) predictions of (N,) targets."""
    p, t = _f64(preds), _f64(y)
    if p.ndim != 2 or t.shape != (p.shape[1],) or 0 in p.shape:
        raise ValueError(f"need preds (K, N) and y (N,), got {p.shape} and {t.shape}")
    member, ens = regularize.ensemble_mse(p, t)
    return member, float(ens)


def ensemble_error(k: int, v: float, c: float) -> float:
    """Expected squared error of the average of K errors with variance v and covariance c (L2057)."""
    return float(v / k + (k - 1) * c / k)


# --- 5.8 dropout ----------------------------------------------------------------------------


def dropout_mask(shape: tuple[int, ...], p: float, seed: int) -> NDArray[np.bool_]:
    """The course's mask draw: keep = np.random.default_rng(seed).random(shape) >= p (p = DROP probability)."""
    return np.random.default_rng(seed).random(shape) >= p


def dropout_forward(x: ArrayLike, mask: ArrayLike, p: float) -> F64:
    """Inverted dropout at train time: x · mask / (1 − p)."""
    xa = _f64(x)
    m = np.asarray(mask, dtype=np.bool_)
    if m.shape != xa.shape or not 0.0 <= p < 1.0:
        raise ValueError(f"mask must have x's shape {xa.shape} and 0 <= p < 1")
    return regularize.dropout_apply(_flat(xa), np.ascontiguousarray(m).ravel(), float(p)).reshape(xa.shape)


def dropout_backward(grad: ArrayLike, mask: ArrayLike, p: float) -> F64:
    """The same mask and scale on the upstream gradient: grad · mask / (1 − p)."""
    return dropout_forward(grad, mask, p)


# --- 5.9 data augmentation, images (N, H, W, C) float64 -------------------------------------


def _images(x: ArrayLike) -> F64:
    a = _f64(x)
    if a.ndim != 4 or 0 in a.shape:
        raise ValueError(f"images must be (N, H, W, C), got {a.shape}")
    return a


def hflip(images: ArrayLike) -> F64:
    """Mirror left-right: out[n, i, j, c] = x[n, i, W − 1 − j, c]."""
    return augment.hflip(_images(images))


def crop_with_padding(images: ArrayLike, pad: int, out_h: int, out_w: int, offsets: ArrayLike) -> F64:
    """Zero-pad each side by `pad`, then crop (out_h, out_w) at offsets[n] = (top, left) of the padded image."""
    x = _images(images)
    off = np.asarray(offsets, dtype=np.int64, order="C")
    n, h, w, _ = x.shape
    if off.shape != (n, 2) or pad < 0 or out_h < 1 or out_w < 1:
        raise ValueError(f"offsets must be ({n}, 2), pad >= 0, out sizes >= 1")
    if off.min() < 0 or off[:, 0].max() > h + 2 * pad - out_h or off[:, 1].max() > w + 2 * pad - out_w:
        raise ValueError("an offset puts the crop outside the padded image")
    return augment.crop_with_padding(x, int(pad), int(out_h), int(out_w), off)


def affine_warp(images: ArrayLike, matrices: ArrayLike, fill: float) -> F64:
    """Inverse-mapped affine warp with bilinear sampling; pixel (i, j) has its centre at (x, y) = (j, i), the
    source point is M[n] @ (j, i, 1), and samples outside the image read `fill`."""
    x = _images(images)
    m = _f64(matrices)
    if m.shape != (x.shape[0], 2, 3):
        raise ValueError(f"matrices must be ({x.shape[0]}, 2, 3), got {m.shape}")
    return augment.affine_warp(x, m, float(fill))


def gaussian_kernel(sigma: float) -> F64:
    """Normalized 1-D Gaussian weights at offsets −r..r, r = ceil(3σ)."""
    if not sigma > 0:
        raise ValueError("sigma must be > 0")
    return augment.gaussian_kernel(float(sigma))


def gaussian_blur(images: ArrayLike, sigma: float) -> F64:
    """Separable Gaussian blur (rows along W first, then columns along H), edge-replicating borders."""
    x = _images(images)
    return augment.blur_separable(x, gaussian_kernel(sigma))


def add_gaussian_noise(images: ArrayLike, sigma: float, seed: int) -> F64:
    """clip(x + σ·z, 0, 1) with z = np.random.default_rng(seed).standard_normal(x.shape) (one call)."""
    x = _images(images)
    z = np.random.default_rng(seed).standard_normal(x.shape)
    return augment.add_noise(x, z, float(sigma))


def brightness_contrast(images: ArrayLike, brightness: ArrayLike, contrast: ArrayLike) -> F64:
    """clip(c_n (x − m_n) + m_n + b_n, 0, 1), m_n = the mean of image n over H, W and C."""
    x = _images(images)
    b, c = _flat(brightness), _flat(contrast)
    if b.shape != (x.shape[0],) or c.shape != (x.shape[0],):
        raise ValueError(f"brightness and contrast must be ({x.shape[0]},)")
    return augment.brightness_contrast(x, b, c)
