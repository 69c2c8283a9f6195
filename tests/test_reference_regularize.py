"""grader.reference_regularize against central differences and plain NumPy formulas."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest
from test_reference_kernels import assert_close_to_numeric, numeric_vjp

from grader import reference_regularize as rr

pytestmark = pytest.mark.filterwarnings("error")

COVERED = {
    "is_bias", "l2_penalty", "l2_penalty_grad", "l1_penalty", "l1_penalty_grad", "weight_decay_step",
    "early_stopping", "best_epoch", "bootstrap_indices", "out_of_bag", "average_probabilities", "ensemble_mse",
    "ensemble_error", "dropout_mask", "dropout_forward", "dropout_backward", "hflip", "crop_with_padding",
    "affine_warp", "gaussian_kernel", "gaussian_blur", "add_gaussian_noise", "brightness_contrast",
}  # fmt: skip


def test_every_public_function_is_covered() -> None:
    public = {name for name, fn in inspect.getmembers(rr, inspect.isfunction)
              if fn.__module__ == rr.__name__ and not name.startswith("_")}
    assert public == COVERED


def _params(rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"fc1.A": rng.normal(size=(3, 4)), "fc1.b": rng.normal(size=4), "out.w": rng.normal(size=5),
            "b": rng.normal(size=2), "bias.W": rng.normal(size=(2, 2))}


def test_is_bias() -> None:
    assert rr.is_bias("b") and rr.is_bias("fc1.b") and rr.is_bias("a.b.b")
    assert not any(rr.is_bias(n) for n in ("bias", "fc1.bias.W", "b.W", "fc1.A", "fcb"))


def test_penalties_and_gradients() -> None:
    rng = np.random.default_rng(0)
    p = _params(rng)
    weights = [v for k, v in p.items() if not rr.is_bias(k)]
    assert math.isclose(rr.l2_penalty(p, 0.3), 0.15 * sum(np.sum(w**2) for w in weights), rel_tol=1e-12)
    assert math.isclose(rr.l1_penalty(p, 0.3), 0.3 * sum(np.sum(np.abs(w)) for w in weights), rel_tol=1e-12)
    for penalty, grad in ((rr.l2_penalty, rr.l2_penalty_grad), (rr.l1_penalty, rr.l1_penalty_grad)):
        g = grad(p, 0.7)
        assert set(g) == set(p)
        for name, value in p.items():
            def f(v, name=name, penalty=penalty):
                return penalty({**p, name: v}, 0.7)
            numeric = numeric_vjp(f, value, 1.0)
            assert_close_to_numeric(g[name], numeric)
            if rr.is_bias(name):
                assert np.all(g[name] == 0)
    assert np.all(rr.l1_penalty_grad({"w": np.array([0.0, 2.0, -1.0])}, 2.0)["w"] == [0.0, 2.0, -2.0])


def test_weight_decay_step_is_sgd_on_the_l2_penalized_loss() -> None:
    rng = np.random.default_rng(1)
    p = _params(rng)
    g = {k: rng.normal(size=v.shape) for k, v in p.items()}
    new = rr.weight_decay_step(p, g, 0.1, 0.05)
    pen = rr.l2_penalty_grad(p, 0.05)
    for k in p:
        np.testing.assert_allclose(new[k], p[k] - 0.1 * (g[k] + pen[k]), rtol=1e-13)
        if rr.is_bias(k):
            np.testing.assert_array_equal(new[k], p[k] - 0.1 * g[k])
    with pytest.raises(ValueError):
        rr.weight_decay_step(p, {"fc1.A": g["fc1.A"]}, 0.1, 0.05)


@pytest.mark.parametrize(("losses", "patience", "min_delta", "expected"), [
    ([3, 2, 1, 0.5], 2, 0.0, (3, 3)),                 # never stops early
    ([3, 2, 2.5, 2.6, 1.0], 2, 0.0, (3, 1)),          # stops before the later improvement
    ([3, 2, 2, 2, 2], 3, 0.0, (4, 1)),                # a plateau (ties) is no improvement
    ([1.0, 0.95, 0.9, 0.89], 1, 0.02, (3, 2)),        # 0.89 > 0.9 - 0.02: not an improvement
    ([5.0], 1, 0.0, (0, 0)),
    ([2, 1, 3], 1, 0.0, (2, 1)),
])  # fmt: skip
def test_early_stopping(losses, patience, min_delta, expected) -> None:
    assert rr.early_stopping(losses, patience, min_delta) == expected


def test_early_stopping_brute_force() -> None:
    rng = np.random.default_rng(2)
    for _ in range(200):
        losses = rng.integers(0, 4, size=rng.integers(1, 12)).astype(float)
        patience = int(rng.integers(1, 4))
        best, stop = 0, len(losses) - 1
        for e in range(1, len(losses)):
            if losses[e] < losses[best]:
                best = e
            if e - best == patience:
                stop = e
                break
        assert rr.early_stopping(losses, patience) == (stop, best)
    assert rr.best_epoch([3, 1, 2, 1]) == 1
    with pytest.raises(ValueError):
        rr.early_stopping([1.0], 0)


def test_bootstrap_and_out_of_bag() -> None:
    idx = rr.bootstrap_indices(50, 400, seed=7)
    assert idx.shape == (400, 50) and idx.min() >= 0 and idx.max() < 50
    np.testing.assert_array_equal(idx, rr.bootstrap_indices(50, 400, seed=7))
    oob = rr.out_of_bag(idx, 50)
    expected = np.array([[i not in set(row) for i in range(50)] for row in idx])
    np.testing.assert_array_equal(oob, expected)
    assert abs(oob.mean() - (1 - 1 / 50) ** 50) < 0.01
    with pytest.raises(ValueError):
        rr.out_of_bag(idx, 10)


def test_average_probabilities_and_ensemble_mse() -> None:
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 5, 3)) * 3
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    np.testing.assert_allclose(rr.average_probabilities(z), (e / e.sum(-1, keepdims=True)).mean(0), rtol=1e-13)
    preds, y = rng.normal(size=(6, 9)), rng.normal(size=9)
    member, ens = rr.ensemble_mse(preds, y)
    np.testing.assert_allclose(member, ((preds - y) ** 2).mean(1), rtol=1e-13)
    assert math.isclose(ens, float(((preds.mean(0) - y) ** 2).mean()), rel_tol=1e-13)
    assert ens <= member.mean()
    assert rr.ensemble_error(10, 1.0, 0.5) == pytest.approx(0.55)
    assert rr.ensemble_error(4, 2.0, 2.0) == pytest.approx(2.0)


def test_dropout() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3, 7))
    mask = rr.dropout_mask(x.shape, 0.3, seed=5)
    np.testing.assert_array_equal(mask, np.random.default_rng(5).random((3, 7)) >= 0.3)
    y = rr.dropout_forward(x, mask, 0.3)
    np.testing.assert_allclose(y, x * mask / 0.7, rtol=1e-15)
    g = rng.normal(size=x.shape)
    assert_close_to_numeric(rr.dropout_backward(g, mask, 0.3), numeric_vjp(lambda v: rr.dropout_forward(v, mask, 0.3),
                                                                           x, g))


def _images(rng: np.random.Generator, shape=(2, 5, 7, 3)) -> np.ndarray:
    return rng.uniform(size=shape)


def test_hflip_and_crop() -> None:
    rng = np.random.default_rng(6)
    x = _images(rng)
    np.testing.assert_array_equal(rr.hflip(x), x[:, :, ::-1, :])
    offsets = np.array([[0, 3], [4, 1]])
    out = rr.crop_with_padding(x, 2, 4, 6, offsets)
    padded = np.pad(x, ((0, 0), (2, 2), (2, 2), (0, 0)))
    for n, (t, left) in enumerate(offsets):
        np.testing.assert_array_equal(out[n], padded[n, t:t + 4, left:left + 6])
    with pytest.raises(ValueError):
        rr.crop_with_padding(x, 2, 4, 6, np.array([[6, 0], [0, 0]]))


def _bilinear(img: np.ndarray, xs: float, ys: float, fill: float) -> np.ndarray:
    h, w, _ = img.shape
    x0, y0 = math.floor(xs), math.floor(ys)
    total = np.zeros(img.shape[2])
    for dy, dx in ((0, 0), (0, 1), (1, 0), (1, 1)):
        wgt = (1 - abs(xs - (x0 + dx))) * (1 - abs(ys - (y0 + dy)))
        i, j = y0 + dy, x0 + dx
        total += wgt * (img[i, j] if 0 <= i < h and 0 <= j < w else fill)
    return total


def test_affine_warp() -> None:
    rng = np.random.default_rng(8)
    x = _images(rng, (3, 5, 6, 2))
    eye = np.tile(np.array([[1.0, 0, 0], [0, 1.0, 0]]), (3, 1, 1))
    np.testing.assert_allclose(rr.affine_warp(x, eye, 0.5), x, rtol=0, atol=1e-15)
    shift = eye.copy()
    shift[:, 0, 2] = 1.0  # reads the pixel one column to the right
    out = rr.affine_warp(x, shift, 0.25)
    np.testing.assert_allclose(out[:, :, :-1], x[:, :, 1:], atol=1e-15)
    assert np.all(out[:, :, -1] == 0.25)
    m = rng.normal(size=(3, 2, 3)) * 0.3 + eye
    out = rr.affine_warp(x, m, 0.7)
    for n in range(3):
        for i in range(5):
            for j in range(6):
                xs, ys = m[n] @ np.array([j, i, 1.0])
                np.testing.assert_allclose(out[n, i, j], _bilinear(x[n], xs, ys, 0.7), rtol=1e-12, atol=1e-14)
    sq = _images(rng, (1, 5, 5, 1))
    c = 2.0  # rotation by 90° about the centre (2, 2) of the pixel grid: the source of (j, i) is (4 - i, j)
    rot = np.array([[[0.0, -1.0, 2 * c], [1.0, 0.0, 0.0]]])
    np.testing.assert_allclose(rr.affine_warp(sq, rot, 0.0)[0, :, :, 0], np.rot90(sq[0, :, :, 0], k=1), atol=1e-14)


def test_gaussian_blur() -> None:
    g = rr.gaussian_kernel(0.7)
    assert g.shape == (7,) and math.isclose(g.sum(), 1.0) and np.allclose(g, g[::-1])
    rng = np.random.default_rng(9)
    x = _images(rng, (2, 6, 9, 2))
    out = rr.gaussian_blur(x, 0.7)
    r = 3
    padded = np.pad(x, ((0, 0), (r, r), (r, r), (0, 0)), mode="edge")
    full = np.zeros_like(x)
    for a in range(-r, r + 1):
        for b in range(-r, r + 1):
            full += g[a + r] * g[b + r] * padded[:, r + a:r + a + 6, r + b:r + b + 9]
    np.testing.assert_allclose(out, full, rtol=1e-12)
    const = np.full((1, 4, 3, 1), 0.3)
    np.testing.assert_allclose(rr.gaussian_blur(const, 1.3), const, rtol=1e-14)


def test_noise_and_colour() -> None:
    rng = np.random.default_rng(10)
    x = _images(rng, (2, 4, 5, 3))
    z = np.random.default_rng(11).standard_normal(x.shape)
    np.testing.assert_array_equal(rr.add_gaussian_noise(x, 0.1, 11), np.clip(x + 0.1 * z, 0, 1))
    b, c = np.array([0.1, -0.2]), np.array([1.5, 0.5])
    m = x.mean(axis=(1, 2, 3), keepdims=True)
    expected = np.clip(c[:, None, None, None] * (x - m) + m + b[:, None, None, None], 0, 1)
    np.testing.assert_allclose(rr.brightness_contrast(x, b, c), expected, rtol=1e-13)
