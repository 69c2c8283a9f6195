"""grader.reference_blocks (chapter 4) against central differences and plain NumPy formulas."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from test_reference_kernels import assert_close_to_numeric, numeric_vjp

from grader import reference_blocks as rb

pytestmark = pytest.mark.filterwarnings("error")

COVERED = {
    "l2_loss", "l2_grad", "l1_loss", "l1_grad", "laplace_nll", "laplace_nll_grad",
    "bce_loss", "bce_grad", "bce_logits_loss", "bce_logits_grad",
    "softmax", "softmax_backward", "log_softmax", "log_softmax_backward",
    "softmax_ce_per_example", "softmax_ce_loss", "softmax_ce_grad",
    "sigmoid_backward", "tanh", "tanh_backward", "relu", "relu_backward", "leaky_relu", "leaky_relu_backward",
    "elu", "elu_backward", "prelu", "prelu_backward", "maxout", "maxout_backward",
    "standardizer_fit", "standardizer_transform", "init_std", "draw_weights", "activation_stds",
}  # fmt: skip


def test_every_public_function_is_covered() -> None:
    public = {name for name, fn in inspect.getmembers(rb, inspect.isfunction)
              if fn.__module__ == rb.__name__ and not name.startswith("_")}
    assert public == COVERED


RNG = np.random.default_rng(4)


def _away(x: np.ndarray, margin: float = 0.05) -> np.ndarray:
    return np.where(np.abs(x) < margin, np.where(x >= 0, 1, -1) * (margin + np.abs(x)), x)


@pytest.mark.parametrize("shape", [(1,), (7,), (3, 5)])
def test_regression_losses(shape: tuple[int, ...]) -> None:
    y = RNG.standard_normal(shape)
    yhat = y + _away(RNG.standard_normal(shape))
    assert rb.l2_loss(yhat, y) == pytest.approx(np.sum((yhat - y) ** 2), rel=1e-12)
    assert rb.l1_loss(yhat, y) == pytest.approx(np.sum(np.abs(yhat - y)), rel=1e-12)
    assert_close_to_numeric(rb.l2_grad(yhat, y), numeric_vjp(lambda a: rb.l2_loss(a, y), yhat, 1.0))
    assert_close_to_numeric(rb.l1_grad(yhat, y), numeric_vjp(lambda a: rb.l1_loss(a, y), yhat, 1.0))
    assert rb.l1_grad(y, y).tolist() == np.zeros(shape).tolist()


@pytest.mark.parametrize("shape", [(1,), (6,), (2, 3)])
def test_laplace_nll(shape: tuple[int, ...]) -> None:
    y = RNG.standard_normal(shape)
    mu = y + _away(RNG.standard_normal(shape))
    s = RNG.normal(0, 0.7, shape)
    b = np.exp(s)
    assert rb.laplace_nll(mu, s, y) == pytest.approx(np.sum(np.log(2 * b) + np.abs(y - mu) / b), rel=1e-12)
    dmu, ds = rb.laplace_nll_grad(mu, s, y)
    assert_close_to_numeric(dmu, numeric_vjp(lambda m: rb.laplace_nll(m, s, y), mu, 1.0))
    assert_close_to_numeric(ds, numeric_vjp(lambda t: rb.laplace_nll(mu, t, y), s, 1.0))
    # for fixed μ the best scale is b = |y - μ|
    assert np.allclose(rb.laplace_nll_grad(mu, np.log(np.abs(y - mu)), y)[1], 0.0, atol=1e-12)


def test_bce() -> None:
    y = RNG.integers(0, 2, (4, 3)).astype(float)
    s = RNG.normal(0, 3, (4, 3))
    p = 1 / (1 + np.exp(-s))
    assert rb.bce_loss(p, y) == pytest.approx(np.sum(-y * np.log(p) - (1 - y) * np.log(1 - p)), rel=1e-10)
    assert rb.bce_logits_loss(s, y) == pytest.approx(rb.bce_loss(p, y), rel=1e-10)
    assert_close_to_numeric(rb.bce_grad(p, y), numeric_vjp(lambda q: rb.bce_loss(q, y), p, 1.0))
    assert_close_to_numeric(rb.bce_logits_grad(s, y), numeric_vjp(lambda t: rb.bce_logits_loss(t, y), s, 1.0))
    big = np.array([-1000.0, 1000.0])
    assert rb.bce_logits_loss(big, np.array([1.0, 0.0])) == 2000.0
    assert rb.bce_logits_grad(big, np.array([0.0, 1.0])).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("shape", [(1, 3), (5, 4), (3, 1)])
def test_softmax_family(shape: tuple[int, int]) -> None:
    S = RNG.normal(0, 2, shape)
    G = RNG.standard_normal(shape)
    y = RNG.integers(0, shape[1], shape[0])
    P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(rb.softmax(S), P, rtol=1e-12)
    np.testing.assert_allclose(rb.log_softmax(S), np.log(P), rtol=1e-10, atol=1e-14)
    assert_close_to_numeric(rb.softmax_backward(S, G), numeric_vjp(rb.softmax, S, G))
    assert_close_to_numeric(rb.log_softmax_backward(S, G), numeric_vjp(rb.log_softmax, S, G))
    per = -np.log(P[np.arange(shape[0]), y])
    np.testing.assert_allclose(rb.softmax_ce_per_example(S, y), per, rtol=1e-10)
    assert rb.softmax_ce_loss(S, y) == pytest.approx(per.sum(), rel=1e-10)
    assert_close_to_numeric(rb.softmax_ce_grad(S, y), numeric_vjp(lambda t: rb.softmax_ce_loss(t, y), S, 1.0))


def test_softmax_family_at_extreme_logits() -> None:
    S = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]])
    assert rb.log_softmax(S)[0].tolist() == [0.0, -2000.0, -1000.0]
    np.testing.assert_allclose(rb.log_softmax(S)[1], -np.log(3.0), rtol=1e-12)
    assert rb.softmax_ce_per_example(S, [1, 0]).tolist() == [2000.0, pytest.approx(np.log(3.0), rel=1e-12)]
    assert rb.softmax_ce_grad(S, [0, 2])[0].tolist() == [0.0, 0.0, 0.0]
    # the notes' table (L1483-1487), recomputed (curriculum §14)
    table = np.array([[3, 1, -1, -1], [3, 3, 1, 0], [1, 1, 1, 1], [3, 2, 3, -1]], dtype=float)
    np.testing.assert_allclose(rb.softmax_ce_per_example(table, [0, 1, 2, 3]), [0.159, 0.782, 1.386, 4.870],
                               atol=5e-4)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky", "elu"])
def test_elementwise_activations(name: str) -> None:
    x = _away(RNG.normal(0, 2, (4, 5)))
    g = RNG.standard_normal(x.shape)
    sig = 1 / (1 + np.exp(-x))
    cases = {
        "sigmoid": (lambda t: 1 / (1 + np.exp(-t)), rb.sigmoid_backward(x, g), sig),
        "tanh": (rb.tanh, rb.tanh_backward(x, g), 2 / (1 + np.exp(-2 * x)) - 1),
        "relu": (rb.relu, rb.relu_backward(x, g), np.maximum(0, x)),
        "leaky": (lambda t: rb.leaky_relu(t, 0.07), rb.leaky_relu_backward(x, g, 0.07), np.maximum(0.07 * x, x)),
        "elu": (lambda t: rb.elu(t, 1.3), rb.elu_backward(x, g, 1.3), np.where(x > 0, x, 1.3 * (np.exp(x) - 1))),
    }
    f, vjp, direct = cases[name]
    np.testing.assert_allclose(f(x), direct, rtol=1e-12, atol=1e-15)
    assert_close_to_numeric(vjp, numeric_vjp(f, x, g))


def test_activation_defaults() -> None:
    x = np.array([-2.0, 3.0])
    assert rb.leaky_relu(x).tolist() == [-0.02, 3.0]
    assert rb.leaky_relu_backward(x, np.ones(2)).tolist() == [0.01, 1.0]
    assert rb.elu(x).tolist() == [np.expm1(-2.0), 3.0]
    assert rb.elu_backward(x, np.ones(2)).tolist() == [np.exp(-2.0), 1.0]


def test_prelu() -> None:
    X = _away(RNG.standard_normal((6, 4)))
    alpha = RNG.uniform(0.05, 0.5, 4)
    G = RNG.standard_normal(X.shape)
    np.testing.assert_allclose(rb.prelu(X, alpha), np.maximum(alpha * X, X), rtol=1e-14)
    dX, dalpha = rb.prelu_backward(X, alpha, G)
    assert_close_to_numeric(dX, numeric_vjp(lambda t: rb.prelu(t, alpha), X, G))
    assert_close_to_numeric(dalpha, numeric_vjp(lambda a: rb.prelu(X, a), alpha, G))
    with pytest.raises(ValueError):
        rb.prelu(X, alpha[:3])


def test_maxout() -> None:
    Z = RNG.standard_normal((5, 6))
    G = RNG.standard_normal((5, 2))
    np.testing.assert_array_equal(rb.maxout(Z, 3), Z.reshape(5, 2, 3).max(axis=2))
    assert_close_to_numeric(rb.maxout_backward(Z, 3, G), numeric_vjp(lambda t: rb.maxout(t, 3), Z, G))
    tie = np.array([[1.0, 2.0, 2.0, 0.5]])
    assert rb.maxout_backward(tie, 4, np.array([[3.0]])).tolist() == [[0.0, 3.0, 0.0, 0.0]]
    assert rb.maxout(Z, 1).tolist() == Z.tolist()
    with pytest.raises(ValueError):
        rb.maxout(Z, 4)


def test_standardizer() -> None:
    X = RNG.normal(3, 2, (9, 4))
    X[:, 2] = 5.0
    mean, std = rb.standardizer_fit(X)
    np.testing.assert_allclose(mean, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(std, np.where(X.std(axis=0) == 0, 1, X.std(axis=0)), rtol=1e-12)
    Z = rb.standardizer_transform(X, mean, std)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), [1, 1, 0, 1], rtol=1e-12)
    T = RNG.normal(0, 1, (3, 4))
    np.testing.assert_allclose(rb.standardizer_transform(T, mean, std), (T - mean) / std, rtol=1e-12)


def test_init_and_activation_stds() -> None:
    assert rb.init_std("xavier", 256) == 0.0625
    assert rb.init_std("he", 256) == pytest.approx(0.0884, abs=1e-4)
    assert (rb.init_std("small", 7), rb.init_std("large", 7)) == (0.01, 0.2)
    W = rb.draw_weights(np.random.default_rng(0), 300, 200, "he")
    assert W.shape == (300, 200) and abs(W.std() / np.sqrt(2 / 300) - 1) < 0.02
    X = RNG.standard_normal((20, 7))
    rng = np.random.default_rng(11)
    Ws = [rb.draw_weights(rng, 7, 9, "xavier")] + [rb.draw_weights(rng, 9, 9, "xavier") for _ in range(3)]
    H, expected = X, []
    for W in Ws:
        H = np.tanh(H @ W)
        expected.append(H.std())
    np.testing.assert_allclose(rb.activation_stds(X, 4, 9, "tanh", "xavier", 11), expected, rtol=1e-12)
    relu = rb.activation_stds(X, 4, 9, "relu", "he", 11)
    assert relu.shape == (4,) and np.all(relu > 0)
    with pytest.raises(ValueError):
        rb.activation_stds(X, 4, 9, "sigmoid", "he", 11)
