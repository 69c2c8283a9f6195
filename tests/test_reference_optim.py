"""grader.reference_optim against plain NumPy formulas of the notes and central differences."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from test_reference_kernels import assert_close_to_numeric, numeric_vjp

from grader import reference_optim as ro

pytestmark = pytest.mark.filterwarnings("error")

COVERED = {
    "sgd_step", "momentum_step", "nesterov_lookahead", "rmsprop_step", "adam_step", "trajectory",
    "lr_inverse", "lr_exponential", "lr_step", "global_norm", "clip_by_norm", "clip_by_global_norm",
    "clip_by_value", "minibatch_order", "sgd_linreg", "batchnorm_train", "batchnorm_eval",
    "batchnorm_backward", "batchnorm_eval_backward", "running_update", "block_forward", "block_backward",
    "stack_grad_norms",
}  # fmt: skip


def test_every_public_function_is_covered() -> None:
    public = {name for name, fn in inspect.getmembers(ro, inspect.isfunction)
              if fn.__module__ == ro.__name__ and not name.startswith("_")}
    assert public == COVERED


RNG = np.random.default_rng(6)


def test_sgd_and_momentum_forms() -> None:
    w, m, g = RNG.normal(size=(3, 2)), RNG.normal(size=(3, 2)), RNG.normal(size=(3, 2))
    np.testing.assert_allclose(ro.sgd_step(w, g, 0.3), w - 0.3 * g, rtol=1e-15)
    wc, mc = ro.momentum_step(w, m, g, 0.3, 0.8, "classic")
    np.testing.assert_allclose(mc, 0.8 * m - 0.3 * g, rtol=1e-15)
    np.testing.assert_allclose(wc, w + mc, rtol=1e-15)
    we, me = ro.momentum_step(w, m, g, 0.3, 0.8, "ema")
    np.testing.assert_allclose(me, 0.8 * m + 0.2 * g, rtol=1e-15)
    np.testing.assert_allclose(we, w - 0.3 * me, rtol=1e-15)
    np.testing.assert_allclose(ro.nesterov_lookahead(w, m, 0.3, 0.8, "classic"), w + 0.8 * m, rtol=1e-15)
    np.testing.assert_allclose(ro.nesterov_lookahead(w, m, 0.3, 0.8, "ema"), w - 0.24 * m, rtol=1e-15)
    with pytest.raises(ValueError):
        ro.momentum_step(w, m, g, 0.3, 0.8, "heavy")


def test_rmsprop_and_adam_match_the_notes() -> None:
    w, m, v, g = (RNG.normal(size=5) for _ in range(4))
    v = v**2
    w2, v2 = ro.rmsprop_step(w, v, g, 0.01, 0.9, 1e-8)
    np.testing.assert_allclose(v2, 0.9 * v + 0.1 * g * g, rtol=1e-15)
    np.testing.assert_allclose(w2, w - 0.01 * g / (np.sqrt(v2) + 1e-8), rtol=1e-14)
    for t in (1, 4):
        wa, ma, va = ro.adam_step(w, m, v, g, 0.01, 0.9, 0.99, 1e-8, t)
        np.testing.assert_allclose(ma, 0.9 * m + 0.1 * g, rtol=1e-15)
        np.testing.assert_allclose(va, 0.99 * v + 0.01 * g * g, rtol=1e-15)
        expected = w - 0.01 * (ma / (1 - 0.9**t)) / (np.sqrt(va / (1 - 0.99**t)) + 1e-8)
        np.testing.assert_allclose(wa, expected, rtol=1e-14)
    first = ro.adam_step(w, np.zeros(5), np.zeros(5), g, 0.01, 0.9, 0.999, 1e-8, 1)[0]
    np.testing.assert_allclose(first, w - 0.01 * np.sign(g), rtol=1e-6)
    with pytest.raises(ValueError):
        ro.adam_step(w, m, v, g, 0.01, 0.9, 0.99, 1e-8, 0)


def test_trajectory_properties() -> None:
    w0 = [RNG.normal(size=(2, 3)), RNG.normal(size=4)]
    h = [np.zeros((2, 3)), RNG.uniform(0.1, 2, size=4)]
    offs = [[RNG.normal(size=(2, 3)), RNG.normal(size=4)] for _ in range(6)]
    sgd = ro.trajectory("sgd", w0, h, offs, {"lr": 0.1})
    mom0 = ro.trajectory("momentum", w0, h, offs, {"lr": 0.1, "beta1": 0.0, "form": "classic"})
    for a, b in zip(sgd, mom0, strict=True):
        for x, y in zip(a["values"], b["values"], strict=True):
            np.testing.assert_allclose(x, y, rtol=1e-14)
    for name in ("momentum", "nesterov"):
        c = ro.trajectory(name, w0, h, offs, {"lr": 0.1 * 0.25, "beta1": 0.75, "form": "classic"})
        e = ro.trajectory(name, w0, h, offs, {"lr": 0.1, "beta1": 0.75, "form": "ema"})
        for a, b in zip(c, e, strict=True):
            for x, y in zip(a["values"], b["values"], strict=True):
                np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(a["m"][1], -0.1 * b["m"][1], rtol=1e-12, atol=1e-14)
    nes = ro.trajectory("nesterov", w0, h, offs, {"lr": 0.1, "beta1": 0.75, "form": "ema"})
    np.testing.assert_allclose(nes[2]["points"][1], nes[1]["values"][1] - 0.1 * 0.75 * nes[1]["m"][1])
    # A constant gradient: the bias-corrected EMA (m / (1 − β₁ᵗ)) is that constant.
    g = RNG.normal(size=3)
    adam = ro.trajectory("adam", [np.zeros(3)], [np.zeros(3)], [[g]] * 5,
                         {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
    for snap in adam:
        np.testing.assert_allclose(snap["m"][0] / (1 - 0.9 ** snap["t"]), g, rtol=1e-14)
    rms = ro.trajectory("rmsprop", [np.zeros(3)], [np.zeros(3)], [[g]], {"lr": 0.1, "beta2": 0.999, "eps": 0.0})
    np.testing.assert_allclose(np.abs(rms[0]["values"][0]), 0.1 / np.sqrt(0.001), rtol=1e-12)
    with pytest.raises(ValueError):
        ro.trajectory("lbfgs", w0, h, offs, {"lr": 0.1})


def test_schedules() -> None:
    assert ro.lr_inverse(0.6, 3) == pytest.approx(0.2)
    assert ro.lr_exponential(0.5, 0.9, 2) == pytest.approx(0.405)
    assert [ro.lr_step(1.0, 0.5, 3, t) for t in range(1, 8)] == [1, 1, 1, 0.5, 0.5, 0.5, 0.25]
    for bad in (lambda: ro.lr_inverse(1, 0), lambda: ro.lr_exponential(1, 0.5, 0), lambda: ro.lr_step(1, 0.5, 0, 1)):
        with pytest.raises(ValueError):
            bad()


def test_clipping() -> None:
    g = RNG.normal(size=(3, 4)) * 5
    n = np.linalg.norm(g)
    assert ro.global_norm([g]) == pytest.approx(n)
    np.testing.assert_allclose(ro.clip_by_norm(g, n / 2), g / 2, rtol=1e-14)
    np.testing.assert_allclose(ro.clip_by_norm(g, n * 2), g, rtol=0)
    gs = [g, RNG.normal(size=2)]
    total = np.sqrt(np.sum(gs[0] ** 2) + np.sum(gs[1] ** 2))
    clipped, norm = ro.clip_by_global_norm(gs, 1.0)
    assert norm == pytest.approx(total)
    assert ro.global_norm(clipped) == pytest.approx(1.0)
    np.testing.assert_allclose(clipped[1], gs[1] / total, rtol=1e-14)
    np.testing.assert_allclose(ro.clip_by_value(g, -1, 2), np.clip(g, -1, 2), rtol=0)
    with pytest.raises(ValueError):
        ro.clip_by_value(g, 1, -1)


def test_minibatches_and_sgd_linreg() -> None:
    batches = ro.minibatch_order(10, 4, np.random.default_rng(3))
    assert [len(b) for b in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(10))
    X, y, w0 = RNG.normal(size=(9, 2)), RNG.normal(size=9), RNG.normal(size=2)
    w, losses = ro.sgd_linreg(X, y, w0, 4, 2, 0.1, True, 5)
    assert losses.shape == (6,)
    # The same run by hand.
    rng, wh, t = np.random.default_rng(5), w0.copy(), 0
    for _ in range(2):
        perm = rng.permutation(9)
        for i in range(0, 9, 4):
            t += 1
            idx = perm[i:i + 4]
            wh = wh - 0.1 / t * 2 * X[idx].T @ (X[idx] @ wh - y[idx]) / len(idx)
    np.testing.assert_allclose(w, wh, rtol=1e-13)


@pytest.mark.parametrize("shape", [(5, 3), (3, 1), (7, 4)])
def test_batchnorm(shape: tuple[int, int]) -> None:
    x = RNG.normal(1.0, 2.0, size=shape)
    gamma, beta, g = RNG.normal(size=shape[1]), RNG.normal(size=shape[1]), RNG.normal(size=shape)
    y, mean, var, xhat = ro.batchnorm_train(x, gamma, beta, 1e-5)
    np.testing.assert_allclose(mean, x.mean(0), rtol=1e-13)
    np.testing.assert_allclose(var, x.var(0), rtol=1e-12)
    np.testing.assert_allclose(y, gamma * (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5) + beta, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(ro.batchnorm_eval(x, gamma, beta, mean, var, 1e-5), y, rtol=1e-12, atol=1e-13)
    dx, dgamma, dbeta = ro.batchnorm_backward(g, x, gamma, 1e-5)
    assert_close_to_numeric(dx, numeric_vjp(lambda z: ro.batchnorm_train(z, gamma, beta, 1e-5)[0], x, g))
    assert_close_to_numeric(dgamma, numeric_vjp(lambda z: ro.batchnorm_train(x, z, beta, 1e-5)[0], gamma, g))
    assert_close_to_numeric(dbeta, numeric_vjp(lambda z: ro.batchnorm_train(x, gamma, z, 1e-5)[0], beta, g))
    rm, rv = RNG.normal(size=shape[1]), RNG.uniform(0.5, 2, size=shape[1])
    ex, eg, eb = ro.batchnorm_eval_backward(g, x, gamma, rm, rv, 1e-5)
    assert_close_to_numeric(ex, numeric_vjp(lambda z: ro.batchnorm_eval(z, gamma, beta, rm, rv, 1e-5), x, g))
    assert_close_to_numeric(eg, numeric_vjp(lambda z: ro.batchnorm_eval(x, z, beta, rm, rv, 1e-5), gamma, g))
    assert_close_to_numeric(eb, numeric_vjp(lambda z: ro.batchnorm_eval(x, gamma, z, rm, rv, 1e-5), beta, g))
    np.testing.assert_allclose(ro.running_update(np.ones(2), np.array([3.0, 5.0]), 0.1), [1.2, 1.4])
    with pytest.raises(ValueError):
        ro.batchnorm_train(x, gamma[:-1] if shape[1] > 1 else np.ones(2), beta, 1e-5)


@pytest.mark.parametrize("residual", [False, True])
def test_blocks_and_gradient_flow(residual: bool) -> None:
    x, A, b, G = RNG.normal(size=(3, 4)), RNG.normal(size=(4, 4)) * 0.5, RNG.normal(size=4), RNG.normal(size=(3, 4))
    out = ro.block_forward(x, A, b, residual)
    np.testing.assert_allclose(out, np.tanh(x @ A + b) + (x if residual else 0), rtol=1e-12, atol=1e-14)
    dx, dA, db = ro.block_backward(G, x, A, b, residual)
    assert_close_to_numeric(dx, numeric_vjp(lambda z: ro.block_forward(z, A, b, residual), x, G))
    assert_close_to_numeric(dA, numeric_vjp(lambda z: ro.block_forward(x, z, b, residual), A, G))
    assert_close_to_numeric(db, numeric_vjp(lambda z: ro.block_forward(x, A, z, residual), b, G))
    As, bs = [RNG.normal(size=(4, 4)) * 0.5 for _ in range(3)], [RNG.normal(size=4) for _ in range(3)]

    def through(z: np.ndarray, start: int) -> np.ndarray:
        for A_, b_ in zip(As[start:], bs[start:], strict=True):
            z = ro.block_forward(z, A_, b_, residual)
        return z

    norms = ro.stack_grad_norms(x, As, bs, G, residual)
    h1 = ro.block_forward(x, As[0], bs[0], residual)
    assert norms[0] == pytest.approx(np.linalg.norm(numeric_vjp(lambda z: through(z, 0), x, G)), rel=1e-6)
    assert norms[1] == pytest.approx(np.linalg.norm(numeric_vjp(lambda z: through(z, 1), h1, G)), rel=1e-6)
    with pytest.raises(ValueError):
        ro.block_forward(x, A[:, :3], b, residual)
